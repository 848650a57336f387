/**
 * How far two rankings agree: Kendall's tau-b over the points both scored (the assessment's
 * workshops against each other and against the combined list, combined.ts; the bootstrap interval
 * is agreement.ts's).
 */

/** Kendall's tau-b with the number of points it rests on and a 95% interval. */
export interface TauEstimate {
	/** null: fewer than two points in common, or one list constant */
	tau: number | null;
	points: number;
	/** the bootstrap interval (agreement.ts agreementIntervals); null until it is made, and with fewer than five points */
	low: number | null;
	high: number | null;
}

/**
 * Kendall's tau-b of two paired lists (ties handled): (concordant - discordant) /
 * sqrt((n0 - ties in x) (n0 - ties in y)); null when it is undefined (fewer than 2 pairs, or one
 * list constant).
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number | null {
	const n = Math.min(x.length, y.length);
	if (n < 2) return null;
	let concordant = 0;
	let discordant = 0;
	let tiesX = 0;
	let tiesY = 0;
	const EPS = 1e-9;
	for (let i = 0; i < n; i++) {
		for (let j = i + 1; j < n; j++) {
			const dx = x[i]! - x[j]!;
			const dy = y[i]! - y[j]!;
			const tx = Math.abs(dx) < EPS;
			const ty = Math.abs(dy) < EPS;
			if (tx && ty) continue;
			if (tx) tiesX++;
			else if (ty) tiesY++;
			else if (dx * dy > 0) concordant++;
			else discordant++;
		}
	}
	const denominator = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
	return denominator === 0 ? null : (concordant - discordant) / denominator;
}

/**
 * Kendall's tau-b of two paired lists with the number of points it rests on. The 95% interval
 * needs each member's answers (a bootstrap over points and members, agreement.ts
 * agreementIntervals): here it is left empty, and the exports and the analysis fill it in.
 */
export function tauEstimate(x: readonly number[], y: readonly number[]): TauEstimate {
	return { tau: kendallTauB(x, y), points: Math.min(x.length, y.length), low: null, high: null };
}

/** Pairs of scores of the points both lists scored. */
export function pairsOf(ids: readonly string[], x: ReadonlyMap<string, number | null>, y: ReadonlyMap<string, number | null>): [number[], number[]] {
	const xs: number[] = [];
	const ys: number[] = [];
	for (const id of ids) {
		const a = x.get(id);
		const b = y.get(id);
		if (a === null || a === undefined || b === null || b === undefined) continue;
		xs.push(a);
		ys.push(b);
	}
	return [xs, ys];
}
