import type { ServerOptions } from 'socket.io';

/** The largest socket message we accept, in bytes; ratings are tiny. */
export const SOCKET_MESSAGE_LIMIT = 16 * 1024;

/** socket.io settings shared by the production server and the dev server. */
export const socketServerOptions: Partial<ServerOptions> = {
	maxHttpBufferSize: SOCKET_MESSAGE_LIMIT,
	pingInterval: 10_000,
	pingTimeout: 8_000
};

/** Where the production entry leaves the socket.io server for the app to attach to. */
export const SOCKET_SERVER_KEY = Symbol.for('risikoverksted.io');
