import type pg from 'pg';

export type Queryable = Pick<pg.PoolClient, 'query'>;

/** Runs `work` in a transaction on a client of the pool. */
export async function transaction<R>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<R>): Promise<R> {
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		const result = await work(client);
		await client.query('COMMIT');
		return result;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {});
		throw error;
	} finally {
		client.release();
	}
}

/** Work on one record, one after another (a write never overtakes an earlier one). */
export class WriteQueue {
	#tail: Promise<unknown> = Promise.resolve();
	run<R>(write: () => Promise<R>): Promise<R> {
		const next = this.#tail.then(write, write);
		this.#tail = next.catch(() => {});
		return next;
	}
	settled(): Promise<void> {
		return this.#tail.then(() => {});
	}
}

/**
 * After a failed write, memory goes back to what the database holds. When the database cannot be
 * read either (it is down), that is tried again every second until it can, so an answer that was
 * refused and never sent again does not stay counted.
 */
export class Healer {
	#timer: ReturnType<typeof setTimeout> | null = null;
	#closed = false;
	constructor(private readonly reload: () => Promise<void>) {}

	async now(): Promise<boolean> {
		try {
			await this.reload();
			return true;
		} catch {
			return false;
		}
	}

	async afterFailure(error: unknown): Promise<never> {
		if (!(await this.now())) this.later();
		throw error;
	}

	later(): void {
		if (this.#timer || this.#closed) return;
		this.#timer = setTimeout(async () => {
			this.#timer = null;
			if (!(await this.now())) this.later();
		}, 1000);
		this.#timer.unref?.();
	}

	close(): void {
		this.#closed = true;
		if (this.#timer) clearTimeout(this.#timer);
	}
}
