/**
 * How the processes sharing one database hear of each other's changes: one connection per process
 * LISTENs on a channel, and every commit that changes a record NOTIFYs it (PostgreSQL delivers a
 * notification when, and only if, its transaction commits, in commit order). The same channel
 * carries the bus of store.ts (presence), which is never stored.
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { Bus } from '../store';

export const CHANNEL = 'risikoverksted';

/** What a commit tells the other processes. `p` is the process that made it. */
export type Notice =
	/** a workshop changed: its change number now; `s` when its settings did (its summary may have) */
	| { p: string; k: 'w'; id: string; seq: number; s?: 1 }
	/** a workshop was made or deleted */
	| { p: string; k: 'wc' | 'wd'; id: string }
	/** an assessment or a template was saved or deleted */
	| { p: string; k: 'a' | 't' | 'r'; id: string; d?: 1 }
	/** the process follows these workshops live (a connection there shows them): tell it their changes */
	| { p: string; k: 'f'; ids: string[] }
	/** a bus message */
	| { p: string; k: 'bus'; m: unknown };

/**
 * How long a process counts as following a workshop after it last said so. Processes say so every
 * SWEEP_MS (2 s) for each workshop they follow, and at once when they open one.
 */
export const FOLLOW_TTL_MS = 7_000;

/** The payload of a notice, for pg_notify (PostgreSQL refuses payloads of 8,000 bytes or more). */
export const noticeText = (notice: Notice): string => JSON.stringify(notice);

/**
 * Tells the other processes, after the commit and outside it: PostgreSQL serialises the commits of
 * transactions that NOTIFY (a lock on the queue held through the commit's fsync), which would undo
 * the grouping of commits. A notice lost with its process (killed between the commit and this), or
 * while the database is away, only delays the others until the next change of that workshop, their
 * sweep (SWEEP_MS) or their listener's resync.
 */
export function notify(pool: pg.Pool, notices: Notice[]): Promise<void> {
	if (!notices.length) return Promise.resolve();
	return pool.query('SELECT pg_notify($1, notice) FROM unnest($2::text[]) AS notice', [CHANNEL, notices.map(noticeText)]).then(
		() => {},
		() => {}
	);
}

export class Listener implements Bus {
	readonly processId = randomUUID();
	#client: pg.Client | null = null;
	#closed = false;
	#everConnected = false;
	readonly #handlers = new Set<(notice: Notice) => void>();
	readonly #resyncs = new Set<() => void>();
	readonly #busListeners = new Set<{ message: (from: string, message: unknown) => void; resync: () => void }>();
	/** workshop id -> the other processes that follow it, and until when */
	readonly #followers = new Map<string, Map<string, number>>();

	constructor(
		private readonly connectionString: string,
		private readonly pool: pg.Pool
	) {}

	/** Connects and LISTENs; once running, a lost connection is made again (and `resync` called). */
	async start(): Promise<void> {
		await this.#connect();
	}

	async #connect(): Promise<void> {
		const client = new pg.Client({ connectionString: this.connectionString });
		client.on('notification', (message) => {
			if (message.channel !== CHANNEL || !message.payload) return;
			let notice: Notice;
			try {
				notice = JSON.parse(message.payload) as Notice;
			} catch {
				return;
			}
			if (notice.p === this.processId) return;
			if (notice.k === 'bus') {
				for (const listener of this.#busListeners) listener.message(notice.p, notice.m);
				return;
			}
			if (notice.k === 'f') {
				// the handlers hear only of workshops this process did not know it followed
				const fresh = this.#follows(notice.p, notice.ids);
				if (fresh.length === 0) return;
				notice = { ...notice, ids: fresh };
			}
			for (const handler of this.#handlers) handler(notice);
		});
		const lost = () => {
			if (this.#client !== client) return;
			this.#client = null;
			client.removeAllListeners('end');
			if (!this.#closed) this.#reconnectLater();
		};
		client.on('error', (error) => {
			console.error('The PostgreSQL connection that listens for other processes failed:', error.message);
			lost();
			client.end().catch(() => {});
		});
		client.on('end', lost);
		await client.connect();
		await client.query(`LISTEN ${CHANNEL}`);
		this.#client = client;
		if (this.#everConnected) {
			// notices sent while the connection was down are gone: whoever keeps state catches up
			for (const resync of this.#resyncs) resync();
			for (const listener of this.#busListeners) listener.resync();
		}
		this.#everConnected = true;
	}

	#reconnectLater(delay = 500): void {
		const timer = setTimeout(() => {
			this.#connect().catch(() => this.#reconnectLater(Math.min(delay * 2, 5000)));
		}, delay);
		timer.unref?.();
	}

	/** Notices from other processes; `resync` when some may have been missed. */
	onNotice(handler: (notice: Notice) => void, resync: () => void): void {
		this.#handlers.add(handler);
		this.#resyncs.add(resync);
	}

	/** Notes that a process follows these workshops; returns those it was not known to follow. */
	#follows(processId: string, ids: string[]): string[] {
		const now = Date.now();
		const fresh: string[] = [];
		for (const id of ids) {
			let followers = this.#followers.get(id);
			if (!followers) this.#followers.set(id, (followers = new Map()));
			if ((followers.get(processId) ?? 0) <= now) fresh.push(id);
			followers.set(processId, now + FOLLOW_TTL_MS);
		}
		return fresh;
	}

	/**
	 * Whether another process follows the workshop live: only then are its ratings and new members
	 * worth a notice (a process that does not follow it reads what changed when it next opens it).
	 */
	followedElsewhere(id: string): boolean {
		const followers = this.#followers.get(id);
		if (!followers) return false;
		const now = Date.now();
		for (const [processId, until] of followers) {
			if (until > now) return true;
			followers.delete(processId);
		}
		this.#followers.delete(id);
		return false;
	}

	/** Tells the other processes that this one follows these workshops (in notices under PostgreSQL's payload limit). */
	announceFollowing(ids: readonly string[]): void {
		const notices: Notice[] = [];
		let batch: string[] = [];
		let length = 0;
		for (const id of ids) {
			if (length + id.length + 3 > 7000) {
				notices.push({ p: this.processId, k: 'f', ids: batch });
				batch = [];
				length = 0;
			}
			batch.push(id);
			length += id.length + 3;
		}
		if (batch.length) notices.push({ p: this.processId, k: 'f', ids: batch });
		// the database away: said again on the next sweep
		notify(this.pool, notices);
	}

	publish(message: object): void {
		const notice: Notice = { p: this.processId, k: 'bus', m: message };
		const length = noticeText(notice).length;
		if (length >= 7900) {
			console.error(`A message between processes was too long (${length} bytes) and was not sent.`);
			return;
		}
		// sent with the others of this turn, in one statement, after the statement before: in the order
		// published (two statements on two pooled connections could reach the others the other way
		// round), and a reconnect storm's hundreds of "on" take a few statements instead of a query each
		this.#outbox.push(notice);
		if (this.#sending) return;
		this.#sending = true;
		setImmediate(() => void this.#send());
	}

	readonly #outbox: Notice[] = [];
	#sending = false;

	async #send(): Promise<void> {
		while (this.#outbox.length && !this.#closed) {
			const batch = this.#outbox.splice(0, 200);
			// the database away: presence is sent again when the listening connection is back (resync)
			await notify(this.pool, batch);
		}
		this.#sending = false;
	}

	subscribe(listener: { message: (from: string, message: unknown) => void; resync: () => void }): () => void {
		this.#busListeners.add(listener);
		return () => this.#busListeners.delete(listener);
	}

	async close(): Promise<void> {
		this.#closed = true;
		const client = this.#client;
		this.#client = null;
		await client?.end().catch(() => {});
	}
}
