/**
 * Tastle & Wierman's (2007) consensus of an ordinal distribution, from the count per level:
 * Cns = 1 + sum_i p_i log2(1 - |i - mean| / (k - 1)). 1 when everyone chose the same level, 0 when
 * the answers are split evenly between the two ends of the scale; null without answers.
 */
export function consensusOf(counts: readonly number[]): number | null {
	const n = counts.reduce((sum, count) => sum + count, 0);
	if (n === 0) return null;
	const width = counts.length - 1;
	if (width <= 0) return 1;
	const mean = counts.reduce((sum, count, level) => sum + count * (level + 1), 0) / n;
	let total = 0;
	counts.forEach((count, level) => {
		if (count === 0) return;
		const distance = Math.abs(level + 1 - mean) / width;
		// distance < 1 whenever count > 0: the mean lies strictly inside the scale unless all answers share one level
		total += (count / n) * Math.log2(1 - distance);
	});
	const value = 1 + total;
	// keep the result inside [0, 1] despite floating-point noise at the extremes
	return Math.min(1, Math.max(0, value));
}

/** The default consensus below which a point is flagged for discussion. */
export const DEFAULT_CONSENSUS_THRESHOLD = 0.6;
