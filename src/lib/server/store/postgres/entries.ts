/**
 * Ratings and new members on PostgreSQL: committed in groups, one batch at a time per process, so
 * a thousand ratings a second need far fewer than a thousand commits (each commit is one fsync of
 * the WAL), and the other processes told after the commit (docs/scaling.md).
 */
import type pg from 'pg';
import type { RecordEntry } from '../store';
import type { Rating } from '../../../domain/types';
import { notify, type Notice } from './listener';
import { insertMembersSql, int, memberColumns, ratingColumns, ratingKey, upsertRatingsSql } from './rows';

const stamped = (alias: string) => `JOIN bumped b ON b.id = ${alias}.workshop_id`;

/**
 * One statement, so one round trip and one commit: each workshop's next change number (its row
 * locked, in id order: two processes never deadlock), then its members and ratings stamped with
 * it. Always the same text with arrays for the rows, so it is prepared once per connection (as
 * `entries`) and not parsed and planned again for every commit.
 */
const ENTRIES_SQL = `WITH locked AS (SELECT id FROM workshops WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE),
	bumped AS (UPDATE workshops w SET seq = w.seq + 1 FROM locked WHERE w.id = locked.id RETURNING w.id, w.seq),
	members AS (${insertMembersSql(2, 'b.seq', stamped('m'))}),
	answers AS (${upsertRatingsSql(7, 'b.seq', stamped('r'))})
	SELECT id, seq FROM bumped`;

interface Pending {
	workshopId: string;
	entry: RecordEntry;
	done: (error: unknown, seq?: number) => void;
}

/**
 * Entries (ratings, new members) of every workshop, committed in groups: one batch at a time per
 * process, the next one carrying everything that arrived while the last was committing (a
 * thousand ratings a second need far fewer than a thousand commits; each commit is one fsync of
 * the WAL). Each workshop in the batch takes one change number, so a workshop's commits are
 * numbered in the order they become visible.
 *
 * One at a time, not one per turn of the event loop with several under way: every commit costs
 * the database a transaction, a WAL flush and a wakeup of the process, and on three processes at
 * 1,000 ratings/s several under way meant more, smaller commits that took turns on the same
 * fsync. Paired runs (docs/scaling.md): ack p99 46-137 against 53-214 ms, database CPU 36-49
 * against 49-62 %; with every workshop on every process, p99 165 against 220 ms.
 */
export class EntryBatcher {
	#pending: Pending[] = [];
	#scheduled = false;
	#committing = false;
	/**
	 * `followedElsewhere` says whether another process follows a workshop live: only those are told
	 * of its ratings and members (a notice for every commit to every process cost each of three
	 * processes a wakeup per commit, and the database as many transactions as the ratings' own).
	 */
	constructor(
		private readonly pool: pg.Pool,
		private readonly processId: string,
		private readonly followedElsewhere: (workshopId: string) => boolean = () => true
	) {}

	/** Resolves with the workshop's change number once the entry is committed. */
	add(workshopId: string, entry: RecordEntry): Promise<number> {
		return new Promise((resolve, reject) => {
			this.#pending.push({ workshopId, entry, done: (error, seq) => (error ? reject(error) : resolve(seq!)) });
			this.#schedule();
		});
	}

	/** A commit at the end of this turn of the event loop (so that the turn's entries go together), unless one is under way. */
	#schedule(): void {
		if (this.#scheduled || this.#committing) return;
		this.#scheduled = true;
		setImmediate(() => void this.#flush());
	}

	async #flush(): Promise<void> {
		this.#scheduled = false;
		const batch = this.#pending;
		this.#pending = [];
		if (!batch.length) return;
		this.#committing = true;
		try {
			await this.#commit(batch);
		} finally {
			this.#committing = false;
			if (this.#pending.length) this.#schedule();
		}
	}

	async #commit(batch: Pending[]): Promise<void> {
		try {
			const seqs = await this.#write(batch);
			// a workshop deleted meanwhile took its entries with it: those are refused, the others stored
			for (const item of batch) {
				const seq = seqs.get(item.workshopId);
				item.done(seq === undefined ? new Error(`workshop ${item.workshopId} is not in the database (deleted)`) : null, seq);
			}
		} catch (error) {
			for (const item of batch) item.done(error);
		}
	}

	/** Commits a batch (ENTRIES_SQL) and tells the processes that follow its workshops. */
	async #write(batch: Pending[]): Promise<Map<string, number>> {
		const ids = [...new Set(batch.map((item) => item.workshopId))];
		const members = batch.flatMap(({ workshopId, entry }) => ('p' in entry ? [{ workshopId, member: entry.p }] : []));
		// the last answer of a member to a point and round wins within the batch, as in memory
		const latest = new Map<string, { workshopId: string; rating: Rating }>();
		for (const { workshopId, entry } of batch) if ('r' in entry) latest.set(`${workshopId}\u0000${ratingKey(entry.r)}`, { workshopId, rating: entry.r });
		const bumped = await this.pool.query<{ id: string; seq: string }>({
			name: 'entries',
			text: ENTRIES_SQL,
			values: [ids, ...memberColumns(members), ...ratingColumns([...latest.values()])]
		});
		const seqs = new Map(bumped.rows.map((row) => [row.id, int(row.seq)]));
		const notices: Notice[] = [];
		for (const [id, seq] of seqs) if (this.followedElsewhere(id)) notices.push({ p: this.processId, k: 'w', id, seq });
		notify(this.pool, notices);
		return seqs;
	}
}
