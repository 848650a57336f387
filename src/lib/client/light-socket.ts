import type { Socket } from 'socket.io-client';
import { RECONNECTION } from './transports';

/**
 * The part of socket.io's client every page's socket uses (the member's, the projector's, the
 * console's), over a WebSocket alone: about 1 KB compressed where socket.io's client is 11.4 KB, a
 * fifth of the member's budget (issue 26: ≤ 50 KB of JavaScript on a weak phone). It speaks
 * socket.io's own protocol (engine.io 4, text packets, the default namespace), so the server and
 * the load balancer see an ordinary socket.io client:
 *
 * - `0{…}` open, `2`/`3` ping and pong, `1` close (engine.io);
 * - inside `4`: `0{auth}` connect, `1` disconnect, `2[id]["event",…]` event, `3id[…]` ack,
 *   `4{message}` connect error (socket.io; the server's parser sends no binary, socket-parser.ts).
 *
 * It behaves as socket.io's client does where the member's session relies on it: the auth is asked
 * for on every try, emits wait while disconnected and go first on connect, acks not answered are
 * dropped when the connection goes, a refusal (connect error, the server's disconnect) ends the
 * retries, and retries back off as `RECONNECTION` says (the same backoff, with its jitter).
 *
 * **Fallback.** When a WebSocket cannot be opened at all on this page (a proxy that blocks them),
 * it loads socket.io's client (a chunk of its own, fetched only then) and hands everything over
 * to it on long-polling. Once a WebSocket has opened, it stays.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;
type EventMap<T> = { [K in keyof T]: Listener };
interface Reserved {
	connect: () => void;
	disconnect: (reason: string) => void;
	connect_error: (error: Error & { data?: unknown }) => void;
}

export interface LightSocketOptions {
	/** added to the address (the load balancer's `room`) */
	query: Record<string, string>;
	/** asked for on every try, as socket.io's `auth` callback */
	auth: (send: (auth: object) => void) => void;
}

const PATH = '/socket.io/';

export class LightSocket<Listen extends EventMap<Listen>, Emit extends EventMap<Emit>> {
	connected = false;
	#active = true;
	readonly #options: LightSocketOptions;
	readonly #listeners = new Map<string, Listener[]>();
	#ws: WebSocket | null = null;
	/** a WebSocket has opened on this page: the network lets them through, no fallback */
	#opened = false;
	#fallback: Socket | null = null;
	/** socket.io's client is being fetched to take over */
	#handingOver = false;
	#ids = 0;
	readonly #acks = new Map<number, Listener>();
	/** emits made while disconnected, sent on connect (or handed to the fallback) */
	#buffer: unknown[][] = [];
	#attempts = 0;
	#retry: ReturnType<typeof setTimeout> | undefined;
	#alive: ReturnType<typeof setTimeout> | undefined;
	/** pingInterval + pingTimeout from the server's open packet */
	#pingWindow = 0;

	constructor(options: LightSocketOptions) {
		this.#options = options;
		this.#open();
	}

	/** false once refused or disconnected on purpose: no more retries (socket.io's `active`) */
	get active(): boolean {
		return this.#fallback ? this.#fallback.active : this.#active;
	}

	on<E extends keyof Listen & string>(event: E, listener: Listen[E]): void;
	on<E extends keyof Reserved>(event: E, listener: Reserved[E]): void;
	on(event: string, listener: Listener): void {
		this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
		this.#fallback?.on(event, listener);
	}

	emit<E extends keyof Emit & string>(event: E, ...args: Parameters<Emit[E]>): void {
		if (this.#fallback) this.#fallback.emit(event, ...args);
		else if (this.connected) this.#sendEvent([event, ...args]);
		else this.#buffer.push([event, ...args]);
	}

	/**
	 * Tries again now, after the server ended the session or after disconnect() (socket.io's
	 * `connect()`; the projector asks again when the server closed it, to learn why). Nothing while
	 * connected or trying.
	 */
	connect(): void {
		if (this.#fallback) return void this.#fallback.connect();
		if (this.connected || this.#ws || this.#handingOver) return;
		this.#active = true;
		clearTimeout(this.#retry);
		this.#attempts = 0;
		this.#open();
	}

	disconnect(): void {
		this.#active = false;
		clearTimeout(this.#retry);
		this.#fallback?.disconnect();
		if (!this.#ws) return;
		if (this.connected) this.#send('41');
		this.#closed('io client disconnect');
	}

	#fire(event: string, ...args: unknown[]): void {
		for (const listener of this.#listeners.get(event) ?? []) listener(...args);
	}

	#open(): void {
		const query = new URLSearchParams({ ...this.#options.query, EIO: '4', transport: 'websocket' });
		const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${PATH}?${query}`);
		this.#ws = ws;
		ws.onopen = () => (this.#opened = true);
		// a failed try closes it too (onclose); an error has nothing more to say
		ws.onerror = () => {};
		ws.onmessage = ({ data }) => this.#frame(String(data));
		ws.onclose = () => this.#closed('transport close');
	}

	/** stops listening to a WebSocket that is going away */
	#drop(ws: WebSocket): void {
		ws.onopen = ws.onmessage = ws.onclose = null;
		if (this.#ws === ws) this.#ws = null;
		clearTimeout(this.#alive);
	}

	#send(packet: string): void {
		if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(packet);
	}

	#sendEvent(args: unknown[]): void {
		const last = args.at(-1);
		if (typeof last === 'function') {
			const id = this.#ids++;
			this.#acks.set(id, last as Listener);
			this.#send(`42${id}${JSON.stringify(args.slice(0, -1))}`);
		} else this.#send(`42${JSON.stringify(args)}`);
	}

	/** the connection is gone: say so, and try again unless refused or left */
	#closed(reason: string): void {
		const ws = this.#ws;
		if (ws) {
			this.#drop(ws);
			ws.close();
		}
		const was = this.connected;
		this.connected = false;
		this.#acks.clear();
		if (!this.#opened && this.#active && !this.#fallback) {
			void this.#useFallback();
			return;
		}
		if (was) this.#fire('disconnect', reason);
		else if (this.#active) this.#fire('connect_error', new Error(reason));
		// a listener may have called connect() meanwhile: that try is the retry
		if (!this.#active || this.#ws) return;
		if (was) this.#attempts = 0;
		this.#retry = setTimeout(() => this.#open(), this.#backoff());
	}

	/** socket.io's backoff: min × 2^attempts, ± jitter, at most max */
	#backoff(): number {
		const { reconnectionDelay = 1000, reconnectionDelayMax = 5000, randomizationFactor = 0.5 } = RECONNECTION;
		let ms = reconnectionDelay * 2 ** this.#attempts++;
		const random = Math.random();
		const deviation = Math.floor(random * randomizationFactor * ms);
		ms = (Math.floor(random * 10) & 1) === 0 ? ms - deviation : ms + deviation;
		return Math.min(ms, reconnectionDelayMax) | 0;
	}

	#frame(data: string): void {
		const kind = data[0];
		if (kind === '0') {
			const { pingInterval, pingTimeout } = JSON.parse(data.slice(1)) as { pingInterval: number; pingTimeout: number };
			this.#pingWindow = pingInterval + pingTimeout;
			this.#stillAlive();
			this.#options.auth((auth) => this.#send(`40${JSON.stringify(auth)}`));
		} else if (kind === '2') {
			this.#stillAlive();
			this.#send('3');
		} else if (kind === '1') this.#closed('transport close');
		else if (kind === '4') this.#packet(data.slice(1));
	}

	/** the server pings every pingInterval: silence beyond it and its timeout means the line is dead */
	#stillAlive(): void {
		clearTimeout(this.#alive);
		this.#alive = setTimeout(() => this.#closed('ping timeout'), this.#pingWindow);
	}

	#packet(data: string): void {
		const type = data[0];
		const [, id, json] = /^(\d*)(.*)$/s.exec(data.slice(1))!;
		const payload = json ? JSON.parse(json) : undefined;
		if (type === '0') {
			this.connected = true;
			this.#attempts = 0;
			const waiting = this.#buffer;
			this.#buffer = [];
			for (const args of waiting) this.#sendEvent(args);
			this.#fire('connect');
		} else if (type === '2') {
			const [event, ...args] = payload as [string, ...unknown[]];
			if (id) {
				let answered = false;
				args.push((...reply: unknown[]) => {
					if (answered) return;
					answered = true;
					this.#send(`43${id}${JSON.stringify(reply)}`);
				});
			}
			this.#fire(event, ...args);
		} else if (type === '3') {
			const ack = this.#acks.get(Number(id));
			this.#acks.delete(Number(id));
			ack?.(...(payload as unknown[]));
		} else if (type === '1' || type === '4') {
			// the server ended this member's session or refused it: no retries (as socket.io)
			this.#active = false;
			this.#closed('io server disconnect');
			if (type === '4') this.#fire('connect_error', Object.assign(new Error((payload as { message: string }).message), { data: (payload as { data?: unknown }).data }));
		}
	}

	/** hands over to socket.io's client on long-polling (upgrading to a WebSocket should one work later) */
	async #useFallback(): Promise<void> {
		let io: typeof import('socket.io-client').io;
		this.#handingOver = true;
		try {
			({ io } = await import('socket.io-client'));
		} catch {
			// the chunk did not come (offline): try the WebSocket again later
			this.#handingOver = false;
			this.#fire('connect_error', new Error('transport error'));
			this.#retry = setTimeout(() => this.#open(), this.#backoff());
			return;
		}
		this.#handingOver = false;
		if (!this.#active) return;
		const { query, auth } = this.#options;
		const socket = io({ ...RECONNECTION, transports: ['polling', 'websocket'], query, auth });
		for (const [event, listeners] of this.#listeners) for (const listener of listeners) socket.on(event, listener);
		this.#fallback = socket;
		for (const args of this.#buffer) socket.emit(...(args as [string, ...unknown[]]));
		this.#buffer = [];
	}
}
