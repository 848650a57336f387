/**
 * Workshops on PostgreSQL: settings in a row, members and ratings in rows of their own, and any
 * number of processes serving the same workshop at once (docs/scaling.md).
 *
 * Every commit that changes a workshop takes its row's lock and its next change number (`seq`),
 * stamps the rows it writes with it (`change_seq`) and NOTIFYs the others. So a workshop's commits
 * are numbered in the order they became visible, and a process that has applied changes up to n
 * catches up by reading the rows stamped after n: one statement, one snapshot. Settings changes
 * (a reveal, the next point) also bump `settings_version`, run on the record as stored (under the
 * row's lock, after catching up) and make the others read the whole workshop again.
 */
import type pg from 'pg';
import type { z } from 'zod';
import { describeZodError } from '../../../protocol';
import { workshopRecordSchema, type WorkshopRecord } from '../records';
import { RecordUnreadable, type WorkshopCollection as Workshops, type RecordHandle, type WorkshopSummary } from '../store';
import { CHANNEL, notify, type Listener, type Notice } from './listener';
import { transaction, type Queryable } from './shared';
import { WorkshopHandle, type HandleHost } from './workshop-handle';
import type { EntryBatcher } from './entries';
import {
	CHANGES_SQL,
	RECORD_SQL,
	insertMembersSql,
	int,
	memberColumns,
	participantOf,
	ratingColumns,
	ratingOf,
	upsertRatingsSql,
	type ChangeRow
} from './rows';

/** How often a process reads what it may have missed for the workshops it follows (a notice lost with a killed process). */
export const SWEEP_MS = 2000;

interface WorkshopRow {
	id: string;
	join_code: string;
	assessment_id: string | null;
	kind: WorkshopSummary['kind'];
	status: WorkshopSummary['status'];
	updated_at: string;
}

const summaryOfRow = (row: WorkshopRow): WorkshopSummary => ({
	joinCode: row.join_code,
	assessmentId: row.assessment_id,
	kind: row.kind,
	status: row.status,
	updatedAt: row.updated_at
});
const SUMMARY_COLUMNS = 'id, join_code, assessment_id, kind, status, updated_at';

export class WorkshopCollection implements Workshops, HandleHost {
	readonly summaries = new Map<string, WorkshopSummary>();
	readonly unreadable = new Map<string, string>();
	onRemote: ((event: { id: string; deleted: boolean }) => void) | null = null;
	/** the workshops in memory here, to catch up when others change them */
	readonly #open = new Map<string, WorkshopHandle>();
	readonly #dirty = new Set<WorkshopHandle>();
	#catching = false;
	/** when this process last told the others it follows a workshop */
	readonly #announced = new Map<string, number>();

	constructor(
		private readonly pool: pg.Pool,
		readonly batcher: EntryBatcher,
		readonly bytes: (delta: number) => void,
		private readonly listener: Listener
	) {
		listener.onNotice(
			(notice) => this.#notice(notice),
			() => this.#resync()
		);
		const sweep = setInterval(() => {
			const followed: string[] = [];
			for (const handle of this.#open.values()) {
				if (!(handle.watched?.() ?? true)) continue;
				followed.push(handle.id);
				this.catchUpSoon(handle);
			}
			// the workshops followed here, again: a process counts as following for FOLLOW_TTL_MS after it said so
			this.listener.announceFollowing(followed);
			for (const id of followed) this.#announced.set(id, Date.now());
		}, SWEEP_MS);
		sweep.unref();
	}

	async load(): Promise<void> {
		const rows = await this.pool.query<WorkshopRow>(`SELECT ${SUMMARY_COLUMNS} FROM workshops`);
		const found = new Set<string>();
		for (const row of rows.rows) {
			this.summaries.set(row.id, summaryOfRow(row));
			found.add(row.id);
		}
		for (const id of [...this.summaries.keys()]) if (!found.has(id)) this.summaries.delete(id);
	}

	/** Tells the other processes at once that this one follows the workshop (unless it did a moment ago). */
	announce(handle: WorkshopHandle): void {
		const now = Date.now();
		if (now - (this.#announced.get(handle.id) ?? 0) < SWEEP_MS / 2) return;
		this.#announced.set(handle.id, now);
		this.listener.announceFollowing([handle.id]);
	}

	#notice(notice: Notice): void {
		if (notice.k === 'f') {
			// another process has just begun to follow these: tell it where the ones here stand, so a
			// change committed here before this notice came (and so not told) is not missed there
			const notices: Notice[] = [];
			for (const id of notice.ids) {
				const handle = this.#open.get(id);
				if (handle && handle.seq > 0) notices.push({ p: this.listener.processId, k: 'w', id, seq: handle.seq });
			}
			notify(this.pool, notices);
		} else if (notice.k === 'w') {
			const handle = this.#open.get(notice.id);
			// followed live here: now; otherwise when it is next opened (refresh)
			if (handle && notice.seq > handle.seq && (handle.watched?.() ?? true)) this.catchUpSoon(handle);
			if (notice.s) void this.#refreshSummary(notice.id);
		} else if (notice.k === 'wc') void this.#refreshSummary(notice.id);
		else if (notice.k === 'wd') {
			this.summaries.delete(notice.id);
			this.unreadable.delete(notice.id);
			this.onRemote?.({ id: notice.id, deleted: true });
		}
	}

	/** Notices may have been missed (the listening connection was lost): read again what could have changed. */
	#resync(): void {
		void this.load()
			.then(() => {
				for (const id of this.summaries.keys()) this.onRemote?.({ id, deleted: false });
			})
			.catch(() => {});
		for (const handle of this.#open.values()) this.catchUpSoon(handle);
	}

	async #refreshSummary(id: string): Promise<void> {
		try {
			const row = (await this.pool.query<WorkshopRow>(`SELECT ${SUMMARY_COLUMNS} FROM workshops WHERE id = $1`, [id])).rows[0];
			if (row) this.summaries.set(id, summaryOfRow(row));
			else this.summaries.delete(id);
			this.onRemote?.({ id, deleted: !row });
		} catch (error) {
			console.error(`Could not read the summary of workshop ${id}:`, (error as Error).message);
		}
	}

	async discover(id: string): Promise<boolean> {
		return (await this.#discoverWhere('id = $1', id)) !== null;
	}

	/** The id of the workshop with this join code, when another process made it a moment ago. */
	async discoverJoinCode(joinCode: string): Promise<string | null> {
		return this.#discoverWhere('join_code = $1', joinCode);
	}

	async #discoverWhere(where: string, value: string): Promise<string | null> {
		const row = (await this.pool.query<WorkshopRow>(`SELECT ${SUMMARY_COLUMNS} FROM workshops WHERE ${where}`, [value])).rows[0];
		if (!row) return null;
		this.summaries.set(row.id, summaryOfRow(row));
		this.onRemote?.({ id: row.id, deleted: false });
		return row.id;
	}

	/** Catches a workshop up soon; the workshops due are read together, in one statement. */
	catchUpSoon(handle: WorkshopHandle): void {
		this.#dirty.add(handle);
		if (this.#catching) return;
		this.#catching = true;
		setImmediate(() => void this.#catchUpDue());
	}

	async #catchUpDue(): Promise<void> {
		// a store being closed (pool.end) reads nothing more: what is due is of no use to anyone now
		while (this.#dirty.size && !this.pool.ending) {
			const due = [...this.#dirty];
			this.#dirty.clear();
			try {
				await this.catchUp(due);
			} catch (error) {
				// the database is away: tried again when it is back (the listener resyncs) or on the next notice
				console.error('Could not read what other processes changed:', (error as Error).message);
				break;
			}
		}
		this.#catching = false;
	}

	/** Reads and applies what other processes committed to these workshops. */
	async catchUp(handles: WorkshopHandle[], client: Queryable = this.pool, inline = client !== this.pool): Promise<void> {
		const live = handles.filter((handle) => this.#open.get(handle.id) === handle);
		if (!live.length) return;
		const rows = await client.query<ChangeRow>(CHANGES_SQL, [live.map((h) => h.id), live.map((h) => h.seq)]);
		const byId = new Map(live.map((handle) => [handle.id, handle]));
		for (const row of rows.rows) {
			const handle = byId.get(row.id)!;
			if (!handle.applyChanges(row)) {
				if (inline) await handle.reloadNow(client);
				else void handle.queue.run(() => handle.reloadNow()).catch(() => this.catchUpSoon(handle));
			}
		}
	}

	/** A whole workshop as the app keeps it, checked like a file: a row that does not fit is reported, not used. */
	async read(id: string, client: Queryable = this.pool): Promise<{ record: WorkshopRecord; seq: number; settingsVersion: number }> {
		const row = (
			await client.query<{ settings: unknown; seq: string; sv: string; participants: ChangeRow['participants']; ratings: ChangeRow['ratings'] }>(RECORD_SQL, [id])
		).rows[0];
		if (!row) throw new RecordUnreadable(id, 'the workshop is not in the database');
		const raw = { version: 1, workshop: row.settings, participants: row.participants.map(participantOf), ratings: row.ratings.map(ratingOf), journalSeq: 0 };
		const parsed = (workshopRecordSchema as z.ZodType<WorkshopRecord>).safeParse(raw);
		if (!parsed.success) {
			const message = `the workshop in the database does not fit: ${describeZodError(parsed.error)}`;
			this.unreadable.set(id, message);
			throw new RecordUnreadable(id, message);
		}
		return { record: parsed.data, seq: int(row.seq), settingsVersion: int(row.sv) };
	}

	#handle(record: WorkshopRecord, seq: number, settingsVersion: number): WorkshopHandle {
		const handle = new WorkshopHandle(record, seq, settingsVersion, this);
		this.#open.set(record.workshop.id, handle);
		return handle;
	}

	forget(handle: WorkshopHandle): void {
		if (this.#open.get(handle.id) === handle) this.#open.delete(handle.id);
		this.#dirty.delete(handle);
		this.#announced.delete(handle.id);
	}

	/**
	 * A change of settings: under the row's lock, on the workshop as stored (caught up first), then
	 * written with the next change number; members and ratings no longer in memory (a member
	 * removed with their answers) are deleted.
	 */
	async update(handle: WorkshopHandle, change: () => void): Promise<void> {
		const { seq, settingsVersion, notice } = await transaction(this.pool, async (client) => {
			const row = (await client.query<{ seq: string }>('SELECT seq FROM workshops WHERE id = $1 FOR UPDATE', [handle.id])).rows[0];
			if (!row) throw new Error(`workshop ${handle.id} is not in the database (deleted)`);
			if (int(row.seq) > handle.seq) await this.catchUp([handle], client);
			change();
			return this.#writeSettings(client, handle.data, true);
		});
		handle.settingsVersion = settingsVersion;
		handle.committed(seq);
		if (notice) notify(this.pool, [notice]);
	}

	async #writeSettings(client: Queryable, record: WorkshopRecord, existing: boolean): Promise<{ seq: number; settingsVersion: number; notice?: Notice }> {
		const { workshop } = record;
		const settings = JSON.stringify(workshop);
		this.bytes(settings.length);
		const values = [workshop.id, workshop.joinCode, workshop.assessmentId, workshop.kind, workshop.status, workshop.updatedAt, settings];
		let written: { seq: string; sv: string };
		if (existing) {
			written = (
				await client.query<{ seq: string; sv: string }>(
					`UPDATE workshops SET join_code = $2, assessment_id = $3, kind = $4, status = $5, updated_at = $6, settings = $7,
					   seq = seq + 1, settings_version = settings_version + 1
					 WHERE id = $1
					 RETURNING seq, settings_version AS sv`,
					values
				)
			).rows[0]!;
			const ids = record.participants.map((p) => p.id);
			await client.query('DELETE FROM ratings WHERE workshop_id = $1 AND NOT (participant_id = ANY($2::text[]))', [workshop.id, ids]);
			await client.query('DELETE FROM participants WHERE workshop_id = $1 AND NOT (id = ANY($2::text[]))', [workshop.id, ids]);
		} else {
			written = (
				await client.query<{ seq: string; sv: string }>(
					`INSERT INTO workshops (id, join_code, assessment_id, kind, status, updated_at, settings) VALUES ($1, $2, $3, $4, $5, $6, $7)
					 RETURNING seq, settings_version AS sv`,
					values
				)
			).rows[0]!;
			await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ p: this.listener.processId, k: 'wc', id: workshop.id })]);
		}
		this.summaries.set(workshop.id, summaryOfRow({ id: workshop.id, join_code: workshop.joinCode, assessment_id: workshop.assessmentId, kind: workshop.kind, status: workshop.status, updated_at: workshop.updatedAt }));
		const seq = int(written.seq);
		return { seq, settingsVersion: int(written.sv), notice: existing ? { p: this.listener.processId, k: 'w', id: workshop.id, seq, s: 1 } : undefined };
	}

	async open(id: string): Promise<RecordHandle<WorkshopRecord>> {
		const open = this.#open.get(id);
		if (open) return open;
		const read = await this.read(id);
		return this.#handle(read.record, read.seq, read.settingsVersion);
	}

	/** A new workshop, or one copied in whole (members and ratings too: the migration command). */
	async create(record: WorkshopRecord): Promise<RecordHandle<WorkshopRecord>> {
		const written = await transaction(this.pool, async (client) => {
			const written = await this.#writeSettings(client, record, false);
			const workshopId = record.workshop.id;
			if (record.participants.length) await client.query(insertMembersSql(1, '0'), memberColumns(record.participants.map((member) => ({ workshopId, member }))));
			if (record.ratings.length) await client.query(upsertRatingsSql(1, '0'), ratingColumns(record.ratings.map((rating) => ({ workshopId, rating }))));
			return written;
		});
		return this.#handle(record, written.seq, written.settingsVersion);
	}

	async remove(id: string): Promise<void> {
		await transaction(this.pool, async (client) => {
			await client.query('DELETE FROM workshops WHERE id = $1', [id]);
			await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ p: this.listener.processId, k: 'wd', id })]);
		});
		this.summaries.delete(id);
		this.unreadable.delete(id);
		const handle = this.#open.get(id);
		if (handle) this.forget(handle);
	}
}
