import type { Weighting } from '../../domain/combined';
import type { AssessmentFile, AssessmentService } from '../workshops/assessment-service';
import type { ExportSource } from '../export/assessment-export';
import { exportPool } from './pool';
import type { TaskName, TaskResult } from './tasks';

/** The assessment tasks (workers/tasks.ts): every export, and the analysis for the page. */
export type AssessmentTask = Extract<TaskName, `assessment${string}`>;

/**
 * Reports built once per state of the data: the same request while nothing changed gets the same
 * result (or waits for the same build), so asking again never queues another build. The latest
 * are kept up to CACHE_BYTES (a result's size counted by its bytes, text or JSON).
 */
const CACHE_BYTES = 64 * 1024 * 1024;
const cache = new Map<string, Promise<unknown>>();
const sizes = new Map<string, number>();

const sizeOf = (value: unknown) =>
	value instanceof Uint8Array ? value.byteLength : typeof value === 'string' ? value.length * 2 : JSON.stringify(value).length * 2;

function remember<T>(key: string, build: Promise<T>): Promise<T> {
	cache.set(key, build);
	build.then(
		(value) => {
			sizes.set(key, sizeOf(value));
			let total = [...sizes.values()].reduce((a, b) => a + b, 0);
			// drop the oldest until the cache fits
			for (const old of cache.keys()) {
				if (total <= CACHE_BYTES || old === key) break;
				total -= sizes.get(old) ?? 0;
				cache.delete(old);
				sizes.delete(old);
			}
		},
		() => {
			cache.delete(key);
			sizes.delete(key);
		}
	);
	return build;
}

/** An export (or the analysis) of an assessment, made on a worker thread while the event loop goes on. */
export async function assessmentTask<K extends AssessmentTask>(
	assessments: AssessmentService,
	file: AssessmentFile,
	task: K,
	weighting: Weighting
): Promise<TaskResult<K>> {
	return reportTask(await assessments.exportSource(file, weighting), task);
}

/**
 * A report task of what `prepared` describes (an assessment, or a workshop on its own), from the
 * cache while its version is the same.
 */
export function reportTask<K extends AssessmentTask>(prepared: { source: () => ExportSource; version: string }, task: K): Promise<TaskResult<K>> {
	const key = `${task}|${prepared.version}`;
	const cached = cache.get(key) as Promise<TaskResult<K>> | undefined;
	if (cached) {
		// most recently used last
		cache.delete(key);
		cache.set(key, cached);
		return cached;
	}
	return remember(key, exportPool.run(task, prepared.source() as never) as Promise<TaskResult<K>>);
}
