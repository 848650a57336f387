import { consensusOf } from './consensus';

/**
 * Descriptive statistics of one ordinal scale, computed from the count per level so that an
 * update after one rating costs O(levels), however many ratings are stored.
 */
export interface ScaleSummary {
	/** answers with a level (not "don't know") */
	n: number;
	/** "don't know" answers */
	abstained: number;
	mean: number | null;
	median: number | null;
	/** sample standard deviation (n - 1); 0 for a single answer */
	sd: number | null;
	/** Q3 - Q1, quartiles by linear interpolation between order statistics (Excel QUARTILE.INC, R type 7) */
	iqr: number | null;
	/** Tastle & Wierman consensus in [0, 1] (1 = full agreement) */
	consensus: number | null;
	/** counts[k] = answers at level k + 1 */
	counts: number[];
}

/** counts per level (levels 1..levelCount) of a list of answers; null answers are skipped. */
export function countLevels(values: readonly (number | null)[], levelCount: number): number[] {
	const counts = new Array<number>(levelCount).fill(0);
	for (const value of values) {
		if (value !== null) counts[value - 1] = (counts[value - 1] ?? 0) + 1;
	}
	return counts;
}

/** The value at 0-based position `index` of the sorted answers described by counts. */
function orderStatistic(counts: readonly number[], index: number): number {
	let seen = 0;
	for (let level = 0; level < counts.length; level++) {
		seen += counts[level] ?? 0;
		if (index < seen) return level + 1;
	}
	throw new RangeError(`position ${index} is beyond the ${seen} answers`);
}

/** Quantile p of the answers by linear interpolation between order statistics (type 7). */
export function quantile(counts: readonly number[], p: number): number | null {
	const n = counts.reduce((sum, count) => sum + count, 0);
	if (n === 0) return null;
	const position = (n - 1) * p;
	const below = Math.floor(position);
	const low = orderStatistic(counts, below);
	if (position === below) return low;
	const high = orderStatistic(counts, below + 1);
	return low + (position - below) * (high - low);
}

/** Summary of one scale from its counts per level and its "don't know" count. */
export function summarizeScale(counts: readonly number[], abstained: number): ScaleSummary {
	let n = 0;
	let sum = 0;
	for (let level = 0; level < counts.length; level++) {
		const count = counts[level] ?? 0;
		n += count;
		sum += count * (level + 1);
	}
	const summary: ScaleSummary = {
		n,
		abstained,
		mean: null,
		median: null,
		sd: null,
		iqr: null,
		consensus: null,
		counts: [...counts]
	};
	if (n === 0) return summary;
	const mean = sum / n;
	let squares = 0;
	for (let level = 0; level < counts.length; level++) {
		squares += (counts[level] ?? 0) * (level + 1 - mean) ** 2;
	}
	summary.mean = mean;
	summary.median = quantile(counts, 0.5);
	summary.sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
	summary.iqr = (quantile(counts, 0.75) ?? 0) - (quantile(counts, 0.25) ?? 0);
	summary.consensus = consensusOf(counts);
	return summary;
}

/** Summary of a list of answers (null = "don't know"); handy for tests and exports. */
export function summarizeValues(values: readonly (number | null)[], levelCount: number): ScaleSummary {
	const abstained = values.filter((value) => value === null).length;
	return summarizeScale(countLevels(values, levelCount), abstained);
}
