/** What ranking looks at: score first, then mean consequence, then the number of answers. */
export interface Rankable {
	score: number | null;
	consequenceMean: number | null;
	n: number;
}

const EPSILON = 1e-9;

function compareDescending(a: number | null, b: number | null): number {
	if (a === null && b === null) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	return Math.abs(a - b) < EPSILON ? 0 : b - a;
}

/** Orders highest risk first: by score, ties by mean consequence, then by n; unscored last. */
export function compareRankables(a: Rankable, b: Rankable): number {
	return (
		compareDescending(a.score, b.score) ||
		compareDescending(a.consequenceMean, b.consequenceMean) ||
		b.n - a.n
	);
}

/** compareRankables for point results as they are (no objects made: the live ranking runs often). */
export function comparePointResults(
	a: { score: number | null; consequence: { mean: number | null }; n: number },
	b: { score: number | null; consequence: { mean: number | null }; n: number }
): number {
	return compareDescending(a.score, b.score) || compareDescending(a.consequence.mean, b.consequence.mean) || b.n - a.n;
}

/**
 * Ranks items (competition ranking: 1, 2, 2, 4). Items equal on every criterion share a rank
 * and keep their list order; items without a score share the last rank.
 */
export function rank<T extends Rankable>(items: readonly T[]): { item: T; rank: number }[] {
	const sorted = items
		.map((item, index) => ({ item, index }))
		.sort((a, b) => compareRankables(a.item, b.item) || a.index - b.index);
	const ranked: { item: T; rank: number }[] = [];
	sorted.forEach(({ item }, position) => {
		const previous = ranked[position - 1];
		const tied = previous !== undefined && compareRankables(previous.item, item) === 0;
		ranked.push({ item, rank: tied ? previous.rank : position + 1 });
	});
	return ranked;
}
