import { cellOf, levelOfScore, type MatrixCell } from './matrix';
import { rank, type RankStatus } from './ranking';
import { DEFAULT_MIN_ANSWERS, type RiskPointResult, type WorkshopResults } from './results';
import { summarizeScale } from './statistics';
import { typeIsRelevantByCounts } from './dsb-method';
import { pairsOf, tauEstimate, type TauEstimate } from './kendall';
import type { KnowledgeCounts, MatrixLevel, RiskMatrix, RiskPoint, Scoring, WorkshopStatus } from './types';

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
	/** the workshop's own results (each point by its latest round; its scoring rule for its own ranking) */
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
	/** the point's rank within the workshop; null when the workshop has no score for it or no answers at all */
	rank: number | null;
	rankStatus: RankStatus | null;
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
	/** ranked; too few answers (ranked after the others); nobody scored it (all share the last rank) */
	rankStatus: RankStatus;
	rank: number;
	/** workshops where at least one member answered the point */
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
	/** the strength of knowledge given, over every workshop that asks it (never part of the score) */
	knowledge: KnowledgeCounts;
	/** by consequence type: each type over the workshops ([] in an assessment with one consequence) */
	types: CombinedType[];
	/** by consequence type: the event's uncertainty, the mean over the workshops that assessed it (null: none did) */
	uncertainty: number | null;
	workshops: WorkshopPointResult[];
}

/** One consequence type of a point over the workshops: its mean by the weighting, the pooled answers. */
export interface CombinedType extends CombinedScale {
	notRelevant: number;
	/** false when more than half of all who answered it said "not relevant" */
	relevant: boolean;
}

export interface WorkshopAgreement extends TauEstimate {
	workshopId: string;
	title: string;
	kind: WorkshopKind;
	/** false: the workshop has no answers, so it has no ranking and is left out of every correlation */
	answered: boolean;
	/** tau against the combined ranking of the other workshops (leave-one-out), for backward compatibility */
	kendallTau: number | null;
	/** points both rated */
	pointsCompared: number;
}

export interface CombinedWorkshop {
	id: string;
	title: string;
	kind: WorkshopKind;
	status: WorkshopStatus;
	/** members who joined */
	members: number;
	/** members who answered at least one point */
	answering: number;
	/** at least one answer: it has a ranking */
	answered: boolean;
	/** the workshop's own scoring rule (its own ranking; the combined score is always product of means) */
	scoring: Scoring;
}

export interface CombinedResults {
	assessment: { id: string; title: string };
	scoring: 'product-of-means';
	weighting: Weighting;
	minAnswers: number;
	workshops: CombinedWorkshop[];
	/** at least one workshop asks how strong the knowledge behind each answer is */
	asksKnowledge: boolean;
	riskPoints: CombinedPointResult[];
	/** each answering workshop against the combined ranking of the others */
	agreement: WorkshopAgreement[];
	/** every pair of answering workshops: tau between their own scores */
	pairs: { a: string; b: string; estimate: TauEstimate }[];
}

const meanOf = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** Pooled counts of one scale over the workshops' point results. */
function pooled(results: readonly RiskPointResult[], scale: 'likelihood' | 'consequence', levelCount: number) {
	const counts = new Array<number>(levelCount).fill(0);
	let abstained = 0;
	for (const result of results) {
		result[scale].counts.forEach((count, level) => (counts[level] = (counts[level] ?? 0) + count));
		abstained += result[scale].abstained;
	}
	return summarizeScale(counts, abstained);
}

export interface CombinedInput {
	assessment: { id: string; title: string };
	riskPoints: readonly RiskPoint[];
	workshops: readonly (CombinedWorkshopInput & { members: number; answering?: number })[];
	weighting: Weighting;
	matrix: RiskMatrix;
	levelCount: number;
	/** points with fewer substantive answers over all workshops are ranked after the others; default DEFAULT_MIN_ANSWERS */
	minAnswers?: number;
}

/** The combined means of a point from the workshops' results: workshop means averaged, or answers pooled. */
function combinedMeans(present: readonly RiskPointResult[], weighting: Weighting, levelCount: number) {
	if (weighting === 'workshop') {
		// each workshop that has a mean counts once, however many members it had
		return {
			likelihood: meanOf(present.flatMap((r) => (r.likelihood.mean === null ? [] : [r.likelihood.mean]))),
			consequence: meanOf(present.flatMap((r) => (r.consequence.mean === null ? [] : [r.consequence.mean])))
		};
	}
	return { likelihood: pooled(present, 'likelihood', levelCount).mean, consequence: pooled(present, 'consequence', levelCount).mean };
}

/** Each consequence type over the workshops: workshop means averaged, or answers pooled (as the scales). */
function combinedTypes(present: readonly RiskPointResult[], weighting: Weighting, levelCount: number): CombinedType[] {
	const typeCount = Math.max(0, ...present.map((r) => r.types.length));
	return Array.from({ length: typeCount }, (_, index) => {
		const counts = new Array<number>(levelCount).fill(0);
		let abstained = 0;
		let notRelevant = 0;
		const means: number[] = [];
		for (const result of present) {
			const type = result.types[index];
			if (!type) continue;
			type.counts.forEach((count, level) => (counts[level] = (counts[level] ?? 0) + count));
			abstained += type.abstained;
			notRelevant += type.notRelevant;
			if (type.mean !== null) means.push(type.mean);
		}
		const pool = summarizeScale(counts, abstained);
		return {
			mean: weighting === 'workshop' ? meanOf(means) : pool.mean,
			counts: pool.counts,
			n: pool.n,
			abstained,
			median: pool.median,
			iqr: pool.iqr,
			consensus: pool.consensus,
			notRelevant,
			relevant: typeIsRelevantByCounts(pool.n, notRelevant)
		};
	});
}

const productOf = (means: { likelihood: number | null; consequence: number | null }) =>
	means.likelihood === null || means.consequence === null ? null : means.likelihood * means.consequence;

/** Combines the workshops' results into one ranked list, with every workshop's numbers per point. */
export function combineResults(input: CombinedInput): CombinedResults {
	const byWorkshop = input.workshops.map((workshop) => ({
		workshop,
		points: new Map(workshop.results.riskPoints.map((point) => [point.id, point])),
		// a workshop with no answers at all has no ranking
		answered: workshop.results.riskPoints.some((point) => point.responses > 0)
	}));
	const minAnswers = input.minAnswers ?? DEFAULT_MIN_ANSWERS;

	const points = input.riskPoints.map((riskPoint) => {
		const present: RiskPointResult[] = [];
		const workshops: WorkshopPointResult[] = byWorkshop.map(({ workshop, points: map, answered }) => {
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
				rank: answered && result && result.score !== null ? result.rank : null,
				rankStatus: answered && result ? result.rankStatus : null,
				disagreement: result?.disagreement ?? false
			};
		});
		const likelihoodPool = pooled(present, 'likelihood', input.levelCount);
		const consequencePool = pooled(present, 'consequence', input.levelCount);
		const { likelihood: likelihoodMean, consequence: consequenceMean } = combinedMeans(present, input.weighting, input.levelCount);
		const score = productOf({ likelihood: likelihoodMean, consequence: consequenceMean });
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
		const n = present.reduce((sum, r) => sum + r.n, 0);
		const uncertainties = present.flatMap((r) => (r.uncertainty?.event === null || r.uncertainty === null ? [] : [r.uncertainty.event]));
		const point: CombinedPointResult = {
			id,
			code,
			text,
			category,
			rankStatus: 'notRated',
			rank: 0,
			workshopsRated: present.filter((r) => r.responses > 0).length,
			responses: present.reduce((sum, r) => sum + r.responses, 0),
			n,
			likelihood: scale(likelihoodMean, likelihoodPool),
			consequence: scale(consequenceMean, consequencePool),
			score,
			cell,
			level: levelOfScore(input.matrix, score),
			flaggedIn: present.filter((r) => r.disagreement).length,
			knowledge: {
				strong: present.reduce((sum, r) => sum + r.knowledge.strong, 0),
				moderate: present.reduce((sum, r) => sum + r.knowledge.moderate, 0),
				weak: present.reduce((sum, r) => sum + r.knowledge.weak, 0)
			},
			types: combinedTypes(present, input.weighting, input.levelCount),
			uncertainty: meanOf(uncertainties),
			workshops
		};
		return point;
	});

	const ranking = rank(
		points.map((point) => ({ point, score: point.score, consequenceMean: point.consequence.mean, n: point.n, enough: point.n >= minAnswers }))
	);
	for (const { item, rank: position, status } of ranking) {
		item.point.rank = position;
		item.point.rankStatus = status;
	}
	const ranked = ranking.map(({ item }) => item.point);
	const ids = input.riskPoints.map((point) => point.id);
	const ownScores = byWorkshop.map(({ points: map }) => new Map(ids.map((id) => [id, map.get(id)?.score ?? null])));

	// each answering workshop against the combined ranking of the others (leave one out)
	const agreement: WorkshopAgreement[] = byWorkshop.map(({ workshop, answered }, index) => {
		const others = byWorkshop.filter((other, j) => j !== index && other.answered);
		const otherScores = new Map(
			ids.map((id) => {
				const present = others.flatMap(({ points: map }) => {
					const result = map.get(id);
					return result ? [result] : [];
				});
				return [id, productOf(combinedMeans(present, input.weighting, input.levelCount))];
			})
		);
		const estimate: TauEstimate = answered ? tauEstimate(...pairsOf(ids, ownScores[index]!, otherScores)) : { tau: null, points: 0, low: null, high: null };
		return {
			workshopId: workshop.id,
			title: workshop.title,
			kind: workshop.kind,
			answered,
			...estimate,
			kendallTau: estimate.tau,
			pointsCompared: estimate.points
		};
	});

	const pairs: CombinedResults['pairs'] = [];
	byWorkshop.forEach((first, i) => {
		byWorkshop.forEach((second, j) => {
			if (j <= i || !first.answered || !second.answered) return;
			pairs.push({ a: first.workshop.id, b: second.workshop.id, estimate: tauEstimate(...pairsOf(ids, ownScores[i]!, ownScores[j]!)) });
		});
	});

	return {
		assessment: input.assessment,
		scoring: 'product-of-means',
		weighting: input.weighting,
		minAnswers,
		workshops: byWorkshop.map(({ workshop: { id, title, kind, status, members, answering, results }, answered }) => ({
			id,
			title,
			kind,
			status,
			members,
			answering: answering ?? members,
			answered,
			scoring: results.scoring
		})),
		asksKnowledge: input.workshops.some((workshop) => workshop.results.asksKnowledge),
		riskPoints: ranked,
		agreement,
		pairs
	};
}
