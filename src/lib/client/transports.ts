import type { ManagerOptions, SocketOptions } from 'socket.io-client';

/**
 * How every page's socket connects: a WebSocket first (one handshake, where long-polling first
 * needed four round trips before the first view: 1.6 s at a weak phone's 400 ms), and HTTP
 * long-polling when a WebSocket cannot be opened (a proxy that blocks them), tried in that order.
 */
export const TRANSPORTS: Partial<ManagerOptions & SocketOptions> = { transports: ['websocket', 'polling'], tryAllTransports: true };
