import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { AtomicJsonFile } from './json-file';
import { workshopRecordSchema, type WorkshopRecord } from './records';
import { describeZodError } from '../protocol';

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
 * One workshop's lowdb file. Changes made in the same turn of the event loop, or while a write is
 * under way, are coalesced into one write; persist() resolves when the write holding the caller's
 * change is on disk. If a write fails, the data goes back to what is on disk and every caller whose
 * change was not written is told, so memory never claims more than the disk holds.
 */
export class WorkshopFile {
	readonly db: Low<WorkshopRecord>;
	readonly #adapter: AtomicJsonFile<WorkshopRecord>;
	#next: Deferred | null = null;
	#writing = false;
	/** called after a failed write has put the data back to what is on disk */
	onRevert: (() => void) | null = null;

	constructor(adapter: AtomicJsonFile<WorkshopRecord>, record: WorkshopRecord) {
		this.#adapter = adapter;
		this.db = new Low(adapter, record);
	}

	get data(): WorkshopRecord {
		return this.db.data;
	}

	/** Resolves once the current data is on disk; rejects if that write failed. */
	persist(): Promise<void> {
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
			this.db.data = JSON.parse(this.#adapter.onDiskText ?? 'null') as WorkshopRecord;
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

/** Every workshop in its own file under <dataDir>/workshops, so one busy workshop never rewrites another. */
export class WorkshopStore {
	readonly directory: string;

	constructor(dataDir: string) {
		this.directory = join(dataDir, 'workshops');
	}

	#path(id: string): string {
		return join(this.directory, `${id}.json`);
	}

	/** A new workshop's file, written before this resolves. */
	async create(record: WorkshopRecord): Promise<WorkshopFile> {
		const file = new WorkshopFile(new AtomicJsonFile(this.#path(record.workshop.id)), record);
		await file.db.write();
		return file;
	}

	/** Loads every workshop file; files that do not parse are reported and left untouched. */
	async loadAll(): Promise<{ files: WorkshopFile[]; problems: LoadProblem[] }> {
		let names: string[];
		try {
			names = await readdir(this.directory);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], problems: [] };
			throw error;
		}
		const files: WorkshopFile[] = [];
		const problems: LoadProblem[] = [];
		for (const name of names) {
			const path = join(this.directory, name);
			if (name.endsWith('.json.tmp')) {
				await unlink(path).catch(() => {}); // a write cut short by a crash; the .json beside it is intact
				continue;
			}
			if (!name.endsWith('.json')) continue;
			try {
				const adapter = new AtomicJsonFile<WorkshopRecord>(path);
				const parsed = workshopRecordSchema.safeParse(await adapter.read());
				if (!parsed.success) throw new Error(`${path} is not a workshop file: ${describeZodError(parsed.error)}`);
				files.push(new WorkshopFile(adapter, parsed.data));
			} catch (error) {
				problems.push({ file: path, message: (error as Error).message });
			}
		}
		return { files, problems };
	}
}
