import type { Weighting } from '../../domain/combined';
import type { AssessmentFile, AssessmentService } from '../workshops/assessment-service';
import { exportPool } from './pool';

type Format = 'pdf' | 'xlsx';

/**
 * Reports built once per state of the data: the same request while nothing changed gets the same
 * bytes (or waits for the same build), so asking again never queues another build. A few of the
 * latest are kept, up to CACHE_BYTES.
 */
const CACHE_BYTES = 64 * 1024 * 1024;
const cache = new Map<string, Promise<Uint8Array>>();
const sizes = new Map<string, number>();

function remember(key: string, build: Promise<Uint8Array>): Promise<Uint8Array> {
	cache.set(key, build);
	build.then(
		(bytes) => {
			sizes.set(key, bytes.byteLength);
			let total = [...sizes.values()].reduce((a, b) => a + b, 0);
			// drop the oldest until the cache fits
			for (const old of cache.keys()) {
				if (total <= CACHE_BYTES || old === key) break;
				total -= sizes.get(old) ?? 0;
				cache.delete(old);
				sizes.delete(old);
			}
		},
		() => cache.delete(key)
	);
	return build;
}

/** The PDF or xlsx of an assessment, built on a worker thread (the event loop goes on meanwhile). */
export async function assessmentReport(assessments: AssessmentService, file: AssessmentFile, format: Format, weighting: Weighting): Promise<Uint8Array> {
	const { source, version } = await assessments.exportSource(file, weighting);
	const key = `${format}|${version}`;
	const cached = cache.get(key);
	if (cached) {
		// most recently used last
		cache.delete(key);
		cache.set(key, cached);
		return cached;
	}
	return remember(key, exportPool.run(format === 'pdf' ? 'assessmentPdf' : 'assessmentXlsx', source()));
}
