import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { UserError } from '../../domain/errors';
import type { TaskInput, TaskName, TaskResult } from './tasks';

/** Where src/server.ts leaves the path of build/worker.js; unset in `npm run dev` and unit tests. */
export const WORKER_PATH_KEY = Symbol.for('risikoverksted.workerPath');
const workerPath = () => (globalThis as Record<symbol, unknown>)[WORKER_PATH_KEY] as string | undefined;

export interface PoolOptions {
	/** for log lines */
	name: string;
	/** threads at most */
	size: number;
	/** the heap a thread may use; past it the thread is ended and the task refused */
	maxHeapMb: number;
	timeoutMs: number;
	/** tasks waiting beyond the running ones; more are refused with 503 (try again) */
	maxQueue: number;
	/** the error for a task that ran out of time or memory */
	timeoutError: (seconds: number) => UserError;
	memoryError: () => UserError;
}

interface Job {
	task: TaskName;
	input: unknown;
	transfer: ArrayBuffer[];
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
}

interface Slot {
	worker: Worker;
	job: Job | null;
	timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Worker threads for work that must not stop the event loop (a spreadsheet to read, a report to
 * build): each thread runs one task at a time, with a heap limit (resourceLimits) and a time
 * limit; a thread that goes past either is ended and the task refused with a message the user
 * understands, and the next task gets a fresh thread. Without build/worker.js (dev, unit tests)
 * the task runs on this thread.
 */
export class TaskPool {
	readonly #options: PoolOptions;
	readonly #slots: Slot[] = [];
	readonly #queue: Job[] = [];
	#nextId = 1;
	#warned = false;

	constructor(options: PoolOptions) {
		this.#options = options;
	}

	run<K extends TaskName>(task: K, input: TaskInput<K>, transfer: ArrayBuffer[] = []): Promise<TaskResult<K>> {
		const path = workerPath();
		if (!path || !existsSync(path)) {
			if (!this.#warned) console.warn(`${this.#options.name}: no worker build (build/worker.js); running on the main thread.`);
			this.#warned = true;
			// loaded only here: the libraries the tasks use (exceljs, pdfkit) stay out of the server's memory
			return import('./tasks').then(({ runTask }) => runTask(task, input));
		}
		const busy = this.#slots.filter((slot) => slot.job).length;
		if (busy >= this.#options.size && this.#queue.length >= this.#options.maxQueue) {
			return Promise.reject(new UserError('error.busy', {}, 503));
		}
		return new Promise<TaskResult<K>>((resolve, reject) => {
			this.#queue.push({ task, input, transfer, resolve: resolve as (value: unknown) => void, reject });
			this.#next(path);
		});
	}

	#next(path: string): void {
		const job = this.#queue[0];
		if (!job) return;
		let slot = this.#slots.find((candidate) => !candidate.job);
		if (!slot && this.#slots.length < this.#options.size) slot = this.#spawn(path);
		if (!slot) return;
		this.#queue.shift();
		slot.job = job;
		slot.worker.ref();
		const id = this.#nextId++;
		slot.timer = setTimeout(() => this.#fail(slot!, this.#options.timeoutError(Math.round(this.#options.timeoutMs / 1000)), path), this.#options.timeoutMs);
		const onMessage = (reply: { id: number; result?: unknown; error?: { key?: string; params?: never; status?: number; message?: string } }) => {
			if (reply.id !== id || slot!.job !== job) return;
			slot!.worker.off('message', onMessage);
			this.#finish(slot!);
			if (!reply.error) job.resolve(reply.result);
			else if (reply.error.key) job.reject(new UserError(reply.error.key as never, reply.error.params, reply.error.status));
			else job.reject(new Error(reply.error.message));
			this.#next(path);
		};
		slot.worker.on('message', onMessage);
		slot.worker.postMessage({ id, task: job.task, input: job.input }, job.transfer);
	}

	#spawn(path: string): Slot {
		const worker = new Worker(path, {
			resourceLimits: { maxOldGenerationSizeMb: this.#options.maxHeapMb, maxYoungGenerationSizeMb: 32 }
		});
		worker.unref();
		const slot: Slot = { worker, job: null, timer: null };
		worker.on('error', (error: Error & { code?: string }) => {
			const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
			console.error(`${this.#options.name}: a worker thread failed (${error.message}).`);
			this.#fail(slot, outOfMemory ? this.#options.memoryError() : error, path);
		});
		worker.on('exit', () => {
			if (slot.job) this.#fail(slot, new Error('The worker thread stopped'), path);
			this.#remove(slot);
		});
		this.#slots.push(slot);
		return slot;
	}

	#finish(slot: Slot): void {
		if (slot.timer) clearTimeout(slot.timer);
		slot.timer = null;
		slot.job = null;
		slot.worker.unref();
	}

	/** Ends a thread that went past its limits: its task is refused, the next one gets a new thread. */
	#fail(slot: Slot, error: unknown, path: string): void {
		const job = slot.job;
		this.#finish(slot);
		this.#remove(slot);
		void slot.worker.terminate();
		if (job) {
			if (error instanceof UserError) console.error(`${this.#options.name}: ${job.task} refused: ${error.message}`);
			job.reject(error);
		}
		this.#next(path);
	}

	#remove(slot: Slot): void {
		const index = this.#slots.indexOf(slot);
		if (index >= 0) this.#slots.splice(index, 1);
	}
}

/** Uploaded spreadsheets: one thread, 256 MB, 10 s. */
export const uploadPool = new TaskPool({
	name: 'Upload reader',
	size: 1,
	maxHeapMb: 256,
	timeoutMs: 10_000,
	maxQueue: 8,
	timeoutError: (seconds) => new UserError('error.upload.timeout', { seconds }, 422),
	memoryError: () => new UserError('error.upload.memory', {}, 413)
});

/** PDF and Excel reports: one thread (this service runs on small machines), 1 GB, 2 minutes. */
export const exportPool = new TaskPool({
	name: 'Report builder',
	size: 1,
	maxHeapMb: 1024,
	timeoutMs: 120_000,
	maxQueue: 16,
	timeoutError: (seconds) => new UserError('error.export.timeout', { seconds }, 503),
	memoryError: () => new UserError('error.export.timeout', { seconds: 120 }, 503)
});
