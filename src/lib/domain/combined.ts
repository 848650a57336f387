import { cellOf, levelOf, type MatrixCell } from './matrix';
import { rank } from './ranking';
import type { RiskPointResult, WorkshopResults } from './results';
import { summarizeScale } from './statistics';
import type { MatrixLevel, RiskMatrix, RiskPoint, WorkshopStatus } from './types';

/**
 * Results across the workshops of an assessment. Each workshop counts equally (the mean of the
 * workshop means, the default) or each member does (answers pooled over all workshops). The score
 * is always mean likelihood x mean consequence of the combined means.
 */
export const WEIGHTINGS = ['workshop', 'member'] as const;
export type Weighting = (typeof WEIGHTINGS)[number];

export type WorkshopKind = 'standalone' | 'national' | 'regional';

export interface CombinedWorkshopInput {
	id: string;
	title: string;
	kind: WorkshopKind;
	status: WorkshopStatus;
	/** the workshop's own results (each point by its latest round) */
	results: WorkshopResults;
}

/** One workshop's numbers for one point. */
export interface WorkshopPointResult {
	workshopId: string;
	/** false: the point was added after this workshop closed, so it never rated it */
	inList: boolean;
	responses: number;
	n: number;
	round: number;
	likelihoodMean: number | null;
	consequenceMean: number | null;
	score: number | null;
	/** the point's rank within the workshop; null when the workshop has no score for it */
	rank: number | null;
	disagreement: boolean;
}

export interface CombinedScale {
	mean: number | null;
	/** pooled over every member's answer, whatever the weighting (for reading the spread) */
	counts: number[];
	n: number;
	abstained: number;
	median: number | null;
	iqr: number | null;
	consensus: number | null;
}

export interface CombinedPointResult {
	id: string;
	code: string;
	text: string;
	category: string;
	rank: number;
	/** workshops that gave the point a score */
	workshopsRated: number;
	/** members who answered the point, over all workshops */
	responses: number;
	n: number;
	likelihood: CombinedScale;
	consequence: CombinedScale;
	score: number | null;
	cell: MatrixCell | null;
	level: MatrixLevel | null;
	/** flagged for discussion in at least one workshop */
	flaggedIn: number;
	workshops: WorkshopPointResult[];
}

export interface WorkshopAgreement {
	workshopId: string;
	title: string;
	kind: WorkshopKind;
	/** Kendall's tau-b between the workshop's scores and the combined scores; null with < 2 points in common */
	kendallTau: number | null;
	/** points both rated */
	pointsCompared: number;
}

export interface CombinedResults {
	assessment: { id: string; title: string };
	scoring: 'product-of-means';
	weighting: Weighting;
	workshops: { id: string; title: string; kind: WorkshopKind; status: WorkshopStatus; members: number }[];
	riskPoints: CombinedPointResult[];
	agreement: WorkshopAgreement[];
}

const meanOf = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** Pooled counts of one scale over the workshops' point results. */
function pooled(results: RiskPointResult[], scale: 'likelihood' | 'consequence', levelCount: number) {
	const counts = new Array<number>(levelCount).fill(0);
	let abstained = 0;
	for (const result of results) {
		result[scale].counts.forEach((count, level) => (counts[level] = (counts[level] ?? 0) + count));
		abstained += result[scale].abstained;
	}
	return summarizeScale(counts, abstained);
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

export interface CombinedInput {
	assessment: { id: string; title: string };
	riskPoints: readonly RiskPoint[];
	workshops: readonly (CombinedWorkshopInput & { members: number })[];
	weighting: Weighting;
	matrix: RiskMatrix;
	levelCount: number;
}

/** Combines the workshops' results into one ranked list, with every workshop's numbers per point. */
export function combineResults(input: CombinedInput): CombinedResults {
	const byWorkshop = input.workshops.map((workshop) => ({
		workshop,
		points: new Map(workshop.results.riskPoints.map((point) => [point.id, point]))
	}));

	const points = input.riskPoints.map((riskPoint) => {
		const present: RiskPointResult[] = [];
		const workshops: WorkshopPointResult[] = byWorkshop.map(({ workshop, points: map }) => {
			const result = map.get(riskPoint.id);
			if (result) present.push(result);
			return {
				workshopId: workshop.id,
				inList: result !== undefined,
				responses: result?.responses ?? 0,
				n: result?.n ?? 0,
				round: result?.round ?? 1,
				likelihoodMean: result?.likelihood.mean ?? null,
				consequenceMean: result?.consequence.mean ?? null,
				score: result?.score ?? null,
				rank: result && result.score !== null ? result.rank : null,
				disagreement: result?.disagreement ?? false
			};
		});
		const likelihoodPool = pooled(present, 'likelihood', input.levelCount);
		const consequencePool = pooled(present, 'consequence', input.levelCount);
		const scored = present.filter((result) => result.score !== null);
		let likelihoodMean: number | null;
		let consequenceMean: number | null;
		if (input.weighting === 'workshop') {
			// each workshop that has a mean counts once, however many members it had
			likelihoodMean = meanOf(present.flatMap((r) => (r.likelihood.mean === null ? [] : [r.likelihood.mean])));
			consequenceMean = meanOf(present.flatMap((r) => (r.consequence.mean === null ? [] : [r.consequence.mean])));
		} else {
			likelihoodMean = likelihoodPool.mean;
			consequenceMean = consequencePool.mean;
		}
		const score = likelihoodMean === null || consequenceMean === null ? null : likelihoodMean * consequenceMean;
		const cell = cellOf(likelihoodMean, consequenceMean);
		const scale = (mean: number | null, pool: ReturnType<typeof pooled>): CombinedScale => ({
			mean,
			counts: pool.counts,
			n: pool.n,
			abstained: pool.abstained,
			median: pool.median,
			iqr: pool.iqr,
			consensus: pool.consensus
		});
		const { id, code, text, category } = riskPoint;
		const point: CombinedPointResult = {
			id,
			code,
			text,
			category,
			rank: 0,
			workshopsRated: scored.length,
			responses: present.reduce((sum, r) => sum + r.responses, 0),
			n: present.reduce((sum, r) => sum + r.n, 0),
			likelihood: scale(likelihoodMean, likelihoodPool),
			consequence: scale(consequenceMean, consequencePool),
			score,
			cell,
			level: levelOf(input.matrix, cell),
			flaggedIn: present.filter((r) => r.disagreement).length,
			workshops
		};
		return point;
	});

	const ranking = rank(points.map((point) => ({ point, score: point.score, consequenceMean: point.consequence.mean, n: point.n })));
	for (const { item, rank: position } of ranking) item.point.rank = position;
	const ranked = ranking.map(({ item }) => item.point);

	const agreement = byWorkshop.map(({ workshop, points: map }) => {
		const pairs = ranked.flatMap((point) => {
			const own = map.get(point.id)?.score;
			return own === null || own === undefined || point.score === null ? [] : [[own, point.score] as const];
		});
		return {
			workshopId: workshop.id,
			title: workshop.title,
			kind: workshop.kind,
			kendallTau: kendallTauB(
				pairs.map((pair) => pair[0]),
				pairs.map((pair) => pair[1])
			),
			pointsCompared: pairs.length
		};
	});

	return {
		assessment: input.assessment,
		scoring: 'product-of-means',
		weighting: input.weighting,
		workshops: input.workshops.map(({ id, title, kind, status, members }) => ({ id, title, kind, status, members })),
		riskPoints: ranked,
		agreement
	};
}
