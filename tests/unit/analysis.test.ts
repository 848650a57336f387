import { describe, expect, it } from 'vitest';
import { byCategory, nationalVsRegional, rankUncertainty, sensitivity, type AnalysisWorkshop } from '../../src/lib/domain/analysis';
import { combineResults } from '../../src/lib/domain/combined';
import { buildResults } from '../../src/lib/domain/results';
import { defaultMatrix } from '../../src/lib/domain/scales';
import { tallyOf } from '../../src/lib/domain/tally';
import type { RiskPoint } from '../../src/lib/domain/types';
import type { WorkshopKind } from '../../src/lib/domain/combined';

const points: RiskPoint[] = ['A', 'B', 'C', 'D'].map((id) => ({ id, code: id, text: id, category: id < 'C' ? 'Kartlegging' : 'Oppfølging', description: '' }));

/** A workshop whose members (rows) gave [L, C] per point (columns; 0 = no answer). */
function workshop(id: string, kind: WorkshopKind, members: [number, number][][]): AnalysisWorkshop {
	return {
		id,
		title: id,
		kind,
		likelihood: members.map((row) => Uint8Array.from(row.map(([l]) => l))),
		consequence: members.map((row) => Uint8Array.from(row.map(([, c]) => c)))
	};
}

// A is clearly highest everywhere; B and C are close; D is low
const national = workshop('national', 'national', [
	[[5, 5], [3, 4], [4, 3], [1, 1]],
	[[5, 4], [4, 3], [3, 4], [2, 1]],
	[[4, 5], [3, 3], [3, 3], [1, 2]]
]);
const north = workshop('north', 'regional', [
	[[5, 5], [2, 2], [4, 4], [1, 1]],
	[[4, 5], [3, 2], [4, 5], [1, 1]]
]);
const south = workshop('south', 'regional', [
	[[5, 4], [4, 4], [2, 2], [2, 2]],
	[[5, 5], [5, 4], [2, 3], [1, 2]],
	[[4, 4], [4, 4], [3, 2], [1, 1]],
	[[5, 5], [4, 5], [2, 2], [2, 1]]
]);
const input = { riskPoints: points, workshops: [national, north, south], weighting: 'workshop' as const, minAnswers: 1, topN: 2, resamples: 500 };

/** The same answers through the live code path: each workshop's results, then combineResults. */
function combined(weighting: 'workshop' | 'member') {
	return combineResults({
		assessment: { id: 'x', title: 'X' },
		riskPoints: points,
		weighting,
		matrix: defaultMatrix(),
		levelCount: 5,
		minAnswers: 1,
		workshops: [national, north, south].map((w) => ({
			id: w.id,
			title: w.title,
			kind: w.kind,
			status: 'closed' as const,
			members: w.likelihood.length,
			results: buildResults({
				workshop: { id: w.id, title: w.title, status: 'closed' },
				scoring: 'product-of-means',
				matrix: defaultMatrix(),
				levelCount: 5,
				riskPoints: points,
				tallyFor: (pointId) => {
					const p = points.findIndex((point) => point.id === pointId);
					return tallyOf(w.likelihood.map((l, m) => ({ likelihood: l[p] || null, consequence: w.consequence[m]![p] || null })), 5);
				}
			})
		}))
	});
}

describe('rank uncertainty', () => {
	it('is reproducible: the same data and seed give the same intervals', () => {
		expect(rankUncertainty(input)).toEqual(rankUncertainty(input));
		expect(rankUncertainty({ ...input, seed: 7 })).not.toEqual(rankUncertainty(input));
	});

	it('gives a clear first place a narrow interval and a certain top, and close points wide ones', () => {
		const { points: result, resamples, topN } = rankUncertainty(input);
		expect(resamples).toBe(500);
		expect(topN).toBe(2);
		const a = result.find((p) => p.id === 'A')!;
		expect([a.rankLow, a.rankHigh, a.pTop]).toEqual([1, 1, 1]);
		const b = result.find((p) => p.id === 'B')!;
		const c = result.find((p) => p.id === 'C')!;
		expect(b.rankHigh - b.rankLow).toBeGreaterThanOrEqual(1);
		expect(b.pTop + c.pTop).toBeCloseTo(1, 1);
		expect(result.find((p) => p.id === 'D')).toMatchObject({ rankLow: 4, rankHigh: 4, pTop: 0 });
	});
});

describe('sensitivity', () => {
	it('lists the top N under each weighting, scoring rule and without each workshop, and the points in every one', () => {
		const result = sensitivity(input);
		expect(result.variants.map((v) => v.key)).toEqual([
			'weighting:workshop:product-of-means:',
			'weighting:member:product-of-means:',
			'scoring:workshop:mean-of-products:',
			'scoring:workshop:product-of-medians:',
			'without:workshop:product-of-means:national',
			'without:workshop:product-of-means:north',
			'without:workshop:product-of-means:south'
		]);
		// the resampling path and the live results agree on the combined scores
		const live = combined('workshop');
		expect(result.variants[0]!.top).toEqual(live.riskPoints.filter((p) => p.rank <= 2).map((p) => p.id));
		expect(result.variants[1]!.top).toEqual(combined('member').riskPoints.filter((p) => p.rank <= 2).map((p) => p.id));
		expect(result.robustTop).toContain('A');
		for (const variant of result.variants) expect(variant.top).toContain('A');
		expect(result.robustTop.every((id) => result.variants.every((v) => v.top.includes(id)))).toBe(true);
	});
});

describe('national against regional', () => {
	it('lists the points whose national rank and regional combined rank differ most first', () => {
		const { points: result } = nationalVsRegional(input);
		expect(result).not.toBeNull();
		expect(Math.abs(result![0]!.difference)).toBeGreaterThanOrEqual(Math.abs(result![result!.length - 1]!.difference));
		expect(result!.find((p) => p.id === 'A')).toMatchObject({ nationalRank: 1, regionalRank: 1, difference: 0 });
		expect(nationalVsRegional({ ...input, workshops: [north, south] }).points).toBeNull();
	});
});

describe('by category', () => {
	it('ranks the points within each category, with the category spread', () => {
		const categories = byCategory(combined('workshop').riskPoints);
		expect(categories.map((c) => c.category)).toEqual(['Kartlegging', 'Oppfølging']);
		const first = categories[0]!;
		expect(first.points.map((p) => p.id)).toEqual(['A', 'B']);
		expect(first.points.map((p) => p.rankInCategory)).toEqual([1, 2]);
		expect(first.maxScore).toBeGreaterThan(first.minScore!);
	});
});
