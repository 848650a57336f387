/**
 * The member's socket (light-socket.ts) against a real socket.io server with our settings: it must
 * behave as socket.io's client does where the member's session relies on it (issue 26: the
 * member's page without socket.io's client, ≤ 50 KB of JavaScript). Node 20 has no WebSocket of
 * its own: the test gives the page's globals `ws`'s, which speaks the same API.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { WebSocket } from 'ws';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LightSocket } from '../../src/lib/client/light-socket';
import { socketServerOptions } from '../../src/lib/server/realtime/socket-options';

interface Listen {
	hello: (text: string, received?: (reply: string) => void) => void;
	bye: (...args: unknown[]) => void;
}
interface Emit {
	rate: (value: number, ack: (reply: { ok: boolean; value: number }) => void) => void;
	note: (text: string) => void;
}

beforeAll(() => {
	(globalThis as unknown as { WebSocket: unknown }).WebSocket = WebSocket;
});

let http: HttpServer;
let io: Server;
const clients: LightSocket<Listen, Emit>[] = [];

async function serve(options: Partial<ServerOptions> = {}, port = 0): Promise<number> {
	http = createServer();
	io = new Server(http, { ...socketServerOptions, ...options });
	await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
	const at = (http.address() as AddressInfo).port;
	(globalThis as unknown as { location: unknown }).location = { protocol: 'http:', host: `127.0.0.1:${at}` };
	return at;
}
async function stopServer(): Promise<void> {
	io.disconnectSockets(true);
	await new Promise<void>((resolve) => io.close(() => resolve()));
}
function client(auth: () => object = () => ({ name: 'Kari' })) {
	const socket = new LightSocket<Listen, Emit>({ query: { room: 'ABC123' }, auth: (send) => send(auth()) });
	clients.push(socket);
	return socket;
}
const once = <T>(socket: LightSocket<Listen, Emit>, event: 'connect' | 'disconnect' | 'connect_error' | 'hello'): Promise<T> =>
	new Promise((resolve) => socket.on(event as 'connect', ((value: T) => resolve(value)) as () => void));

afterEach(async () => {
	for (const socket of clients.splice(0)) socket.disconnect();
	await stopServer();
});

describe('the member socket against socket.io', () => {
	it('connects with its auth and query, takes events with and without acks, and gets acks for its own', async () => {
		await serve();
		const seen: { auth: unknown; room: unknown }[] = [];
		io.on('connection', (socket) => {
			seen.push({ auth: socket.handshake.auth, room: socket.handshake.query.room });
			socket.on('rate', (value: number, ack: (reply: unknown) => void) => ack({ ok: true, value: value * 2 }));
			socket.emit('hello', 'hei «æøå»', (reply: string) => socket.emit('bye', reply));
		});
		const socket = client();
		const hello = new Promise<string>((resolve) => socket.on('hello', (text, received) => {
			received?.('takk');
			resolve(text);
		}));
		const bye = new Promise<unknown[]>((resolve) => socket.on('bye', (...args) => resolve(args)));
		await once(socket, 'connect');
		expect(socket.connected).toBe(true);
		expect(await hello).toBe('hei «æøå»');
		expect(await bye).toEqual(['takk']);
		const reply = await new Promise((resolve) => socket.emit('rate', 21, resolve));
		expect(reply).toEqual({ ok: true, value: 42 });
		expect(seen).toEqual([{ auth: { name: 'Kari' }, room: 'ABC123' }]);
	});

	it('keeps what is emitted before it is connected and sends it first on connect', async () => {
		await serve();
		const order: string[] = [];
		io.on('connection', (socket) => socket.on('note', (text: string) => order.push(`server got ${text}`)));
		const socket = client();
		socket.emit('note', 'tidlig');
		socket.on('connect', () => socket.emit('note', 'på connect'));
		await once(socket, 'connect');
		await vi.waitFor(() => expect(order).toEqual(['server got tidlig', 'server got på connect']));
	});

	it('answers the server’s pings, so the connection outlives the ping timeout', async () => {
		await serve({ pingInterval: 100, pingTimeout: 100 });
		let drops = 0;
		io.on('connection', (socket) => socket.on('disconnect', () => drops++));
		const socket = client();
		await once(socket, 'connect');
		await new Promise((resolve) => setTimeout(resolve, 800));
		expect(drops).toBe(0);
		expect(socket.connected).toBe(true);
	});

	it('is refused with the server’s message and does not try again', async () => {
		await serve();
		let tries = 0;
		io.use((_socket, next) => {
			tries++;
			next(Object.assign(new Error('Ukjent kode – sjekk koden på skjermen'), { data: { code: 'error.join.unknownCode' } }));
		});
		const socket = client();
		const error = await once<Error & { data?: unknown }>(socket, 'connect_error');
		expect(error.message).toBe('Ukjent kode – sjekk koden på skjermen');
		expect(error.data).toEqual({ code: 'error.join.unknownCode' });
		expect(socket.active).toBe(false);
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect(tries).toBe(1);
	});

	it('stops when the server ends its session', async () => {
		await serve();
		let connections = 0;
		io.on('connection', (socket) => {
			connections++;
			socket.disconnect(true);
		});
		const socket = client();
		expect(await once(socket, 'disconnect')).toBe('io server disconnect');
		expect(socket.active).toBe(false);
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect(connections).toBe(1);
	});

	it('asks again when told to after the server ended its session, with a fresh auth, once', async () => {
		await serve();
		let connections = 0;
		io.on('connection', (socket) => {
			connections++;
			if (connections === 1) socket.disconnect(true);
		});
		let asked = 0;
		const socket = client(() => ({ name: 'Kari', asked: ++asked }));
		socket.on('disconnect', (reason) => {
			if (reason === 'io server disconnect') socket.connect();
		});
		await once(socket, 'connect');
		expect(await once(socket, 'connect')).toBeUndefined();
		expect(socket.active).toBe(true);
		expect(asked).toBe(2);
		// one try, not a retry beside it: no third connection comes
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect(connections).toBe(2);
		expect(io.sockets.sockets.size).toBe(1);
	});

	it('comes back by itself when its process goes and another takes the port, asking for the auth afresh, and drops acks the old process never sent', async () => {
		const port = await serve();
		let served: Socket | null = null;
		io.on('connection', (socket) => {
			served = socket;
			socket.on('rate', () => {}); // never answered: the process dies first
		});
		let token = 'første';
		const socket = client(() => ({ token }));
		await once(socket, 'connect');
		let lostAck = false;
		socket.emit('rate', 1, () => (lostAck = true));
		const dropped = once<string>(socket, 'disconnect');
		served!.conn.close(); // as a process going away: the transport closes, the session is not ended
		await stopServer();
		expect(await dropped).toBe('transport close');
		expect(socket.active).toBe(true);
		token = 'andre';
		await serve({}, port);
		const auths: unknown[] = [];
		io.on('connection', (s) => {
			auths.push(s.handshake.auth);
			s.on('rate', (value: number, ack: (reply: unknown) => void) => ack({ ok: true, value }));
		});
		await vi.waitFor(() => expect(socket.connected).toBe(true), { timeout: 15_000 });
		expect(auths).toEqual([{ token: 'andre' }]);
		expect(await new Promise((resolve) => socket.emit('rate', 7, resolve))).toEqual({ ok: true, value: 7 });
		expect(lostAck).toBe(false);
	});

	it('hands over to socket.io’s client on long-polling where a WebSocket cannot be opened', async () => {
		await serve({ transports: ['polling'] });
		const transports: string[] = [];
		io.on('connection', (socket) => {
			transports.push(socket.conn.transport.name);
			socket.on('rate', (value: number, ack: (reply: unknown) => void) => ack({ ok: true, value }));
			socket.emit('hello', 'via polling');
		});
		const socket = client();
		socket.emit('rate', 3, () => {}); // waiting from before: handed over too
		const hello = once<string>(socket, 'hello');
		await once(socket, 'connect');
		expect(await hello).toBe('via polling');
		expect(transports).toEqual(['polling']);
		expect(await new Promise((resolve) => socket.emit('rate', 5, resolve))).toEqual({ ok: true, value: 5 });
		socket.disconnect();
		expect(socket.active).toBe(false);
	});
});
