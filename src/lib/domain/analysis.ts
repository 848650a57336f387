/**
 * How sure the combined ranking is (docs/method.md §6): the combined scores from each member's
 * answers, and rank intervals and the chance of being in the top N by a two-stage bootstrap
 * (workshops, then members within each). The intervals of the agreement between workshops are in
 * agreement.ts; the top N under every variant, national vs regional and the categories in
 * comparisons.ts; all of it together is `Analysis` (analysis-result.ts). Pure, deterministic (a seeded generator), and fed with each member's answers, so
 * a worker thread can run it.
 */
import type { Weighting, WorkshopKind } from './combined';
import { rank, type RankStatus } from './ranking';
import type { WorkshopResults } from './results';
import { quantile } from './statistics';
import type { RiskPoint, Scoring } from './types';
import type { WorkshopData } from './workshop-results';
import { LEVELS } from './scales';

export const DEFAULT_TOP_N = 10;
export const DEFAULT_RESAMPLES = 2000;
/** the seed of the resampling: the same data always gives the same intervals */
export const RESAMPLING_SEED = 20_261_125;

/** A workshop's members' answers as the combined results use them: each point in the round its results use. */
export interface AnalysisWorkshop {
	id: string;
	title: string;
	kind: WorkshopKind;
	/** the workshop's own scoring rule (its own ranking, for the agreement between workshops); product of means when left out */
	scoring?: Scoring;
	/** per member, per point (list order): likelihood and consequence, 0 for "don't know" or no answer */
	likelihood: Uint8Array[];
	consequence: Uint8Array[];
}

export interface AnalysisInput {
	riskPoints: readonly RiskPoint[];
	workshops: readonly AnalysisWorkshop[];
	weighting: Weighting;
	minAnswers: number;
	topN: number;
	resamples?: number;
	seed?: number;
}

/** Each member's answers of a workshop, each point taken from the round its results use (the latest with answers). */
export function analysisWorkshop(
	workshop: { id: string; title: string; kind: WorkshopKind },
	data: WorkshopData,
	results: WorkshopResults,
	riskPoints: readonly RiskPoint[]
): AnalysisWorkshop {
	const roundOf = new Map(results.riskPoints.map((point) => [point.id, point.round]));
	const indexOf = new Map(riskPoints.map((point, index) => [point.id, index]));
	const members = new Map<string, { likelihood: Uint8Array; consequence: Uint8Array }>();
	for (const rating of data.ratings) {
		const index = indexOf.get(rating.riskPointId);
		if (index === undefined || roundOf.get(rating.riskPointId) !== rating.round) continue;
		let member = members.get(rating.participantId);
		if (!member) members.set(rating.participantId, (member = { likelihood: new Uint8Array(riskPoints.length), consequence: new Uint8Array(riskPoints.length) }));
		member.likelihood[index] = rating.likelihood ?? 0;
		member.consequence[index] = rating.consequence ?? 0;
	}
	const list = [...members.values()];
	return { ...workshop, scoring: results.scoring, likelihood: list.map((m) => m.likelihood), consequence: list.map((m) => m.consequence) };
}

/** mulberry32: a small seeded generator, so resampling is reproducible. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Scored {
	score: (number | null)[];
	consequence: (number | null)[];
	n: number[];
}

/**
 * Combined scores of every point from the chosen members of each workshop (`pick[w]`: member
 * indexes, repeats allowed), by weighting and scoring rule.
 */
export function combinedScores(
	workshops: readonly AnalysisWorkshop[],
	pick: readonly (readonly number[])[],
	points: number,
	weighting: Weighting,
	scoring: Scoring
): Scored {
	if (scoring === 'product-of-means') return productOfMeans(workshops, pick, points, weighting);
	const score: (number | null)[] = new Array(points).fill(null);
	const consequenceMean: (number | null)[] = new Array(points).fill(null);
	const n: number[] = new Array(points).fill(0);
	for (let p = 0; p < points; p++) {
		// per workshop (weighting by workshop) or pooled (by member)
		const perWorkshop: { l: number[]; c: number[]; products: number[] }[] = [];
		for (let w = 0; w < workshops.length; w++) {
			const workshop = workshops[w]!;
			const l: number[] = [];
			const c: number[] = [];
			const products: number[] = [];
			for (const m of pick[w]!) {
				const likelihood = workshop.likelihood[m]![p]!;
				const consequence = workshop.consequence[m]![p]!;
				if (likelihood) l.push(likelihood);
				if (consequence) c.push(consequence);
				if (likelihood && consequence) products.push(likelihood * consequence);
				if (likelihood || consequence) n[p]!++;
			}
			perWorkshop.push({ l, c, products });
		}
		const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
		const median = (values: number[]) => {
			if (!values.length) return null;
			const counts = new Array<number>(LEVELS).fill(0);
			for (const v of values) counts[v - 1]!++;
			return quantile(counts, 0.5);
		};
		const combine = (of: (group: { l: number[]; c: number[]; products: number[] }) => number | null, pooledOf: (all: { l: number[]; c: number[]; products: number[] }) => number | null) => {
			if (weighting === 'member') {
				const all = { l: perWorkshop.flatMap((g) => g.l), c: perWorkshop.flatMap((g) => g.c), products: perWorkshop.flatMap((g) => g.products) };
				return pooledOf(all);
			}
			return mean(perWorkshop.flatMap((group) => {
				const value = of(group);
				return value === null ? [] : [value];
			}));
		};
		consequenceMean[p] = combine((g) => mean(g.c), (all) => mean(all.c));
		if (scoring === 'mean-of-products') {
			score[p] = combine((g) => mean(g.products), (all) => mean(all.products));
		} else {
			const medianL = combine((g) => median(g.l), (all) => median(all.l));
			const medianC = combine((g) => median(g.c), (all) => median(all.c));
			score[p] = medianL === null || medianC === null ? null : medianL * medianC;
		}
	}
	return { score, consequence: consequenceMean, n };
}

/** combinedScores for the product of means, from running sums (the resampling runs it thousands of times). */
function productOfMeans(workshops: readonly AnalysisWorkshop[], pick: readonly (readonly number[])[], points: number, weighting: Weighting): Scored {
	const score: (number | null)[] = new Array(points);
	const consequence: (number | null)[] = new Array(points);
	const n: number[] = new Array(points).fill(0);
	// workshop weighting: sums of the workshop means; member weighting: sums of the answers
	const lSum = new Float64Array(points);
	const lCount = new Float64Array(points);
	const cSum = new Float64Array(points);
	const cCount = new Float64Array(points);
	const wl = new Float64Array(points);
	const wlc = new Float64Array(points);
	const wc = new Float64Array(points);
	const wcc = new Float64Array(points);
	for (let w = 0; w < workshops.length; w++) {
		const workshop = workshops[w]!;
		wl.fill(0);
		wlc.fill(0);
		wc.fill(0);
		wcc.fill(0);
		for (const m of pick[w]!) {
			const likelihood = workshop.likelihood[m]!;
			const consequenceOf = workshop.consequence[m]!;
			for (let p = 0; p < points; p++) {
				const l = likelihood[p]!;
				const c = consequenceOf[p]!;
				if (l) {
					wl[p]! += l;
					wlc[p]!++;
				}
				if (c) {
					wc[p]! += c;
					wcc[p]!++;
				}
				if (l || c) n[p]!++;
			}
		}
		for (let p = 0; p < points; p++) {
			if (weighting === 'member') {
				lSum[p]! += wl[p]!;
				lCount[p]! += wlc[p]!;
				cSum[p]! += wc[p]!;
				cCount[p]! += wcc[p]!;
			} else {
				if (wlc[p]!) {
					lSum[p]! += wl[p]! / wlc[p]!;
					lCount[p]!++;
				}
				if (wcc[p]!) {
					cSum[p]! += wc[p]! / wcc[p]!;
					cCount[p]!++;
				}
			}
		}
	}
	for (let p = 0; p < points; p++) {
		const l = lCount[p]! ? lSum[p]! / lCount[p]! : null;
		const c = cCount[p]! ? cSum[p]! / cCount[p]! : null;
		consequence[p] = c;
		score[p] = l === null || c === null ? null : l * c;
	}
	return { score, consequence, n };
}

export function ranksOf(scored: Scored, minAnswers: number): { rank: number[]; status: RankStatus[] } {
	const items = scored.score.map((score, p) => ({ p, score, consequenceMean: scored.consequence[p]!, n: scored.n[p]!, enough: scored.n[p]! >= minAnswers }));
	const rank_: number[] = new Array(items.length).fill(0);
	const status: RankStatus[] = new Array(items.length).fill('notRated');
	for (const { item, rank: r, status: s } of rank(items)) {
		rank_[item.p] = r;
		status[item.p] = s;
	}
	return { rank: rank_, status };
}

/**
 * The ids of the top N ranked points (only points with enough answers count), in rank order (ties
 * in list order). Points tied at rank N are all in: the list may be longer than N.
 */
export function topOf(points: readonly RiskPoint[], ranked: { rank: number[]; status: RankStatus[] }, topN: number): string[] {
	return points
		.map((point, p) => ({ id: point.id, p, rank: ranked.rank[p]! }))
		.filter(({ p, rank }) => ranked.status[p] === 'ranked' && rank <= topN)
		.sort((a, b) => a.rank - b.rank || a.p - b.p)
		.map(({ id }) => id);
}

/** every member of a workshop once */
export const everyone = (workshop: AnalysisWorkshop) => workshop.likelihood.map((_, m) => m);

export interface RankInterval {
	id: string;
	/** 90% rank interval: the 5th and 95th percentile of the point's rank over the resamples */
	rankLow: number;
	rankHigh: number;
	/** the share of resamples in which the point is in the top N */
	pTop: number;
}

/**
 * How the intervals are made: 'workshops-and-members' redraws the workshops (within their kind:
 * the national panel stays, the regional workshops are drawn from the regional ones) and then the
 * members within each drawn workshop; 'members' keeps the workshops as they are and redraws only
 * their members.
 */
export type ResamplingMethod = 'workshops-and-members' | 'members';

export interface RankUncertainty {
	resamples: number;
	seed: number;
	topN: number;
	/** the resampling the points' intervals come from: two-stage wherever a kind has two or more answering workshops */
	method: ResamplingMethod;
	/** per point (list order), by `method` */
	points: RankInterval[];
	/** per point (list order), with the workshops held as they are (members redrawn only): how much is the members alone */
	withinWorkshops: RankInterval[];
}

/** The answering workshops grouped by kind: the strata the two-stage resampling draws workshops within. */
function strataOf(workshops: readonly AnalysisWorkshop[]): number[][] {
	const byKind = new Map<WorkshopKind, number[]>();
	workshops.forEach((workshop, index) => {
		if (workshop.likelihood.length === 0) return;
		const group = byKind.get(workshop.kind) ?? [];
		group.push(index);
		byKind.set(workshop.kind, group);
	});
	return [...byKind.values()];
}

/** Members redrawn with replacement within one workshop (as many as answered). */
export const drawMembers = (workshop: AnalysisWorkshop, random: () => number) => {
	const size = workshop.likelihood.length;
	return Array.from({ length: size }, () => Math.floor(random() * size));
};

/** Rank intervals and P(top N) over `resamples` redraws, each giving the workshops and members to score. */
function bootstrapRanks(
	input: AnalysisInput,
	resamples: number,
	draw: () => { workshops: AnalysisWorkshop[]; pick: number[][] }
): RankInterval[] {
	const points = input.riskPoints.length;
	const ranks = Array.from({ length: points }, () => new Uint16Array(resamples));
	const inTop = new Array<number>(points).fill(0);
	for (let r = 0; r < resamples; r++) {
		const { workshops, pick } = draw();
		const ranked = ranksOf(combinedScores(workshops, pick, points, input.weighting, 'product-of-means'), input.minAnswers);
		for (let p = 0; p < points; p++) {
			ranks[p]![r] = ranked.rank[p]!;
			if (ranked.status[p] === 'ranked' && ranked.rank[p]! <= input.topN) inTop[p]!++;
		}
	}
	const at = (sorted: Uint16Array, share: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
	return input.riskPoints.map((point, p) => {
		const sorted = ranks[p]!.slice().sort();
		return { id: point.id, rankLow: at(sorted, 0.05), rankHigh: at(sorted, 0.95), pTop: inTop[p]! / resamples };
	});
}

/**
 * Rank intervals by resampling, `resamples` times with a seeded generator; the combined ranking is
 * made again each time with the same weighting. Two ways, both returned: members redrawn with
 * replacement within each workshop (each keeps its number of answering members), and, where a
 * kind has two or more answering workshops, two-stage: the workshops of each kind redrawn with
 * replacement, then the members within each drawn workshop. The two-stage intervals are the
 * report's (`method`): workshops disagree more than members of one workshop do, and an interval
 * that holds them fixed leaves that out.
 */
export function rankUncertainty(input: AnalysisInput): RankUncertainty {
	const resamples = input.resamples ?? DEFAULT_RESAMPLES;
	const seed = input.seed ?? RESAMPLING_SEED;
	const within = seededRandom(seed);
	const withinWorkshops = bootstrapRanks(input, resamples, () => ({
		workshops: input.workshops as AnalysisWorkshop[],
		pick: input.workshops.map((workshop) => drawMembers(workshop, within))
	}));
	const strata = strataOf(input.workshops);
	if (!strata.some((stratum) => stratum.length > 1)) return { resamples, seed, topN: input.topN, method: 'members', points: withinWorkshops, withinWorkshops };
	const twoStage = seededRandom(seed + 1);
	const points = bootstrapRanks(input, resamples, () => {
		const workshops: AnalysisWorkshop[] = [];
		for (const stratum of strata) {
			for (let k = 0; k < stratum.length; k++) workshops.push(input.workshops[stratum[Math.floor(twoStage() * stratum.length)]!]!);
		}
		return { workshops, pick: workshops.map((workshop) => drawMembers(workshop, twoStage)) };
	});
	return { resamples, seed, topN: input.topN, method: 'workshops-and-members', points, withinWorkshops };
}
