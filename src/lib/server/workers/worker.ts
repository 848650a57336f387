/**
 * The entry of a worker thread (bundled to build/worker.js): runs one task at a time for the pool
 * and answers with its result or its error (a UserError keeps its key, so the reader gets it in
 * their language).
 */
import { parentPort } from 'node:worker_threads';
import { UserError } from '../../domain/errors';
import { runTask, type TaskName } from './tasks';

parentPort?.on('message', async ({ id, task, input }: { id: number; task: TaskName; input: never }) => {
	try {
		const result = await runTask(task, input);
		const transfer = result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : [];
		parentPort!.postMessage({ id, result }, transfer);
	} catch (error) {
		const failure =
			error instanceof UserError
				? { key: error.key, params: error.params, status: error.status }
				: { message: error instanceof Error ? error.message : String(error) };
		parentPort!.postMessage({ id, error: failure });
	}
});
