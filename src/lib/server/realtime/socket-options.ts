import type { ServerOptions } from 'socket.io';
import { textOnlyParser } from './socket-parser.ts';

/** The largest socket message we accept, in bytes; ratings are tiny. */
export const SOCKET_MESSAGE_LIMIT = 16 * 1024;

/**
 * A browser always sends Origin on a socket.io handshake: it must be this site (the host the
 * request came to, or ORIGIN when set), so another site's page cannot open a socket in a member's
 * or facilitator's name. Programs that send no Origin (the API's own clients) are let through;
 * they still need a join code or a key.
 */
export function allowedOrigin(origin: string | undefined, host: string | undefined, configured = process.env.ORIGIN): boolean {
	if (!origin) return true;
	try {
		const from = new URL(origin);
		if (configured) return from.origin === new URL(configured).origin;
		return from.host === host;
	} catch {
		return false;
	}
}

/** socket.io settings shared by the production server and the dev server. */
export const socketServerOptions: Partial<ServerOptions> = {
	maxHttpBufferSize: SOCKET_MESSAGE_LIMIT,
	pingInterval: 10_000,
	pingTimeout: 8_000,
	parser: textOnlyParser,
	allowRequest: (request, callback) => {
		const allowed = allowedOrigin(request.headers.origin, request.headers.host);
		callback(allowed ? null : 'origin not allowed', allowed);
	}
};

/** Where the production entry leaves the socket.io server for the app to attach to. */
export const SOCKET_SERVER_KEY = Symbol.for('risikoverksted.io');

