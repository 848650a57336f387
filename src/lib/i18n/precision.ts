/**
 * One rounding rule for every number a person reads (docs/method.md, "Rounding"): half away from
 * zero at the printed number of decimals, on the decimal value (12.325 -> 12.33, as people round,
 * though 12.325 is a little less in binary). Every output (page, CSV, xlsx, PDF) prints
 * roundTo(value, DIGITS[kind]); JSON keeps the full values.
 */
export const DIGITS = {
	/** scores (1-25), means, medians, quartiles, standard deviations */
	score: 2,
	mean: 2,
	spread: 2,
	/** consensus, Kendall's tau, probabilities (0-1) */
	coefficient: 2
} as const;

/** Rounds half away from zero at `digits` decimals, on the value's shortest decimal form. */
export function roundTo(value: number, digits: number): number {
	if (!Number.isFinite(value)) return value;
	const sign = value < 0 ? -1 : 1;
	const text = String(Math.abs(value));
	// very small or large numbers print with an exponent: plain arithmetic is exact enough there
	if (text.includes('e')) return (sign * Math.round(Math.abs(value) * 10 ** digits)) / 10 ** digits;
	// the shortest decimal that reads back as the number ("12.325"), shifted, so no binary error creeps in
	const rounded = Math.round(Number(`${text}e${digits}`));
	return sign * Number(`${rounded}e-${digits}`);
}

/** roundTo for a value that may be missing. */
export const roundOrNull = (value: number | null | undefined, digits: number): number | null =>
	value === null || value === undefined ? null : roundTo(value, digits);
