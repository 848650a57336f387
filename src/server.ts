/**
 * Production entry: one HTTP server for SvelteKit (adapter-node's handler) and socket.io.
 * Bundled to build/server.js; `node build/server.js`. PORT (default 3000, 0 = any free port),
 * HOST (default 0.0.0.0), DATA_DIR (default ./data), and adapter-node's ORIGIN & co.
 */
import { setFlagsFromString } from 'node:v8';
import compression from 'compression';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { SOCKET_SERVER_KEY, socketServerOptions } from './lib/server/realtime/socket-options';
import { WORKER_PATH_KEY } from './lib/server/workers/pool';
import { logOnce } from './lib/server/log';
import { setting } from './lib/server/env-setting';

// Journal syncs of different workshops run at once on libuv's pool (store/lowdb/journal.ts): more
// than its default four threads, set before the pool starts (on the first asynchronous file call).
process.env.UV_THREADPOOL_SIZE ??= '8';

// The JavaScript heap. With memory to spare, V8 lets its old generation grow to up to four times
// what was live at the last full collection before it collects again, and it allocates objects
// straight into the old generation from sites whose objects once survived a young collection; in a
// burst of ratings both fill it with garbage (results and socket packets that live a moment), so
// the peak RSS was 250-330 MB for some 60 MB live. Collecting once the old generation has grown by
// three quarters of what was live, and no pretenuring, keep it near the live size at the same CPU
// (docs/scaling.md, issue 16). Three quarters, not half: each full collection's marking delays the
// acknowledgements around it, and at half there was one every 7-8 s of a burst, setting the ack
// tail (issue 26); 60 % gave most of that tail back. package.json's serve script also gives V8
// one thread, not up to seven, for concurrent marking: on two cores more took the CPU from this
// one. HEAP_GROWTH_PERCENT sets the growth (0: V8's own policy, pretenuring included).
const heapGrowth = Number(process.env.HEAP_GROWTH_PERCENT ?? 75);
if (Number.isInteger(heapGrowth) && heapGrowth > 0) {
	setFlagsFromString(`--heap-growing-percent=${heapGrowth}`);
	setFlagsFromString('--no-allocation-site-pretenuring');
} else if (heapGrowth !== 0) console.warn(`HEAP_GROWTH_PERCENT=${process.env.HEAP_GROWTH_PERCENT} is not a positive whole number of per cent (or 0): V8's own policy is used.`);

// Worker threads (spreadsheet reading, reports) run build/worker.js, beside this file.
(globalThis as Record<symbol, unknown>)[WORKER_PATH_KEY] = fileURLToPath(new URL('./worker.js', import.meta.url));

// No error in one request or connection may end the process: handlers answer their own errors;
// anything that still escapes is logged (once a minute per kind) and the process goes on.
process.on('uncaughtException', (error) => logOnce(`uncaught:${error.name}:${error.message}`, 'An error escaped a handler (the server goes on):', error));
process.on('unhandledRejection', (reason) =>
	logOnce(`unhandled:${String((reason as Error)?.message ?? reason)}`, 'A promise failed without a handler (the server goes on):', reason)
);

const loopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');
if (!process.env.ORIGIN && !loopback(process.env.HOST ?? '0.0.0.0')) {
	console.warn(
		'ORIGIN is not set: join links and QR codes are built from the Host header each request brings. On a public address, set ORIGIN=https://<your address> so nobody can make links that point elsewhere.'
	);
}

// Uploads are limited to 1 MB by the app, which reads and drops up to this much to answer with a
// JSON 413 the client can see (nothing past 1 MB is kept); adapter-node ends anything larger.
process.env.BODY_SIZE_LIMIT ??= String(64 * 1024 * 1024);

// Without ORIGIN, adapter-node assumes https; tell it the protocol each request really came in on.
const OWN_PROTOCOL_HEADER = 'x-risikoverksted-protocol';
const trustOwnProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (trustOwnProtocol) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;

function originOf(request: IncomingMessage): string {
	if (process.env.ORIGIN) return process.env.ORIGIN;
	const header = (name: string | undefined) => (name ? request.headers[name.toLowerCase()] : undefined);
	const protocol = header(process.env.PROTOCOL_HEADER) ?? 'https';
	const host = header(process.env.HOST_HEADER) ?? request.headers.host;
	return `${protocol}://${host}`;
}

/**
 * SvelteKit refuses cross-site form-typed writes (text/plain among them) and counts a request
 * without an Origin header as cross-site. Browsers send Origin with every cross-site write, so an
 * API write without one comes from a program (curl, a script), where CSRF does not apply: it is
 * marked same-origin and reaches the route, which checks the facilitator key as usual.
 */
function prepare(request: IncomingMessage): void {
	if (trustOwnProtocol) {
		request.headers[OWN_PROTOCOL_HEADER] = (request.socket as TLSSocket).encrypted ? 'https' : 'http';
	}
	const writes = request.method !== 'GET' && request.method !== 'HEAD';
	if (writes && !request.headers.origin && request.url?.startsWith('/api/')) {
		request.headers.origin = originOf(request);
	}
}

/**
 * Headers every answer carries, static files included (the pages and the API set their own on
 * top: hooks.server.ts). A static file is never a page, so it may run nothing and be framed nowhere.
 */
function baseHeaders(response: ServerResponse): void {
	response.setHeader('x-content-type-options', 'nosniff');
	response.setHeader('referrer-policy', 'same-origin');
	response.setHeader('x-frame-options', 'DENY');
	response.setHeader('cross-origin-opener-policy', 'same-origin');
	response.setHeader('cross-origin-resource-policy', 'same-origin');
	response.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
	response.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
}

let app: RequestListener | null = null;
const httpServer = createServer((request, response) => {
	if (!app) {
		response.writeHead(503, { 'content-type': 'text/plain' }).end('Starting, try again in a moment.');
		return;
	}
	baseHeaders(response);
	prepare(request);
	app(request, response);
});

// socket.io must wrap the request listener above, and be in place before the app starts (hooks init).
const io = new Server(httpServer, socketServerOptions);
(globalThis as Record<symbol, unknown>)[SOCKET_SERVER_KEY] = io;

// adapter-node's handler sits beside this file in build/; a variable path keeps esbuild from bundling it
const handlerPath = './handler.js';
const { handler } = (await import(handlerPath)) as { handler: RequestListener };
// pages and JSON compressed on the way out (brotli 4 or gzip): a weak phone's page carries its
// language's messages, 62 KB as text and 14 KB so; static files are compressed at build (adapter-node)
const compress = compression({
	threshold: 1024,
	filter: (request, response) => /^(text\/html|application\/json)/.test(String(response.getHeader('content-type') ?? '')) && compression.filter(request, response)
});
app = (request, response) => compress(request as never, response as never, () => handler(request, response));

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
httpServer.listen(port, host, () => {
	const address = httpServer.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	console.log(`Risikoverksted listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}`);
});

/**
 * Graceful shutdown (SIGTERM, SIGINT): /readyz answers 503 at once so a load balancer stops
 * sending new connections; after SHUTDOWN_GRACE_MS (default 0) the port closes, the sockets leave
 * over SHUTDOWN_DRAIN_MS (default 1 s) so their clients reconnect – through the load balancer, to
 * another process – a few at a time, every write under way finishes (its acknowledgement goes
 * out), then the rest is closed and the store lets go. At most 10 s.
 */
const SHUTTING_DOWN = Symbol.for('risikoverksted.shuttingDown');
const RUNTIME = Symbol.for('risikoverksted.runtime');
type RuntimeLike = { service: { settled(): Promise<void> }; store: { close(): Promise<void> } };
const SHUTDOWN_GRACE_MS = setting('SHUTDOWN_GRACE_MS', 0);
const SHUTDOWN_DRAIN_MS = setting('SHUTDOWN_DRAIN_MS', 1000);
let stopping = false;
async function shutdown(signal: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	(globalThis as Record<symbol, unknown>)[SHUTTING_DOWN] = true;
	console.log(`${signal}: finishing the acknowledgements under way, then closing.`);
	setTimeout(() => {
		console.error('Shutdown took longer than 10 s: exiting.');
		process.exit(1);
	}, 10_000).unref();
	if (SHUTDOWN_GRACE_MS > 0) await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS));
	httpServer.close();
	const runtime = await ((globalThis as Record<symbol, unknown>)[RUNTIME] as Promise<RuntimeLike> | undefined)?.catch(() => undefined);
	await drain(SHUTDOWN_DRAIN_MS, () => runtime?.service.settled() ?? Promise.resolve());
	await runtime?.service.settled();
	// the other processes (same database) forget this one's members now, not after its silence
	((globalThis as Record<symbol, unknown>)[Symbol.for('risikoverksted.stopPresence')] as (() => void) | undefined)?.();
	await io.close().catch(() => {});
	await runtime?.store.close().catch(() => {});
	process.exit(0);
}
/**
 * The sockets leave in ten groups over `ms` (SHUTDOWN_DRAIN_MS) rather than all at once: each
 * client reconnects (through the balancer, to another process) while the others are still served
 * here, so the processes that take them get a stream instead of one wave (the reconnect storm of
 * a rolling restart; processes.test.ts prints it). The transport is closed, not the socket.io
 * session, so the client reconnects by itself as after a crash.
 */
async function drain(ms: number, settled: () => Promise<void>): Promise<void> {
	const sockets = [...io.of('/').sockets.values()];
	if (ms <= 0 || sockets.length === 0) return;
	const groups = 10;
	const size = Math.ceil(sockets.length / groups);
	for (let start = 0; start < sockets.length; start += size) {
		// the writes under way first, and their acknowledgements out (a transport closes once what it was given is sent)
		await settled();
		await new Promise((resolve) => setImmediate(resolve));
		for (const socket of sockets.slice(start, start + size)) socket.conn.close();
		if (start + size < sockets.length) await new Promise((resolve) => setTimeout(resolve, ms / groups));
	}
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
