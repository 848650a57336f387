import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';

/** Fsync a directory so a rename inside it survives a power cut, not only a killed process. */
export async function syncDirectory(path: string): Promise<void> {
	const handle = await open(path, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/**
 * A lowdb adapter whose writes are atomic and durable: the JSON goes to a temporary file that is
 * fsynced and then renamed over the old one, so a crash leaves the old or the new file, never a
 * torn one. A file that is not valid JSON is reported, never overwritten by a read.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
	readonly #path: string;
	readonly #temporary: string;
	/** the JSON text last read from or written to disk: what the file holds now */
	onDiskText: string | null = null;
	#directoryReady = false;

	constructor(path: string) {
		this.#path = path;
		this.#temporary = `${path}.tmp`;
	}

	async read(): Promise<T | null> {
		let text: string;
		try {
			text = await readFile(this.#path, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw error;
		}
		try {
			const data = JSON.parse(text) as T;
			this.onDiskText = text;
			return data;
		} catch (error) {
			throw new Error(`${this.#path} is not valid JSON (${(error as Error).message}); restore it from a backup or move it away.`);
		}
	}

	async write(data: T): Promise<void> {
		const text = JSON.stringify(data);
		if (!this.#directoryReady) {
			await mkdir(dirname(this.#path), { recursive: true });
			this.#directoryReady = true;
		}
		const handle = await open(this.#temporary, 'w').catch((error: unknown) => {
			this.#directoryReady = false;
			throw error;
		});
		try {
			await handle.writeFile(text, 'utf8');
			await handle.sync();
		} catch (error) {
			await handle.close();
			await unlink(this.#temporary).catch(() => {});
			this.#directoryReady = false;
			throw error;
		}
		await handle.close();
		await rename(this.#temporary, this.#path);
		this.onDiskText = text;
		await syncDirectory(dirname(this.#path));
	}
}
