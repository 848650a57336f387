import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { dirname } from 'node:path';
import { AtomicJsonFile, syncDirectory } from './json-file';
import {
	JOURNAL_LIMIT,
	emptyJournal,
	journalLineText,
	keepDamagedJournal,
	journalPath,
	readJournal,
	replayWorkshop,
	type JournalEntry,
	type JournalLine,
	writeJournalAt
} from './journal';
import { workshopRecordSchema, type WorkshopRecord } from './records';
import { describeZodError } from '../../protocol';
import { UserError } from '../../domain/errors';
import type { z } from 'zod';

interface Deferred {
	promise: Promise<void>;
	resolve: () => void;
	reject: (error: unknown) => void;
}

function deferred(): Deferred {
	let resolve!: () => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<void>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/**
 * Files with a write waiting, flushed together in one task: their journal writes then reach the
 * writer threads as one message per thread (see journal.ts) instead of one each.
 */
const waitingFlushes = new Set<() => void>();
let flushQueued = false;
function flushSoon(flush: () => void): void {
	waitingFlushes.add(flush);
	if (flushQueued) return;
	flushQueued = true;
	setImmediate(() => {
		flushQueued = false;
		const flushes = [...waitingFlushes];
		waitingFlushes.clear();
		for (const one of flushes) one();
	});
}

/**
 * One record's lowdb file (a workshop, an assessment). Changes made in the same turn of the event loop, or while a write is
 * under way, are coalesced into one write; persist() resolves when the write holding the caller's
 * change is on disk. If a write fails, the data goes back to what is on disk and every caller whose
 * change was not written is told, so memory never claims more than the disk holds.
 */
export class RecordFile<T> {
	readonly db: Low<T>;
	readonly #adapter: AtomicJsonFile<T>;
	readonly #journal: Journal<T> | undefined;
	#next: Deferred | null = null;
	#writing = false;
	/** journal lines waiting for the next write, and those on disk newer than the snapshot */
	#pendingLines: JournalLine[] = [];
	#diskLines: JournalLine[] = [];
	#seq = 0;
	#snapshotWanted = false;
	#journalSynced = false;
	/**
	 * Where the journal's intact lines end: the next lines are written there. Whatever lies beyond
	 * (lines a snapshot already holds, a line torn by a failed write) is cut off by the next write
	 * when #journalTruncate says there may be some; at start the journal holds only lines the
	 * snapshot has (RecordStore.loadAll folds the others in first).
	 */
	#journalBytes = 0;
	#journalTruncate = true;
	/** called after a failed write has put the data back to what is on disk */
	onRevert: (() => void) | null = null;

	constructor(adapter: AtomicJsonFile<T>, record: T, journal?: Journal<T>, diskLines: JournalLine[] = []) {
		this.#adapter = adapter;
		this.db = new Low(adapter, record);
		this.#journal = journal;
		this.#diskLines = diskLines;
		if (journal) this.#seq = Math.max(journal.seqOf(record), ...diskLines.map((line) => line.seq));
	}

	get data(): T {
		return this.db.data;
	}

	/**
	 * The naive baseline for benchmarks (RISIKOVERKSTED_NAIVE=1): one whole-file write per change,
	 * one after another, instead of coalescing. Never used otherwise.
	 */
	static naive = process.env.RISIKOVERKSTED_NAIVE === '1';
	#chain: Promise<void> = Promise.resolve();

	/** Resolves once the current data is on disk (a fresh snapshot); rejects if that write failed. */
	persist(): Promise<void> {
		if (RecordFile.naive) {
			this.#chain = this.#chain.catch(() => {}).then(() => this.db.write());
			return this.#chain;
		}
		this.#snapshotWanted = true;
		return this.#request();
	}

	/**
	 * Resolves once a change already made in memory is on disk as a journal line (a rating, a new
	 * member): O(change) instead of O(file). Without a journal, the same as persist().
	 */
	persistEntry(entry: JournalEntry): Promise<void> {
		if (!this.#journal || RecordFile.naive) return this.persist();
		this.#pendingLines.push({ seq: ++this.#seq, entry });
		return this.#request();
	}

	/**
	 * Resolves when no write is under way or waiting, without asking for one (before the files are
	 * deleted, so a late write does not bring them back).
	 */
	async settled(): Promise<void> {
		while (this.#writing || this.#next) await (this.#next?.promise ?? this.#writeDone).catch(() => {});
	}
	#writeDone: Promise<void> = Promise.resolve();

	readonly #flushNow = () => void this.#flush();

	#request(): Promise<void> {
		if (!this.#next) {
			this.#next = deferred();
			if (!this.#writing) flushSoon(this.#flushNow);
		}
		return this.#next.promise;
	}

	async #flush(): Promise<void> {
		const batch = this.#next;
		if (!batch) return;
		this.#next = null;
		this.#writing = true;
		const written = deferred();
		this.#writeDone = written.promise;
		const journal = this.#journal;
		const lines = this.#pendingLines;
		this.#pendingLines = [];
		// fold the journal into a new snapshot once it holds about a third of the snapshot's size or
		// more (at least JOURNAL_LIMIT lines): rewriting a big file stays rare, so its cost per
		// rating stays constant however big the workshop grows
		const limit = Math.max(JOURNAL_LIMIT, Math.floor((this.#adapter.onDiskText?.length ?? 0) / 50));
		const snapshot = !journal || this.#snapshotWanted || this.#diskLines.length + lines.length > limit;
		this.#snapshotWanted = false;
		try {
			if (snapshot) {
				// the snapshot holds everything in memory, journal lines up to #seq included
				journal?.setSeq(this.db.data, this.#seq);
				await this.db.write();
				this.#diskLines = [];
				if (journal) {
					// the lines are in the snapshot now: the journal starts again from its beginning
					this.#journalBytes = 0;
					this.#journalTruncate = false;
					await emptyJournal(journal.path).catch((error: Error) => {
						this.#journalTruncate = true;
						console.error(`Could not empty ${journal.path}:`, error.message);
					});
				}
			} else if (journal && lines.length > 0) {
				const text = lines.map(journalLineText).join('');
				try {
					this.#journalBytes = await writeJournalAt(journal.path, text, this.#journalBytes, this.#journalTruncate);
					this.#journalTruncate = false;
				} catch (error) {
					this.#journalTruncate = true; // part of the text may be there: the next write goes over it
					throw error;
				}
				if (!this.#journalSynced) {
					await syncDirectory(dirname(journal.path));
					this.#journalSynced = true;
				}
				this.#diskLines.push(...lines);
			}
			batch.resolve();
		} catch (error) {
			const later = this.#next as Deferred | null;
			this.#next = null;
			this.#pendingLines = [];
			this.#snapshotWanted = false;
			// back to what the disk holds: the snapshot, and the journal lines written since
			this.db.data = JSON.parse(this.#adapter.onDiskText ?? 'null') as T;
			journal?.replay(this.db.data, this.#diskLines);
			this.onRevert?.();
			batch.reject(error);
			later?.reject(error);
		} finally {
			this.#writing = false;
			written.resolve();
			if (this.#next) flushSoon(this.#flushNow);
		}
	}
}

/**
 * Runs a disk operation; a failure is logged for the operator (with what was being done) and
 * reaches the user as `error.storage` (503: try again later), never as a raw system error.
 */
export async function onDisk<T>(what: string, operation: () => Promise<T>): Promise<T> {
	try {
		return await operation();
	} catch (error) {
		console.error(`Could not ${what}:`, (error as Error).message);
		throw new UserError('error.storage', {}, 503);
	}
}

export interface LoadProblem {
	file: string;
	message: string;
}

export type WorkshopFile = RecordFile<WorkshopRecord>;

/** How a kind of record keeps a journal beside its snapshot (workshops do; see journal.ts). */
export interface Journal<T> {
	path: string;
	seqOf: (record: T) => number;
	setSeq: (record: T, seq: number) => void;
	replay: (record: T, lines: readonly JournalLine[]) => number;
}
type JournalKind<T> = Omit<Journal<T>, 'path'>;

/**
 * Records of one kind, each in its own file under <dataDir>/<folder>, so one busy workshop never
 * rewrites another.
 */
export class RecordStore<T> {
	readonly directory: string;
	readonly #schema: z.ZodType<T>;
	readonly #idOf: (record: T) => string;
	readonly #what: string;

	readonly #journal: JournalKind<T> | undefined;

	constructor(
		dataDir: string,
		folder: string,
		schema: z.ZodType<T>,
		idOf: (record: T) => string,
		what: string,
		journal?: JournalKind<T>
	) {
		this.directory = join(dataDir, folder);
		this.#schema = schema;
		this.#idOf = idOf;
		this.#what = what;
		this.#journal = journal;
	}

	#journalFor(path: string): Journal<T> | undefined {
		return this.#journal ? { ...this.#journal, path: journalPath(path) } : undefined;
	}

	#path(id: string): string {
		return join(this.directory, `${id}.json`);
	}

	/** A new record's file, written before this resolves. */
	async create(record: T): Promise<RecordFile<T>> {
		const path = this.#path(this.#idOf(record));
		const file = new RecordFile(new AtomicJsonFile<T>(path), record, this.#journalFor(path));
		await file.db.write();
		return file;
	}

	/** Deletes a record's file (gone from disk once this resolves). */
	async remove(id: string): Promise<void> {
		for (const path of [this.#path(id), journalPath(this.#path(id))]) {
			await unlink(path).catch((error: NodeJS.ErrnoException) => {
				if (error.code !== 'ENOENT') throw error;
			});
		}
	}

	/** Loads every file; files that do not parse are reported and left untouched. */
	async loadAll(): Promise<{ files: RecordFile<T>[]; problems: LoadProblem[] }> {
		let names: string[];
		try {
			names = await readdir(this.directory);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], problems: [] };
			throw error;
		}
		const files: RecordFile<T>[] = [];
		const problems: LoadProblem[] = [];
		for (const name of names) {
			const path = join(this.directory, name);
			if (name.endsWith('.json.tmp')) {
				await unlink(path).catch(() => {}); // a write cut short by a crash; the .json beside it is intact
				continue;
			}
			if (!name.endsWith('.json')) continue;
			try {
				const adapter = new AtomicJsonFile<T>(path);
				const parsed = this.#schema.safeParse(await adapter.read());
				if (!parsed.success) throw new Error(`${path} is not ${this.#what} file: ${describeZodError(parsed.error)}`);
				const journal = this.#journalFor(path);
				const contents = journal ? await readJournal(journal.path) : { lines: [], damaged: [], tornTail: false };
				if (journal && (contents.damaged.length > 0 || contents.tornTail)) {
					const copy = await keepDamagedJournal(journal.path);
					for (const { line, reason } of contents.damaged) console.error(`${journal.path}: line ${line} skipped (${reason}); the journal as it was is kept in ${copy}`);
					if (contents.tornTail) console.error(`${journal.path}: an unfinished last line (a write cut short, never acknowledged) left out; the journal as it was is kept in ${copy}`);
				}
				const lines = journal ? contents.lines.filter((line) => line.seq > journal.seqOf(parsed.data)) : [];
				journal?.replay(parsed.data, lines);
				const file = new RecordFile<T>(adapter, parsed.data, journal, lines);
				// fold what the journal held into a fresh snapshot (this also drops a line cut short by a crash)
				if (lines.length > 0) await file.persist();
				files.push(file);
			} catch (error) {
				problems.push({ file: path, message: (error as Error).message });
			}
		}
		return { files, problems };
	}
}

/** Every workshop in its own file under <dataDir>/workshops, ratings and new members journaled. */
export class WorkshopStore extends RecordStore<WorkshopRecord> {
	constructor(dataDir: string) {
		super(dataDir, 'workshops', workshopRecordSchema as z.ZodType<WorkshopRecord>, (record) => record.workshop.id, 'a workshop', {
			seqOf: (record) => record.journalSeq,
			setSeq: (record, seq) => {
				record.journalSeq = seq;
			},
			replay: replayWorkshop
		});
	}
}
