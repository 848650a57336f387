/** Percentile (nearest rank) of a list of numbers; p in [0, 100]. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index]!;
}

export const round1 = (value: number) => Math.round(value * 10) / 10;

/** "name=value" pairs on one line, easy for a script to parse. */
export function summaryLine(name: string, fields: Record<string, string | number | boolean>): string {
	return `BENCH ${name} ${Object.entries(fields)
		.map(([key, value]) => `${key}=${value}`)
		.join(' ')}`;
}
