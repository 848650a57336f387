/**
 * The store on PostgreSQL (DATABASE_URL): the second implementation of store.ts, shared by any
 * number of processes. A workshop is a row of settings plus its members and ratings as rows of
 * their own (workshops.ts); assessments and templates are one JSON document each. A rating or a
 * new member (persistEntry) is acknowledged after its transaction commits; entries arriving in the
 * same turn of the event loop, from any workshop, share one transaction, so a thousand ratings a
 * second need far fewer than a thousand commits (each commit is one fsync of the WAL). Records are
 * read on first use; the summaries of all of them are read at start and kept current through
 * the other processes' notices (listener.ts).
 */
import pg from 'pg';
import type { z } from 'zod';
import { describeZodError } from '../../../protocol';
import { assessmentRecordSchema, reportVersionRecordSchema, templateRecordSchema, type AssessmentRecord, type ReportVersionRecord, type TemplateRecord } from '../records';
import {
	RecordUnreadable,
	assessmentSummary,
	reportVersionSummary,
	templateSummary,
	type AssessmentSummary,
	type Collection,
	type LoadProblem,
	type RecordHandle,
	type RemoteUpdate,
	type ReportVersionSummary,
	type Store,
	type TemplateSummary
} from '../store';
import { migrate } from './migrations';
import { CHANNEL, Listener, type Notice } from './listener';
import { EntryBatcher } from './entries';
import { WorkshopCollection } from './workshops';
import { Healer, WriteQueue, transaction, type Queryable } from './shared';
import { Readiness } from './readiness';

/** How the other processes are told which kind of document changed. */
const NOTICE_KIND = { assessments: 'a', templates: 't', reports: 'r' } as const;

/**
 * One assessment or template in memory. Its changes run under the row's lock on the document as
 * stored (another process may have saved it since it was read here).
 */
class DocumentHandle<T> implements RecordHandle<T> {
	onRevert: (() => void) | null = null;
	onRemote: ((update: RemoteUpdate<T>) => void) | null = null;
	watched: (() => boolean) | null = null;
	readonly seq = 0;
	readonly #queue = new WriteQueue();
	readonly #healer: Healer;
	constructor(
		public data: T,
		private readonly collection: DocumentCollection<T, unknown>
	) {
		this.#healer = new Healer(() => this.#queue.run(() => this.#take(this.collection.read(this.collection.idOf(this.data)))));
	}

	async #take(read: Promise<T>): Promise<void> {
		Object.assign(this.data as object, await read);
		this.onRevert?.();
	}

	persist(): Promise<void> {
		return this.#queue.run(() => this.collection.save(this.data)).catch((error) => this.#healer.afterFailure(error));
	}

	update(change: () => void): Promise<void> {
		let changed = false;
		return this.#queue
			.run(() =>
				transaction(this.collection.pool, async (client) => {
					const id = this.collection.idOf(this.data);
					Object.assign(this.data as object, await this.collection.read(id, client, true));
					change();
					changed = true;
					await this.collection.save(this.data, client);
				})
			)
			.catch((error) => (changed ? this.#healer.afterFailure(error) : Promise.reject(error)));
	}

	persistEntry(): Promise<void> {
		return Promise.reject(new Error('only workshops take entries'));
	}

	refresh(): Promise<void> {
		return this.#queue.run(() => this.#take(this.collection.read(this.collection.idOf(this.data))));
	}

	settled(): Promise<void> {
		return this.#queue.settled();
	}

	close(): void {
		this.#healer.close();
	}
}

/** Assessments, templates and final report versions: one JSON document each. */
class DocumentCollection<T, S> implements Collection<T, S> {
	readonly summaries = new Map<string, S>();
	readonly unreadable = new Map<string, string>();
	onRemote: ((event: { id: string; deleted: boolean }) => void) | null = null;
	constructor(
		readonly pool: pg.Pool,
		private readonly table: 'assessments' | 'templates' | 'reports',
		private readonly schema: z.ZodType<T>,
		readonly idOf: (record: T) => string,
		private readonly summaryOf: (record: T) => S,
		private readonly bytes: (delta: number) => void,
		private readonly listener: Listener
	) {
		const kind = NOTICE_KIND[table];
		listener.onNotice(
			(notice: Notice) => {
				if (notice.k === kind) void this.#refreshSummary(notice.id);
			},
			() => void this.load().catch(() => {})
		);
	}

	async load(): Promise<LoadProblem[]> {
		const problems: LoadProblem[] = [];
		const rows = await this.pool.query<{ id: string; data: unknown }>(`SELECT id, data FROM ${this.table}`);
		const found = new Set<string>();
		for (const row of rows.rows) {
			found.add(row.id);
			const parsed = this.schema.safeParse(row.data);
			if (parsed.success) this.summaries.set(row.id, this.summaryOf(parsed.data));
			else {
				const message = describeZodError(parsed.error);
				this.unreadable.set(row.id, message);
				problems.push({ file: `${this.table}/${row.id}`, message });
			}
		}
		for (const id of [...this.summaries.keys()]) if (!found.has(id)) this.summaries.delete(id);
		return problems;
	}

	async #refreshSummary(id: string): Promise<void> {
		try {
			const record = await this.read(id);
			this.summaries.set(id, this.summaryOf(record));
			this.onRemote?.({ id, deleted: false });
		} catch (error) {
			if (!(error instanceof RecordUnreadable)) return console.error(`Could not read ${this.table}/${id}:`, (error as Error).message);
			this.summaries.delete(id);
			this.onRemote?.({ id, deleted: true });
		}
	}

	async discover(id: string): Promise<boolean> {
		try {
			this.summaries.set(id, this.summaryOf(await this.read(id)));
			return true;
		} catch (error) {
			if (error instanceof RecordUnreadable) return false;
			throw error;
		}
	}

	async read(id: string, client: Queryable = this.pool, lock = false): Promise<T> {
		const row = (await client.query<{ data: unknown }>(`SELECT data FROM ${this.table} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])).rows[0];
		if (!row) throw new RecordUnreadable(id, `not in the database`);
		const parsed = this.schema.safeParse(row.data);
		if (!parsed.success) throw new RecordUnreadable(id, describeZodError(parsed.error));
		return parsed.data;
	}

	async save(record: T, client: Queryable = this.pool): Promise<void> {
		const data = JSON.stringify(record);
		this.bytes(data.length);
		const id = this.idOf(record);
		const notice = JSON.stringify({ p: this.listener.processId, k: NOTICE_KIND[this.table], id });
		if (this.table === 'assessments') {
			const updatedAt = (record as { assessment?: { updatedAt: string } }).assessment?.updatedAt;
			await client.query(
				'WITH saved AS (INSERT INTO assessments (id, updated_at, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET updated_at = $2, data = $3 RETURNING id) SELECT pg_notify($4, $5) FROM saved',
				[id, updatedAt ?? '', data, CHANNEL, notice]
			);
		} else {
			await client.query(
				`WITH saved AS (INSERT INTO ${this.table} (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = $2 RETURNING id) SELECT pg_notify($3, $4) FROM saved`,
				[id, data, CHANNEL, notice]
			);
		}
		this.summaries.set(id, this.summaryOf(record));
	}

	async open(id: string): Promise<RecordHandle<T>> {
		return new DocumentHandle(await this.read(id), this as DocumentCollection<T, unknown>);
	}

	async create(record: T): Promise<RecordHandle<T>> {
		await this.save(record);
		return new DocumentHandle(record, this as DocumentCollection<T, unknown>);
	}

	async remove(id: string): Promise<void> {
		const notice = JSON.stringify({ p: this.listener.processId, k: NOTICE_KIND[this.table], id });
		await this.pool.query(`WITH gone AS (DELETE FROM ${this.table} WHERE id = $1 RETURNING id) SELECT pg_notify($2, $3) FROM gone`, [id, CHANNEL, notice]);
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
	readonly reports: DocumentCollection<ReportVersionRecord, ReportVersionSummary>;
	readonly #batcher: EntryBatcher;
	readonly #listener: Listener;
	readonly #readiness: Readiness;
	#bytes = 0;

	constructor(databaseUrl: string, options: { poolSize?: number } = {}) {
		const url = new URL(databaseUrl);
		// for messages: the database, never the password
		this.location = `postgresql://${url.hostname || url.searchParams.get('host') || 'localhost'}${url.port ? `:${url.port}` : ''}${url.pathname}`;
		this.pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10) });
		// a connection lost while idle (the database restarted) is dropped from the pool, not fatal
		this.pool.on('error', (error) => console.error('A PostgreSQL connection failed:', error.message));
		const bytes = (delta: number) => (this.#bytes += delta);
		this.#listener = new Listener(databaseUrl, this.pool);
		this.#readiness = new Readiness(databaseUrl);
		this.#batcher = new EntryBatcher(this.pool, this.#listener.processId, (id) => this.#listener.followedElsewhere(id));
		this.workshops = new WorkshopCollection(this.pool, this.#batcher, bytes, this.#listener);
		this.assessments = new DocumentCollection(this.pool, 'assessments', assessmentRecordSchema as z.ZodType<AssessmentRecord>, (r) => r.assessment.id, assessmentSummary, bytes, this.#listener);
		this.templates = new DocumentCollection(this.pool, 'templates', templateRecordSchema as z.ZodType<TemplateRecord>, (r) => r.template.id, templateSummary, bytes, this.#listener);
		this.reports = new DocumentCollection(this.pool, 'reports', reportVersionRecordSchema as z.ZodType<ReportVersionRecord>, (r) => r.report.id, reportVersionSummary, bytes, this.#listener);
	}

	/** Messages between the processes on this database (presence). */
	get bus(): Listener {
		return this.#listener;
	}

	/** Applies the migrations, listens for the other processes' changes and reads every record's summary. */
	async open(): Promise<LoadProblem[]> {
		await migrate(this.pool);
		await this.#listener.start();
		await this.workshops.load();
		const problems = [...(await this.assessments.load()), ...(await this.templates.load()), ...(await this.reports.load())];
		const size = await this.pool.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
		this.#bytes = Number(size.rows[0]?.size ?? 0);
		return problems;
	}

	bytesUsed(): number {
		return this.#bytes;
	}

	/** Ready when the database answers (over a connection of its own, see Readiness). */
	ping(): Promise<void> {
		return this.#readiness.ping();
	}

	async close(): Promise<void> {
		await this.#readiness.close();
		await this.#listener.close();
		await this.pool.end();
	}
}
