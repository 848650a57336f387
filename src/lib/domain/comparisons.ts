/**
 * What the combined ranking looks like from other angles (docs/method.md §6): the top N under
 * each weighting, scoring rule and without each workshop, the national panel against the regional
 * workshops, and the ranking within each category.
 */
import { combinedScores, everyone, ranksOf, topOf, type AnalysisInput } from './analysis';
import type { Weighting, WorkshopKind } from './combined';
import type { RankStatus } from './ranking';
import type { Scoring } from './types';

export interface Sensitivity {
	topN: number;
	variants: { key: string; kind: 'weighting' | 'scoring' | 'without'; weighting: Weighting; scoring: Scoring; without: string | null; top: string[] }[];
	/** points in the top N in every variant */
	robustTop: string[];
}

/** The top N under each weighting, each scoring rule, and without each workshop in turn. */
export function sensitivity(input: AnalysisInput): Sensitivity {
	const points = input.riskPoints.length;
	const all = input.workshops.map(everyone);
	const variants: Sensitivity['variants'] = [];
	const add = (kind: Sensitivity['variants'][number]['kind'], weighting: Weighting, scoring: Scoring, without: string | null) => {
		const included = input.workshops.map((w, i) => ({ w, i })).filter(({ w }) => w.id !== without);
		const scored = combinedScores(
			included.map(({ w }) => w),
			included.map(({ i }) => all[i]!),
			points,
			weighting,
			scoring
		);
		const top = topOf(input.riskPoints, ranksOf(scored, input.minAnswers), input.topN);
		variants.push({ key: `${kind}:${weighting}:${scoring}:${without ?? ''}`, kind, weighting, scoring, without, top });
	};
	// with one workshop answering, both weightings are the same and leaving it out leaves nothing
	const answering = input.workshops.filter((workshop) => workshop.likelihood.length > 0);
	const weightings = answering.length > 1 ? (['workshop', 'member'] as const) : [input.weighting];
	for (const weighting of weightings) add('weighting', weighting, 'product-of-means', null);
	for (const scoring of ['mean-of-products', 'product-of-medians'] as const) add('scoring', input.weighting, scoring, null);
	if (answering.length > 1) for (const workshop of answering) add('without', input.weighting, 'product-of-means', workshop.id);
	const robustTop = input.riskPoints.map((point) => point.id).filter((id) => variants.every((variant) => variant.top.includes(id)));
	return { topN: input.topN, variants, robustTop };
}

export interface NationalVsRegional {
	/** null when the assessment has no national panel, or no regional workshop, with answers */
	points: { id: string; nationalRank: number; regionalRank: number; difference: number }[] | null;
}

/** Where the national panel's rank and the regional workshops' combined rank differ most (largest first). */
export function nationalVsRegional(input: AnalysisInput): NationalVsRegional {
	const ranked = (kind: WorkshopKind) => {
		const chosen = input.workshops.filter((w) => w.kind === kind && w.likelihood.length > 0);
		if (chosen.length === 0) return null;
		return ranksOf(combinedScores(chosen, chosen.map(everyone), input.riskPoints.length, input.weighting, 'product-of-means'), 1);
	};
	const national = ranked('national');
	const regional = ranked('regional');
	if (!national || !regional) return { points: null };
	const points = input.riskPoints
		.map((point, p) => ({ id: point.id, p }))
		.filter(({ p }) => national.status[p] !== 'notRated' && regional.status[p] !== 'notRated')
		.map(({ id, p }) => ({ id, nationalRank: national.rank[p]!, regionalRank: regional.rank[p]!, difference: national.rank[p]! - regional.rank[p]! }))
		.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || a.regionalRank - b.regionalRank);
	return { points };
}

export interface CategoryRanking {
	category: string;
	/** the points of the category in combined rank order, with their rank within the category */
	points: { id: string; rankInCategory: number }[];
	scored: number;
	meanScore: number | null;
	minScore: number | null;
	maxScore: number | null;
}

/** The combined ranking within each category (points without a category are left out). */
export function byCategory(points: readonly { id: string; category: string; score: number | null; rank: number; rankStatus: RankStatus }[]): CategoryRanking[] {
	const groups = new Map<string, (typeof points)[number][]>();
	for (const point of points) {
		const category = point.category.trim();
		if (!category) continue;
		let group = groups.get(category);
		if (!group) groups.set(category, (group = []));
		group.push(point);
	}
	return [...groups].map(([category, members]) => {
		const ordered = [...members].sort((a, b) => a.rank - b.rank);
		const scores = ordered.flatMap((point) => (point.score === null ? [] : [point.score]));
		let previous: (typeof points)[number] | null = null;
		let shown = 0;
		const ranked = ordered.map((point, index) => {
			if (!previous || previous.rank !== point.rank) shown = index + 1;
			previous = point;
			return { id: point.id, rankInCategory: shown };
		});
		return {
			category,
			points: ranked,
			scored: scores.length,
			meanScore: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
			minScore: scores.length ? Math.min(...scores) : null,
			maxScore: scores.length ? Math.max(...scores) : null
		};
	});
}
