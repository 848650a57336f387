import type { Plugin } from 'vite';
import { Server } from 'socket.io';
import { SOCKET_SERVER_KEY, socketServerOptions } from './socket-options.ts';

/** `npm run dev`: puts socket.io on Vite's HTTP server, as src/server.ts does in production. */
export function socketServerPlugin(): Plugin {
	return {
		name: 'risikoverksted-socket-server',
		configureServer(server) {
			if (!server.httpServer) return;
			const io = new Server(server.httpServer, socketServerOptions);
			(globalThis as Record<symbol, unknown>)[SOCKET_SERVER_KEY] = io;
		}
	};
}
