/**
 * Ranking of risk points (docs/method.md, "Ranking"): points with enough answers first, highest
 * score first, ties by mean consequence, then by the number of answers; then the points with too
 * few answers, in the same order and with the ranks that follow; last every point nobody scored,
 * all sharing the last rank. Competition ranking (1, 2, 2, 4): points equal on every criterion
 * share a rank and keep their list order.
 */

/** Where a point stands in the ranking. */
export type RankStatus = 'ranked' | 'tooFewAnswers' | 'notRated';

/** What ranking looks at. */
export interface Rankable {
	score: number | null;
	consequenceMean: number | null;
	n: number;
	/** false: fewer answers than the minimum (ranked after the others); default true */
	enough?: boolean;
}

const EPSILON = 1e-9;

function compareDescending(a: number | null, b: number | null): number {
	if (a === null && b === null) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	return Math.abs(a - b) < EPSILON ? 0 : b - a;
}

const TIER: Record<RankStatus, number> = { ranked: 0, tooFewAnswers: 1, notRated: 2 };

/** The status of a point from its score and whether it has enough answers. */
export function rankStatus(score: number | null, enough = true): RankStatus {
	if (score === null) return 'notRated';
	return enough ? 'ranked' : 'tooFewAnswers';
}

function compareFields(
	aScore: number | null,
	aConsequence: number | null,
	aN: number,
	aEnough: boolean,
	bScore: number | null,
	bConsequence: number | null,
	bN: number,
	bEnough: boolean
): number {
	const tierA = TIER[rankStatus(aScore, aEnough)];
	const tierB = TIER[rankStatus(bScore, bEnough)];
	if (tierA !== tierB) return tierA - tierB;
	// nobody scored either: they share the last rank whatever else they have
	if (tierA === TIER.notRated) return 0;
	return compareDescending(aScore, bScore) || compareDescending(aConsequence, bConsequence) || bN - aN;
}

/** Orders highest risk first (see the module's comment); 0 means the two share a rank. */
export function compareRankables(a: Rankable, b: Rankable): number {
	return compareFields(a.score, a.consequenceMean, a.n, a.enough ?? true, b.score, b.consequenceMean, b.n, b.enough ?? true);
}

/** compareRankables for point results as they are (no objects made: the live ranking runs often). */
export function comparePointResults(
	a: { score: number | null; consequence: { mean: number | null }; n: number; rankStatus: RankStatus },
	b: { score: number | null; consequence: { mean: number | null }; n: number; rankStatus: RankStatus }
): number {
	return compareFields(
		a.score,
		a.consequence.mean,
		a.n,
		a.rankStatus !== 'tooFewAnswers',
		b.score,
		b.consequence.mean,
		b.n,
		b.rankStatus !== 'tooFewAnswers'
	);
}

/** Ranks items (competition ranking: 1, 2, 2, 4), in rank order, with the status of each. */
export function rank<T extends Rankable>(items: readonly T[]): { item: T; rank: number; status: RankStatus }[] {
	const sorted = items
		.map((item, index) => ({ item, index }))
		.sort((a, b) => compareRankables(a.item, b.item) || a.index - b.index);
	const ranked: { item: T; rank: number; status: RankStatus }[] = [];
	sorted.forEach(({ item }, position) => {
		const previous = ranked[position - 1];
		const tied = previous !== undefined && compareRankables(previous.item, item) === 0;
		ranked.push({ item, rank: tied ? previous.rank : position + 1, status: rankStatus(item.score, item.enough ?? true) });
	});
	return ranked;
}
