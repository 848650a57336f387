/**
 * How far the workshops agree, with intervals (docs/method.md §6): Kendall's tau-b of each
 * workshop against the others and of every pair, with a 95% interval by a bootstrap over the
 * points. Pure and deterministic (a seeded generator).
 */
import { DEFAULT_RESAMPLES, RESAMPLING_SEED, combinedScores, drawMembers, everyone, seededRandom, type AnalysisInput } from './analysis';

/** A 95% interval of Kendall's tau-b from the resampling; null where it has none (fewer than five points, or a constant list). */
export interface TauInterval {
	low: number | null;
	high: number | null;
}

export interface AgreementIntervals {
	resamples: number;
	seed: number;
	/** what each resample redraws: the points, or the points and the members of each workshop */
	redraws: 'points' | 'points-and-members';
	/** each answering workshop against the combined ranking of the others (leave one out) */
	workshops: ({ workshopId: string } & TauInterval)[];
	/** every pair of answering workshops */
	pairs: ({ a: string; b: string } & TauInterval)[];
}

/**
 * Kendall's tau-b of the first n paired values, value i counted w[i] times: the same as
 * kendallTauB on the list with each value repeated, in O(n²) over distinct values.
 */
export function weightedTauB(x: Float64Array, y: Float64Array, w: Float64Array, n: number): number | null {
	const EPS = 1e-9;
	let concordant = 0;
	let discordant = 0;
	let tiesX = 0;
	let tiesY = 0;
	let total = 0;
	for (let i = 0; i < n; i++) total += w[i]!;
	if (total < 2) return null;
	for (let i = 0; i < n; i++) {
		const xi = x[i]!;
		const yi = y[i]!;
		const wi = w[i]!;
		for (let j = i + 1; j < n; j++) {
			const dx = xi - x[j]!;
			const dy = yi - y[j]!;
			const weight = wi * w[j]!;
			const tx = dx < EPS && dx > -EPS;
			const ty = dy < EPS && dy > -EPS;
			if (tx) {
				if (!ty) tiesX += weight;
			} else if (ty) tiesY += weight;
			else if (dx * dy > 0) concordant += weight;
			else discordant += weight;
		}
	}
	const denominator = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
	return denominator === 0 ? null : (concordant - discordant) / denominator;
}

/** the fewest points a tau interval rests on */
export const TAU_INTERVAL_MIN_POINTS = 5;

/**
 * 95% intervals of the rank agreement (Kendall's tau-b) by a bootstrap over the points: each
 * resample redraws the points of the list with replacement and computes tau-b on them, ties
 * handled as in the estimate (a point drawn twice ties with itself); the interval is the 2.5th and
 * 97.5th percentile. It fits tied ordinal scores, where Fisher's z assumes continuous data
 * without ties. `redrawMembers` also redraws the members within each workshop every time: the
 * coverage simulation (bench/tau-coverage.ts) shows that counts the rating noise twice (each
 * point's score already carries it) and covers 98.5-100 % for a nominal 95 %, so the report's
 * intervals redraw the points only (95.5-98 % in the same simulation; Fisher's z 94-96.5 %).
 */
export function agreementIntervals(input: AnalysisInput, { redrawMembers = false }: { redrawMembers?: boolean } = {}): AgreementIntervals {
	const resamples = input.resamples ?? DEFAULT_RESAMPLES;
	const seed = input.seed ?? RESAMPLING_SEED;
	const random = seededRandom(seed + 2);
	const points = input.riskPoints.length;
	const answering = input.workshops.filter((workshop) => workshop.likelihood.length > 0);
	const W = answering.length;
	// per workshop and point: sums and counts of the chosen members' answers (the running sums of productOfMeans)
	const lSum = answering.map(() => new Float64Array(points));
	const lCount = answering.map(() => new Float64Array(points));
	const cSum = answering.map(() => new Float64Array(points));
	const cCount = answering.map(() => new Float64Array(points));
	const ownScore = answering.map(() => new Float64Array(points));
	const otherScore = answering.map(() => new Float64Array(points));
	const tally = (k: number, pick: readonly number[]) => {
		const workshop = answering[k]!;
		lSum[k]!.fill(0);
		lCount[k]!.fill(0);
		cSum[k]!.fill(0);
		cCount[k]!.fill(0);
		for (const m of pick) {
			const likelihood = workshop.likelihood[m]!;
			const consequence = workshop.consequence[m]!;
			for (let p = 0; p < points; p++) {
				const l = likelihood[p]!;
				const c = consequence[p]!;
				if (l) {
					lSum[k]![p]! += l;
					lCount[k]![p]!++;
				}
				if (c) {
					cSum[k]![p]! += c;
					cCount[k]![p]!++;
				}
			}
		}
		// a workshop's own score by its own rule (NaN: no score); the product of means from the sums
		const scoring = workshop.scoring ?? 'product-of-means';
		if (scoring === 'product-of-means') {
			for (let p = 0; p < points; p++) ownScore[k]![p] = lCount[k]![p]! && cCount[k]![p]! ? (lSum[k]![p]! / lCount[k]![p]!) * (cSum[k]![p]! / cCount[k]![p]!) : NaN;
		} else {
			const scored = combinedScores([workshop], [pick], points, 'workshop', scoring).score;
			for (let p = 0; p < points; p++) ownScore[k]![p] = scored[p] ?? NaN;
		}
	};
	// the combined score of all answering workshops but one, by the weighting, from the sums
	const leaveOut = (k: number) => {
		const target = otherScore[k]!;
		for (let p = 0; p < points; p++) {
			let ls = 0;
			let lc = 0;
			let cs = 0;
			let cc = 0;
			for (let j = 0; j < W; j++) {
				if (j === k) continue;
				if (input.weighting === 'member') {
					ls += lSum[j]![p]!;
					lc += lCount[j]![p]!;
					cs += cSum[j]![p]!;
					cc += cCount[j]![p]!;
				} else {
					if (lCount[j]![p]!) {
						ls += lSum[j]![p]! / lCount[j]![p]!;
						lc++;
					}
					if (cCount[j]![p]!) {
						cs += cSum[j]![p]! / cCount[j]![p]!;
						cc++;
					}
				}
			}
			target[p] = lc && cc ? (ls / lc) * (cs / cc) : NaN;
		}
	};
	// tau-b over the drawn points both lists scored: a point drawn k times counts as k equal points
	// (pairs within it are tied in both and left out, as tau-b does), so each distinct point is
	// compared once with its weight
	const weight = new Float64Array(points);
	const xs = new Float64Array(points);
	const ys = new Float64Array(points);
	const ws = new Float64Array(points);
	const tauOn = (x: Float64Array, y: Float64Array): number | null => {
		let n = 0;
		for (let p = 0; p < points; p++) {
			if (!weight[p] || Number.isNaN(x[p]!) || Number.isNaN(y[p]!)) continue;
			xs[n] = x[p]!;
			ys[n] = y[p]!;
			ws[n] = weight[p]!;
			n++;
		}
		return weightedTauB(xs, ys, ws, n);
	};

	// on all the data first: an interval needs five points in common
	const everyoneOf = answering.map(everyone);
	for (let k = 0; k < W; k++) tally(k, everyoneOf[k]!);
	for (let k = 0; k < W && W > 1; k++) leaveOut(k);
	const common = (x: Float64Array, y: Float64Array) => x.filter((value, p) => !Number.isNaN(value) && !Number.isNaN(y[p]!)).length;
	const pairIndexes: [number, number][] = [];
	for (let i = 0; i < W; i++) for (let j = i + 1; j < W; j++) pairIndexes.push([i, j]);
	const looEnough = W > 1 ? answering.map((_, k) => common(ownScore[k]!, otherScore[k]!) >= TAU_INTERVAL_MIN_POINTS) : [];
	const pairEnough = pairIndexes.map(([i, j]) => common(ownScore[i]!, ownScore[j]!) >= TAU_INTERVAL_MIN_POINTS);

	const looValues = answering.map(() => new Float64Array(resamples));
	const looCount = new Array<number>(W).fill(0);
	const pairValues = pairIndexes.map(() => new Float64Array(resamples));
	const pairCount = new Array<number>(pairIndexes.length).fill(0);
	for (let r = 0; r < resamples; r++) {
		if (redrawMembers) for (let k = 0; k < W; k++) tally(k, drawMembers(answering[k]!, random));
		weight.fill(0);
		for (let p = 0; p < points; p++) weight[Math.floor(random() * points)]!++;
		for (let k = 0; k < W && W > 1; k++) {
			if (!looEnough[k]) continue;
			if (redrawMembers) leaveOut(k);
			const tau = tauOn(ownScore[k]!, otherScore[k]!);
			if (tau !== null) looValues[k]![looCount[k]!++] = tau;
		}
		pairIndexes.forEach(([i, j], k) => {
			if (!pairEnough[k]) return;
			const tau = tauOn(ownScore[i]!, ownScore[j]!);
			if (tau !== null) pairValues[k]![pairCount[k]!++] = tau;
		});
	}
	const interval = (values: Float64Array, count: number): TauInterval => {
		// most resamples must give a tau (a list that is nearly constant gives none): otherwise no interval
		if (count < resamples / 2) return { low: null, high: null };
		const sorted = values.slice(0, count).sort();
		const at = (share: number) => sorted[Math.min(count - 1, Math.max(0, Math.ceil(share * count) - 1))]!;
		return { low: at(0.025), high: at(0.975) };
	};
	return {
		resamples,
		seed,
		redraws: redrawMembers ? 'points-and-members' : 'points',
		workshops: W > 1 ? answering.map((workshop, k) => ({ workshopId: workshop.id, ...interval(looValues[k]!, looCount[k]!) })) : [],
		pairs: pairIndexes.map(([i, j], k) => ({ a: answering[i]!.id, b: answering[j]!.id, ...interval(pairValues[k]!, pairCount[k]!) }))
	};
}
