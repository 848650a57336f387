import pg from 'pg';

/** How long a readiness answer is reused: a balancer that checks every 0.5 s from each of several frontends asks the database once. */
const FRESH_MS = 250;
/** The longest a check waits for the database before saying "not ready". */
const CHECK_MS = 1000;

/**
 * Whether the database answers, asked over a connection of its own: never queued behind the
 * rating commits in the pool, so /readyz answers at once under full load (a balancer that times
 * out its checks during a reconnect storm marks healthy processes down one after another). One
 * check at a time; its answer is reused for a moment.
 */
export class Readiness {
	readonly #url: string;
	#client: pg.Client | null = null;
	#check: Promise<void> | null = null;
	#checkedAt = 0;
	#lastError: Error | null = null;

	constructor(databaseUrl: string) {
		this.#url = databaseUrl;
	}

	/** Resolves when the database answered lately (or answers now); rejects saying why not. */
	async ping(now = Date.now()): Promise<void> {
		if (now - this.#checkedAt < FRESH_MS && !this.#check) {
			if (this.#lastError) throw this.#lastError;
			return;
		}
		this.#check ??= this.#run().finally(() => {
			this.#check = null;
			this.#checkedAt = Date.now();
		});
		await this.#check;
	}

	async #run(): Promise<void> {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`the database did not answer within ${CHECK_MS / 1000} s`)), CHECK_MS);
		});
		try {
			await Promise.race([this.#query(), timeout]);
			this.#lastError = null;
		} catch (error) {
			this.#lastError = error as Error;
			// a new connection next time: this one may be broken
			const broken = this.#client;
			this.#client = null;
			void broken?.end().catch(() => {});
			throw error;
		} finally {
			clearTimeout(timer);
		}
	}

	async #query(): Promise<void> {
		if (!this.#client) {
			const client = new pg.Client({ connectionString: this.#url });
			client.on('error', () => {
				if (this.#client === client) this.#client = null;
			});
			await client.connect();
			this.#client = client;
		}
		await this.#client.query('SELECT 1');
	}

	async close(): Promise<void> {
		await this.#client?.end().catch(() => {});
		this.#client = null;
	}
}
