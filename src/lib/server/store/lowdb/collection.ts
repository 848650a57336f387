import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { describeZodError } from '../../../protocol';
import { RecordUnreadable, type Collection, type LoadProblem } from '../store';
import { AtomicJsonFile } from './json-file';
import { closeJournal, journalPath, keepDamagedJournal, readJournal, type Journal, type JournalLine } from './journal';
import { RecordFile } from './record-file';

/** How one kind of record is kept: its folder, schema, id, summary and (workshops) journal. */
export interface RecordKind<T, S> {
	folder: string;
	/** "a workshop": for messages */
	what: string;
	schema: z.ZodType<T>;
	idOf: (record: T) => string;
	summaryOf: (record: T) => S;
	journal?: Omit<Journal<T>, 'path'>;
}

const sameSummary = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Records of one kind, each in its own file under <dataDir>/<folder> (so one busy workshop never
 * rewrites another), read on first use. The summaries of all of them are kept in memory and in the
 * store's index (index.json), so start-up reads one file however many records there are.
 */
export class LowdbCollection<T, S> implements Collection<T, S> {
	/** never called: one process owns the files */
	onRemote = null;

	/** One process owns the files: every record has its summary. */
	async discover(): Promise<boolean> {
		return false;
	}

	async discoverJoinCode(): Promise<string | null> {
		return null;
	}
	readonly directory: string;
	readonly #kind: RecordKind<T, S>;
	readonly #summaries = new Map<string, S>();
	/** files found without a usable record in them: kept as they are, reported when asked for */
	readonly #unreadable = new Map<string, string>();
	/** the index file is written again after summaries change */
	readonly #indexChanged: () => Promise<void>;
	readonly #bytes: (delta: number) => void;

	constructor(dataDir: string, kind: RecordKind<T, S>, indexChanged: () => Promise<void>, bytes: (delta: number) => void) {
		this.directory = join(dataDir, kind.folder);
		this.#kind = kind;
		this.#indexChanged = indexChanged;
		this.#bytes = bytes;
	}

	get summaries(): ReadonlyMap<string, S> {
		return this.#summaries;
	}

	get unreadable(): ReadonlyMap<string, string> {
		return this.#unreadable;
	}

	#path(id: string): string {
		return join(this.directory, `${id}.json`);
	}

	#journalFor(path: string): Journal<T> | undefined {
		return this.#kind.journal ? { ...this.#kind.journal, path: journalPath(path) } : undefined;
	}

	readonly #revive = (raw: unknown): T => this.#kind.schema.parse(raw);

	#track(file: RecordFile<T>): RecordFile<T> {
		file.onBytes = this.#bytes;
		file.onSnapshot = (record) => this.#setSummary(this.#kind.idOf(record), this.#kind.summaryOf(record));
		return file;
	}

	#setSummary(id: string, summary: S): void {
		if (sameSummary(this.#summaries.get(id), summary)) return;
		this.#summaries.set(id, summary);
		void this.#indexChanged().catch((error: Error) => console.error('Could not write the index:', error.message));
	}

	/** The summaries the index held; checked against the folder by reconcile(). */
	adopt(entries: Iterable<[string, S]>): void {
		for (const [id, summary] of entries) this.#summaries.set(id, summary);
	}

	/**
	 * Brings the summaries in line with the folder: files the index does not know (written just
	 * before a crash, or an index from elsewhere) are read for their summary, entries without a
	 * file are dropped, leftovers of writes cut short are removed. Reads only the unknown files.
	 */
	async reconcile(): Promise<{ problems: LoadProblem[]; added: number; dropped: number }> {
		let names: string[];
		try {
			names = await readdir(this.directory);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
			names = [];
		}
		const problems: LoadProblem[] = [];
		const present = new Set<string>();
		let added = 0;
		for (const name of names) {
			if (name.endsWith('.json.tmp')) {
				await unlink(join(this.directory, name)).catch(() => {}); // a write cut short by a crash; the .json beside it is intact
				continue;
			}
			if (!name.endsWith('.json')) continue;
			const id = name.slice(0, -'.json'.length);
			present.add(id);
			if (this.#summaries.has(id)) continue;
			try {
				const record = await this.#read(id);
				this.#summaries.set(id, this.#kind.summaryOf(record.data));
				added++;
			} catch (error) {
				problems.push({ file: this.#path(id), message: (error as Error).message });
				this.#unreadable.set(id, (error as Error).message);
			}
		}
		let dropped = 0;
		for (const id of [...this.#summaries.keys()]) {
			if (!present.has(id)) {
				this.#summaries.delete(id);
				dropped++;
			}
		}
		return { problems, added, dropped };
	}

	/** The bytes of this collection's files (for the store's total at start). */
	async bytesOnDisk(): Promise<number> {
		let names: string[];
		try {
			names = await readdir(this.directory);
		} catch {
			return 0;
		}
		let total = 0;
		for (const name of names) total += await stat(join(this.directory, name)).then((s) => s.size, () => 0);
		return total;
	}

	/** A record read from its file and journal, checked against its schema. */
	async #read(id: string): Promise<{ data: T; lines: JournalLine[] }> {
		const path = this.#path(id);
		const parsed = this.#kind.schema.safeParse(await new AtomicJsonFile<T>(path).read());
		if (!parsed.success) throw new Error(`${path} is not ${this.#kind.what} file: ${describeZodError(parsed.error)}`);
		if (this.#kind.idOf(parsed.data) !== id) throw new Error(`${path} holds ${this.#kind.what} with another id`);
		const journal = this.#journalFor(path);
		if (!journal) return { data: parsed.data, lines: [] };
		const contents = await readJournal(journal.path);
		if (contents.damaged.length > 0 || contents.tornTail) {
			const copy = await keepDamagedJournal(journal.path);
			for (const { line, reason } of contents.damaged) {
				console.error(`${journal.path}: line ${line} skipped (${reason}); the journal as it was is kept in ${copy}`);
			}
			if (contents.tornTail) {
				console.error(`${journal.path}: an unfinished last line (a write cut short, never acknowledged) left out; the journal as it was is kept in ${copy}`);
			}
		}
		const lines = contents.lines.filter((line) => line.seq > journal.seqOf(parsed.data));
		journal.replay(parsed.data, lines);
		return { data: parsed.data, lines };
	}

	async open(id: string): Promise<RecordFile<T>> {
		const unreadable = this.#unreadable.get(id);
		if (unreadable !== undefined) throw new RecordUnreadable(id, unreadable);
		if (!this.#summaries.has(id)) throw new RecordUnreadable(id, `There is no ${this.#kind.what} ${id}.`);
		let read: { data: T; lines: JournalLine[] };
		try {
			read = await this.#read(id);
		} catch (error) {
			// a system error (too many open files, no access) may pass; contents that do not parse will not
			if ((error as NodeJS.ErrnoException).code) throw error;
			throw new RecordUnreadable(id, (error as Error).message);
		}
		const path = this.#path(id);
		const file = this.#track(new RecordFile<T>(new AtomicJsonFile<T>(path), read.data, { journal: this.#journalFor(path), diskLines: read.lines, revive: this.#revive }));
		// fold what the journal held into a fresh snapshot (this also drops a line cut short by a crash)
		if (read.lines.length > 0) await file.persist();
		return file;
	}

	async create(record: T): Promise<RecordFile<T>> {
		const path = this.#path(this.#kind.idOf(record));
		const file = this.#track(new RecordFile(new AtomicJsonFile<T>(path), record, { journal: this.#journalFor(path), revive: this.#revive }));
		await file.db.write();
		this.#bytes(file.storedBytes);
		this.#summaries.set(this.#kind.idOf(record), this.#kind.summaryOf(record));
		await this.#indexChanged();
		return file;
	}

	async remove(id: string): Promise<void> {
		closeJournal(journalPath(this.#path(id)));
		for (const path of [this.#path(id), journalPath(this.#path(id))]) {
			const size = await stat(path).then((s) => s.size, () => 0);
			await unlink(path).catch((error: NodeJS.ErrnoException) => {
				if (error.code !== 'ENOENT') throw error;
			});
			this.#bytes(-size);
		}
		this.#summaries.delete(id);
		await this.#indexChanged();
	}
}
