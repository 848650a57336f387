import { LIMITS } from '../guards/limits';
import { RecordUnreadable } from '../store/store';

/**
 * Which records are in memory: read from the store on first use (one read however many ask at
 * once), kept while connections retain them or while they were used lately, and dropped once
 * nobody has used them for `idleMs` and their writes are done. A record that cannot be read is
 * set aside with its reason (logged once), so it neither crashes the process nor is read again
 * and again.
 */
export class Residency<T> {
	readonly #what: string;
	readonly #idleMs: number;
	readonly #load: (id: string) => Promise<T>;
	readonly #settled: (value: T) => Promise<void>;
	readonly #dispose: (value: T) => void;
	readonly #loaded = new Map<string, T>();
	readonly #loading = new Map<string, Promise<T>>();
	readonly #lastUsed = new Map<string, number>();
	readonly #retained = new Map<string, number>();
	readonly unreadable = new Map<string, string>();

	constructor(options: {
		what: string;
		idleMs?: number;
		load: (id: string) => Promise<T>;
		settled: (value: T) => Promise<void>;
		/** lets go of what a record keeps open when it leaves memory */
		dispose?: (value: T) => void;
	}) {
		this.#what = options.what;
		this.#idleMs = options.idleMs ?? LIMITS.idleMinutes * 60_000;
		this.#load = options.load;
		this.#settled = options.settled;
		this.#dispose = options.dispose ?? (() => {});
		const sweep = setInterval(() => void this.sweep(), Math.max(1000, Math.min(60_000, this.#idleMs / 2)));
		sweep.unref();
	}

	/** The record if it is in memory now. */
	loaded(id: string): T | undefined {
		const value = this.#loaded.get(id);
		if (value !== undefined) this.#lastUsed.set(id, Date.now());
		return value;
	}

	get size(): number {
		return this.#loaded.size;
	}

	/** Resolves when every record in memory has no write under way or waiting. */
	async settled(): Promise<void> {
		await Promise.all([...this.#loaded.values()].map((value) => this.#settled(value).catch(() => {})));
	}

	async open(id: string): Promise<T> {
		const loaded = this.loaded(id);
		if (loaded !== undefined) return loaded;
		const reason = this.unreadable.get(id);
		if (reason !== undefined) throw new RecordUnreadable(id, reason);
		let loading = this.#loading.get(id);
		if (!loading) {
			loading = this.#load(id)
				.then((value) => this.add(id, value))
				.catch((error: unknown) => {
					// a disk that fails now (too many open files) may work later: only unusable contents are set aside
					if (!(error instanceof RecordUnreadable)) throw error;
					const message = error.message;
					this.unreadable.set(id, message);
					console.error(`Set aside ${this.#what} ${id}: it could not be read (${message}). Its files are left as they are.`);
					throw error;
				})
				.finally(() => this.#loading.delete(id));
			this.#loading.set(id, loading);
		}
		return loading;
	}

	/** Puts a record made here in memory. */
	add(id: string, value: T): T {
		this.#loaded.set(id, value);
		this.#lastUsed.set(id, Date.now());
		return value;
	}

	/** Forgets a record deleted elsewhere and lets go of it; true when it was in memory. */
	evict(id: string): boolean {
		const value = this.#loaded.get(id);
		this.drop(id);
		if (value !== undefined) this.#dispose(value);
		return value !== undefined;
	}

	/** Forgets a record (deleted). */
	drop(id: string): void {
		this.#loaded.delete(id);
		this.#lastUsed.delete(id);
		this.#retained.delete(id);
		this.unreadable.delete(id);
	}

	/** Whether a connection keeps the record in memory now. */
	isRetained(id: string): boolean {
		return this.#retained.has(id);
	}

	retain(id: string): void {
		this.#retained.set(id, (this.#retained.get(id) ?? 0) + 1);
	}

	release(id: string): void {
		const left = (this.#retained.get(id) ?? 1) - 1;
		if (left > 0) this.#retained.set(id, left);
		else this.#retained.delete(id);
		this.#lastUsed.set(id, Date.now());
	}

	/** Drops records nobody retains or has used for idleMs, once their writes are done. */
	async sweep(now = Date.now()): Promise<number> {
		let dropped = 0;
		for (const [id, value] of [...this.#loaded]) {
			if (this.#retained.has(id) || now - (this.#lastUsed.get(id) ?? 0) < this.#idleMs) continue;
			await this.#settled(value).catch(() => {});
			// still idle after the wait, and still the same record
			if (this.#retained.has(id) || this.#loaded.get(id) !== value || now - (this.#lastUsed.get(id) ?? 0) < this.#idleMs) continue;
			this.#loaded.delete(id);
			this.#lastUsed.delete(id);
			this.#dispose(value);
			dropped++;
		}
		return dropped;
	}
}
