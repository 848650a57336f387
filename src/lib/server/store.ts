import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { AtomicJsonFile } from './json-file';
import { workshopRecordSchema, type WorkshopRecord } from './records';
import { describeZodError } from '../protocol';
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
 * One record's lowdb file (a workshop, an assessment). Changes made in the same turn of the event loop, or while a write is
 * under way, are coalesced into one write; persist() resolves when the write holding the caller's
 * change is on disk. If a write fails, the data goes back to what is on disk and every caller whose
 * change was not written is told, so memory never claims more than the disk holds.
 */
export class RecordFile<T> {
	readonly db: Low<T>;
	readonly #adapter: AtomicJsonFile<T>;
	#next: Deferred | null = null;
	#writing = false;
	/** called after a failed write has put the data back to what is on disk */
	onRevert: (() => void) | null = null;

	constructor(adapter: AtomicJsonFile<T>, record: T) {
		this.#adapter = adapter;
		this.db = new Low(adapter, record);
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

	/** Resolves once the current data is on disk; rejects if that write failed. */
	persist(): Promise<void> {
		if (RecordFile.naive) {
			this.#chain = this.#chain.catch(() => {}).then(() => this.db.write());
			return this.#chain;
		}
		if (!this.#next) {
			this.#next = deferred();
			if (!this.#writing) setImmediate(() => void this.#flush());
		}
		return this.#next.promise;
	}

	async #flush(): Promise<void> {
		const batch = this.#next;
		if (!batch) return;
		this.#next = null;
		this.#writing = true;
		try {
			await this.db.write();
			batch.resolve();
		} catch (error) {
			const later = this.#next as Deferred | null;
			this.#next = null;
			this.db.data = JSON.parse(this.#adapter.onDiskText ?? 'null') as T;
			this.onRevert?.();
			batch.reject(error);
			later?.reject(error);
		} finally {
			this.#writing = false;
			if (this.#next) setImmediate(() => void this.#flush());
		}
	}
}

export interface LoadProblem {
	file: string;
	message: string;
}

export type WorkshopFile = RecordFile<WorkshopRecord>;

/**
 * Records of one kind, each in its own file under <dataDir>/<folder>, so one busy workshop never
 * rewrites another.
 */
export class RecordStore<T> {
	readonly directory: string;
	readonly #schema: z.ZodType<T>;
	readonly #idOf: (record: T) => string;
	readonly #what: string;

	constructor(dataDir: string, folder: string, schema: z.ZodType<T>, idOf: (record: T) => string, what: string) {
		this.directory = join(dataDir, folder);
		this.#schema = schema;
		this.#idOf = idOf;
		this.#what = what;
	}

	#path(id: string): string {
		return join(this.directory, `${id}.json`);
	}

	/** A new record's file, written before this resolves. */
	async create(record: T): Promise<RecordFile<T>> {
		const file = new RecordFile(new AtomicJsonFile<T>(this.#path(this.#idOf(record))), record);
		await file.db.write();
		return file;
	}

	/** Deletes a record's file (gone from disk once this resolves). */
	async remove(id: string): Promise<void> {
		await unlink(this.#path(id)).catch((error: NodeJS.ErrnoException) => {
			if (error.code !== 'ENOENT') throw error;
		});
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
				files.push(new RecordFile<T>(adapter, parsed.data));
			} catch (error) {
				problems.push({ file: path, message: (error as Error).message });
			}
		}
		return { files, problems };
	}
}

/** Every workshop in its own file under <dataDir>/workshops. */
export class WorkshopStore extends RecordStore<WorkshopRecord> {
	constructor(dataDir: string) {
		super(dataDir, 'workshops', workshopRecordSchema as z.ZodType<WorkshopRecord>, (record) => record.workshop.id, 'a workshop');
	}
}
