/**
 * The store on PostgreSQL (DATABASE_URL): the second implementation of store.ts. A workshop is a
 * row of settings plus its members and ratings as rows of their own; assessments and templates are
 * one JSON document each. A rating or a new member (persistEntry) is acknowledged after its
 * transaction commits; entries arriving in the same turn of the event loop, from any workshop, share
 * one transaction, so a thousand ratings a second need far fewer than a thousand commits (each
 * commit is one fsync of the WAL). Records are read on first use; the summaries of all of them
 * are read at start.
 */
import pg from 'pg';
import type { z } from 'zod';
import { describeZodError } from '../../../protocol';
import {
	assessmentRecordSchema,
	templateRecordSchema,
	workshopRecordSchema,
	type AssessmentRecord,
	type ParticipantRecord,
	type TemplateRecord,
	type WorkshopRecord
} from '../records';
import {
	RecordUnreadable,
	assessmentSummary,
	templateSummary,
	type AssessmentSummary,
	type Collection,
	type LoadProblem,
	type RecordEntry,
	type RecordHandle,
	type Store,
	type TemplateSummary,
	type WorkshopSummary
} from '../store';
import type { Rating } from '../../../domain/types';
import { migrate } from './migrations';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Runs `work` in a transaction on a client of the pool. */
async function transaction<R>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<R>): Promise<R> {
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

/** Writes of one record, one after another (a persist never overtakes an earlier one). */
class WriteQueue {
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

/** A handle on one record kept as it is in memory; what `save` stores is the whole record. */
class PgHandle<T> implements RecordHandle<T> {
	onRevert: (() => void) | null = null;
	readonly #queue = new WriteQueue();
	constructor(
		public data: T,
		private readonly save: (record: T) => Promise<void>,
		private readonly entry: (record: T, entry: RecordEntry) => Promise<void>,
		private readonly reload: () => Promise<T>
	) {}

	persist(): Promise<void> {
		return this.#queue.run(() => this.save(this.data)).catch((error) => this.#revert(error));
	}

	persistEntry(entry: RecordEntry): Promise<void> {
		return this.entry(this.data, entry).catch((error) => this.#revert(error));
	}

	settled(): Promise<void> {
		return this.#queue.settled();
	}

	/**
	 * A failed write: memory goes back to what the database holds, and the caller hears why. When
	 * the database cannot be read either (it is down), memory is put back as soon as it can, so an
	 * answer that was refused and never sent again does not stay counted.
	 */
	async #revert(error: unknown): Promise<never> {
		if (!(await this.#reloadNow())) this.#healLater();
		throw error;
	}

	async #reloadNow(): Promise<boolean> {
		try {
			const stored = await this.reload();
			await this.#queue.run(async () => {
				Object.assign(this.data as object, stored);
				this.onRevert?.();
			});
			return true;
		} catch {
			return false;
		}
	}

	#healing: ReturnType<typeof setTimeout> | null = null;
	#closed = false;
	#healLater(): void {
		if (this.#healing || this.#closed) return;
		this.#healing = setTimeout(async () => {
			this.#healing = null;
			if (!(await this.#reloadNow())) this.#healLater();
		}, 1000);
		this.#healing.unref?.();
	}

	close(): void {
		this.#closed = true;
		if (this.#healing) clearTimeout(this.#healing);
	}
}

/** Entries (ratings, new members) of every workshop, committed together once per turn of the event loop. */
class EntryBatcher {
	#pending: { workshopId: string; entry: RecordEntry; done: (error?: unknown) => void }[] = [];
	#scheduled = false;
	/** transactions committed, for the bench (commits per second) */
	commits = 0;
	constructor(private readonly pool: pg.Pool) {}

	add(workshopId: string, entry: RecordEntry): Promise<void> {
		return new Promise((resolve, reject) => {
			this.#pending.push({ workshopId, entry, done: (error) => (error ? reject(error) : resolve()) });
			if (!this.#scheduled) {
				this.#scheduled = true;
				setImmediate(() => void this.#flush());
			}
		});
	}

	async #flush(): Promise<void> {
		const batch = this.#pending;
		this.#pending = [];
		this.#scheduled = false;
		try {
			await this.#write(batch);
			for (const item of batch) item.done();
		} catch {
			// one bad entry (a workshop deleted meanwhile) must not fail the others: each workshop on its own
			const byWorkshop = new Map<string, typeof batch>();
			for (const item of batch) byWorkshop.set(item.workshopId, [...(byWorkshop.get(item.workshopId) ?? []), item]);
			await Promise.all(
				[...byWorkshop.values()].map(async (items) => {
					try {
						await this.#write(items);
						for (const item of items) item.done();
					} catch (error) {
						for (const item of items) item.done(error);
					}
				})
			);
		}
	}

	async #write(batch: { workshopId: string; entry: RecordEntry }[]): Promise<void> {
		await transaction(this.pool, async (client) => {
			const members = batch.flatMap(({ workshopId, entry }) => ('p' in entry ? [{ workshopId, member: entry.p }] : []));
			if (members.length) await insertParticipants(client, members);
			// the last answer of a member to a point and round wins within the batch, as in memory
			const ratings = new Map<string, { workshopId: string; rating: Rating }>();
			for (const { workshopId, entry } of batch) {
				if ('r' in entry) ratings.set(`${workshopId}\u0000${entry.r.participantId}\u0000${entry.r.riskPointId}\u0000${entry.r.round}`, { workshopId, rating: entry.r });
			}
			if (ratings.size) await upsertRatings(client, [...ratings.values()]);
		});
		this.commits++;
	}
}

async function insertParticipants(client: Queryable, members: { workshopId: string; member: ParticipantRecord }[]): Promise<void> {
	await client.query(
		`INSERT INTO participants (workshop_id, id, token_hash, name, joined_at)
		 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
		 ON CONFLICT (workshop_id, id) DO NOTHING`,
		[members.map((m) => m.workshopId), members.map((m) => m.member.id), members.map((m) => m.member.tokenHash), members.map((m) => m.member.name), members.map((m) => m.member.joinedAt)]
	);
}

async function upsertRatings(client: Queryable, ratings: { workshopId: string; rating: Rating }[]): Promise<void> {
	const column = <K extends keyof Rating>(key: K) => ratings.map(({ rating }) => rating[key] ?? null);
	await client.query(
		`INSERT INTO ratings (workshop_id, participant_id, risk_point_id, round, likelihood, consequence, knowledge, comment, at)
		 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[], $8::text[], $9::text[])
		 ON CONFLICT (workshop_id, participant_id, risk_point_id, round) DO UPDATE SET
		   likelihood = EXCLUDED.likelihood, consequence = EXCLUDED.consequence, knowledge = EXCLUDED.knowledge,
		   comment = EXCLUDED.comment, at = EXCLUDED.at`,
		[ratings.map((r) => r.workshopId), column('participantId'), column('riskPointId'), column('round'), column('likelihood'), column('consequence'), column('knowledge'), column('comment'), column('at')]
	);
}

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

/** Workshops: settings in a row, members and ratings in rows of their own. */
class WorkshopCollection implements Collection<WorkshopRecord, WorkshopSummary> {
	readonly summaries = new Map<string, WorkshopSummary>();
	readonly unreadable = new Map<string, string>();
	constructor(
		private readonly pool: pg.Pool,
		private readonly batcher: EntryBatcher,
		private readonly bytes: (delta: number) => void
	) {}

	async load(): Promise<void> {
		const rows = await this.pool.query<WorkshopRow>('SELECT id, join_code, assessment_id, kind, status, updated_at FROM workshops');
		for (const row of rows.rows) this.summaries.set(row.id, summaryOfRow(row));
	}

	/** The whole workshop as the app keeps it, checked like a file: a row that does not fit is reported, not used. */
	async #read(id: string): Promise<WorkshopRecord> {
		const [settings, participants, ratings] = await Promise.all([
			this.pool.query<{ settings: unknown }>('SELECT settings FROM workshops WHERE id = $1', [id]),
			this.pool.query('SELECT id, token_hash, name, joined_at FROM participants WHERE workshop_id = $1 ORDER BY seq', [id]),
			this.pool.query('SELECT participant_id, risk_point_id, round, likelihood, consequence, knowledge, comment, at FROM ratings WHERE workshop_id = $1 ORDER BY seq', [id])
		]);
		if (!settings.rows[0]) throw new RecordUnreadable(id, 'the workshop is not in the database');
		const raw = {
			version: 1,
			workshop: settings.rows[0].settings,
			participants: participants.rows.map((p) => ({ id: p.id, tokenHash: p.token_hash, name: p.name, joinedAt: p.joined_at })),
			ratings: ratings.rows.map((r) => {
				const rating: Record<string, unknown> = { participantId: r.participant_id, riskPointId: r.risk_point_id, round: r.round, likelihood: r.likelihood, consequence: r.consequence, at: r.at };
				if (r.knowledge !== null) rating.knowledge = r.knowledge;
				if (r.comment !== null) rating.comment = r.comment;
				return rating;
			}),
			journalSeq: 0
		};
		const parsed = (workshopRecordSchema as z.ZodType<WorkshopRecord>).safeParse(raw);
		if (!parsed.success) {
			const message = `the workshop in the database does not fit: ${describeZodError(parsed.error)}`;
			this.unreadable.set(id, message);
			throw new RecordUnreadable(id, message);
		}
		return parsed.data;
	}

	#handle(record: WorkshopRecord): RecordHandle<WorkshopRecord> {
		const id = record.workshop.id;
		return new PgHandle(
			record,
			(current) => this.#save(current),
			(_current, entry) => {
				this.bytes(200);
				return this.batcher.add(id, entry);
			},
			() => this.#read(id)
		);
	}

	/** The settings, and members and ratings that left memory (a member removed with their answers). */
	async #save(record: WorkshopRecord, client?: Queryable): Promise<void> {
		const { workshop } = record;
		const write = async (db: Queryable) => {
			const settings = JSON.stringify(workshop);
			this.bytes(settings.length);
			await db.query(
				`INSERT INTO workshops (id, join_code, assessment_id, kind, status, updated_at, settings) VALUES ($1, $2, $3, $4, $5, $6, $7)
				 ON CONFLICT (id) DO UPDATE SET join_code = $2, assessment_id = $3, kind = $4, status = $5, updated_at = $6, settings = $7`,
				[workshop.id, workshop.joinCode, workshop.assessmentId, workshop.kind, workshop.status, workshop.updatedAt, settings]
			);
			const ids = record.participants.map((p) => p.id);
			await db.query('DELETE FROM ratings WHERE workshop_id = $1 AND NOT (participant_id = ANY($2::text[]))', [workshop.id, ids]);
			await db.query('DELETE FROM participants WHERE workshop_id = $1 AND NOT (id = ANY($2::text[]))', [workshop.id, ids]);
		};
		if (client) await write(client);
		else await transaction(this.pool, write);
		this.summaries.set(workshop.id, summaryOfRow({ id: workshop.id, join_code: workshop.joinCode, assessment_id: workshop.assessmentId, kind: workshop.kind, status: workshop.status, updated_at: workshop.updatedAt }));
	}

	async open(id: string): Promise<RecordHandle<WorkshopRecord>> {
		return this.#handle(await this.#read(id));
	}

	/** A new workshop, or one copied in whole (members and ratings too: the migration command). */
	async create(record: WorkshopRecord): Promise<RecordHandle<WorkshopRecord>> {
		await transaction(this.pool, async (client) => {
			await this.#save(record, client);
			const workshopId = record.workshop.id;
			if (record.participants.length) await insertParticipants(client, record.participants.map((member) => ({ workshopId, member })));
			if (record.ratings.length) await upsertRatings(client, record.ratings.map((rating) => ({ workshopId, rating })));
		});
		return this.#handle(record);
	}

	async remove(id: string): Promise<void> {
		await this.pool.query('DELETE FROM workshops WHERE id = $1', [id]);
		this.summaries.delete(id);
		this.unreadable.delete(id);
	}
}

/** Assessments and templates: one JSON document each. */
class DocumentCollection<T, S> implements Collection<T, S> {
	readonly summaries = new Map<string, S>();
	readonly unreadable = new Map<string, string>();
	constructor(
		private readonly pool: pg.Pool,
		private readonly table: 'assessments' | 'templates',
		private readonly schema: z.ZodType<T>,
		private readonly idOf: (record: T) => string,
		private readonly summaryOf: (record: T) => S,
		private readonly bytes: (delta: number) => void
	) {}

	async load(): Promise<LoadProblem[]> {
		const problems: LoadProblem[] = [];
		const rows = await this.pool.query<{ id: string; data: unknown }>(`SELECT id, data FROM ${this.table}`);
		for (const row of rows.rows) {
			const parsed = this.schema.safeParse(row.data);
			if (parsed.success) this.summaries.set(row.id, this.summaryOf(parsed.data));
			else {
				const message = describeZodError(parsed.error);
				this.unreadable.set(row.id, message);
				problems.push({ file: `${this.table}/${row.id}`, message });
			}
		}
		return problems;
	}

	async #read(id: string): Promise<T> {
		const row = (await this.pool.query<{ data: unknown }>(`SELECT data FROM ${this.table} WHERE id = $1`, [id])).rows[0];
		if (!row) throw new RecordUnreadable(id, `not in the database`);
		const parsed = this.schema.safeParse(row.data);
		if (!parsed.success) throw new RecordUnreadable(id, describeZodError(parsed.error));
		return parsed.data;
	}

	async #save(record: T): Promise<void> {
		const data = JSON.stringify(record);
		this.bytes(data.length);
		const id = this.idOf(record);
		const updatedAt = (record as { assessment?: { updatedAt: string } }).assessment?.updatedAt;
		if (this.table === 'assessments') {
			await this.pool.query('INSERT INTO assessments (id, updated_at, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET updated_at = $2, data = $3', [id, updatedAt ?? '', data]);
		} else {
			await this.pool.query('INSERT INTO templates (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = $2', [id, data]);
		}
		this.summaries.set(id, this.summaryOf(record));
	}

	#handle(record: T): RecordHandle<T> {
		const id = this.idOf(record);
		return new PgHandle(
			record,
			(current) => this.#save(current),
			() => Promise.reject(new Error('only workshops take entries')),
			() => this.#read(id)
		);
	}

	async open(id: string): Promise<RecordHandle<T>> {
		return this.#handle(await this.#read(id));
	}

	async create(record: T): Promise<RecordHandle<T>> {
		await this.#save(record);
		return this.#handle(record);
	}

	async remove(id: string): Promise<void> {
		await this.pool.query(`DELETE FROM ${this.table} WHERE id = $1`, [id]);
		this.summaries.delete(id);
		this.unreadable.delete(id);
	}
}

export class PostgresStore implements Store {
	readonly location: string;
	readonly pool: pg.Pool;
	readonly workshops: WorkshopCollection;
	readonly assessments: DocumentCollection<AssessmentRecord, AssessmentSummary>;
	readonly templates: DocumentCollection<TemplateRecord, TemplateSummary>;
	readonly #batcher: EntryBatcher;
	#bytes = 0;

	constructor(databaseUrl: string, options: { poolSize?: number } = {}) {
		const url = new URL(databaseUrl);
		// for messages: the database, never the password
		this.location = `postgresql://${url.hostname || url.searchParams.get('host') || 'localhost'}${url.port ? `:${url.port}` : ''}${url.pathname}`;
		this.pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10) });
		// a connection lost while idle (the database restarted) is dropped from the pool, not fatal
		this.pool.on('error', (error) => console.error('A PostgreSQL connection failed:', error.message));
		const bytes = (delta: number) => (this.#bytes += delta);
		this.#batcher = new EntryBatcher(this.pool);
		this.workshops = new WorkshopCollection(this.pool, this.#batcher, bytes);
		this.assessments = new DocumentCollection(this.pool, 'assessments', assessmentRecordSchema as z.ZodType<AssessmentRecord>, (r) => r.assessment.id, assessmentSummary, bytes);
		this.templates = new DocumentCollection(this.pool, 'templates', templateRecordSchema as z.ZodType<TemplateRecord>, (r) => r.template.id, templateSummary, bytes);
	}

	/** Applies the migrations and reads every record's summary. */
	async open(): Promise<LoadProblem[]> {
		await migrate(this.pool);
		await this.workshops.load();
		const problems = [...(await this.assessments.load()), ...(await this.templates.load())];
		const size = await this.pool.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
		this.#bytes = Number(size.rows[0]?.size ?? 0);
		return problems;
	}

	/** Transactions that stored entries (ratings, members) since start. */
	get entryCommits(): number {
		return this.#batcher.commits;
	}

	bytesUsed(): number {
		return this.#bytes;
	}

	/** Ready when the database answers within two seconds. */
	async ping(): Promise<void> {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error('the database did not answer within 2 s')), 2000);
		});
		try {
			await Promise.race([this.pool.query('SELECT 1'), timeout]);
		} finally {
			clearTimeout(timer);
		}
	}

	close(): Promise<void> {
		return this.pool.end();
	}
}
