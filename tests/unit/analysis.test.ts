import { describe, expect, it } from 'vitest';
import { agreementIntervals, weightedTauB } from '../../src/lib/domain/agreement';
import { combinedScores, rankUncertainty, type AnalysisWorkshop } from '../../src/lib/domain/analysis';
import { byCategory, nationalVsRegional, sensitivity } from '../../src/lib/domain/comparisons';
import { combineResults } from '../../src/lib/domain/combined';
import { kendallTauB } from '../../src/lib/domain/kendall';
import { buildResults } from '../../src/lib/domain/results';
import { defaultMatrix } from '../../src/lib/domain/scales';
import { tallyOf } from '../../src/lib/domain/tally';
import type { RiskPoint } from '../../src/lib/domain/types';
import type { WorkshopKind } from '../../src/lib/domain/combined';
import { catalogues } from '../../src/lib/i18n/translate';

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

describe('rank uncertainty in two stages (issue 25, item 14)', () => {
	// two regional workshops whose members agree among themselves and disagree with the other workshop
	const same = (row: [number, number][], count: number) => Array.from({ length: count }, () => row);
	const east = workshop('east', 'regional', same([[5, 5], [4, 4], [2, 2], [1, 1]], 4));
	const west = workshop('west', 'regional', same([[5, 5], [2, 2], [4, 5], [1, 1]], 4));
	const split = { ...input, workshops: [east, west], topN: 2 };

	it('redraws the workshops, not only their members: disagreement between workshops widens the intervals', () => {
		const result = rankUncertainty(split);
		expect(result.method).toBe('workshops-and-members');
		const byId = (list: typeof result.points) => new Map(list.map((p) => [p.id, p]));
		// members alone: every member of a workshop answers alike, so nothing moves
		const within = byId(result.withinWorkshops);
		for (const id of ['A', 'B', 'C', 'D']) expect(within.get(id)!.rankLow, id).toBe(within.get(id)!.rankHigh);
		// workshops redrawn: east twice puts B second, west twice puts C second
		const both = byId(result.points);
		expect([both.get('B')!.rankLow, both.get('B')!.rankHigh]).toEqual([2, 3]);
		expect([both.get('C')!.rankLow, both.get('C')!.rankHigh]).toEqual([2, 3]);
		expect(both.get('B')!.pTop).toBeGreaterThan(0.15);
		expect(both.get('B')!.pTop).toBeLessThan(0.85);
		expect(both.get('A')).toMatchObject({ rankLow: 1, rankHigh: 1, pTop: 1 });
	});

	it('keeps the national panel as it is and draws regional workshops among the regional ones', () => {
		// one workshop of each kind: nothing to draw among, so the intervals are the members' alone
		const alone = rankUncertainty({ ...input, workshops: [national, north] });
		expect(alone.method).toBe('members');
		expect(alone.points).toEqual(alone.withinWorkshops);
		// the national panel is in every draw: with it and the split regions, A stays first and D last
		const mixed = rankUncertainty({ ...input, workshops: [national, east, west] });
		expect(mixed.method).toBe('workshops-and-members');
		expect(mixed.points.find((p) => p.id === 'D')).toMatchObject({ rankLow: 4, rankHigh: 4 });
	});

	it('keeps the members-only intervals as they were (the same seed and draws)', () => {
		const result = rankUncertainty(input);
		expect(result.withinWorkshops).toEqual(rankUncertainty({ ...input, workshops: [national, north, south] }).withinWorkshops);
		expect(result.withinWorkshops).not.toEqual(result.points);
	});
});

describe('the agreement between workshops by resampling (issue 25, item 15)', () => {
	// eight points, so an interval exists (five or more in common)
	const eight: RiskPoint[] = Array.from({ length: 8 }, (_, i) => ({ id: `P${i}`, code: `P${i}`, text: `P${i}`, category: '', description: '' }));
	const rows = (levels: number[], noise: number[][]) => noise.map((shift) => levels.map((level, p) => [Math.min(5, Math.max(1, level + shift[p]!)), 3] as [number, number]));
	const levels = [1, 2, 2, 3, 3, 4, 5, 5];
	const one = workshop('one', 'regional', rows(levels, [[0, 0, 1, 0, -1, 0, 0, 0], [0, 1, 0, 0, 0, -1, 0, 0], [1, 0, 0, -1, 0, 0, 0, -1]]));
	const two = workshop('two', 'regional', rows([...levels].reverse().map((l, p) => (p % 2 ? l : 6 - l)), [[0, 0, 0, 1, 0, 0, -1, 0], [0, -1, 0, 0, 0, 1, 0, 0]]));
	const three = workshop('three', 'regional', rows(levels, [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]]));
	const base = { riskPoints: eight, weighting: 'workshop' as const, minAnswers: 1, topN: 3, resamples: 400 };

	it('gives every pair and every workshop against the others a 95% interval around its estimate, the same on every run', () => {
		const result = agreementIntervals({ ...base, workshops: [one, two, three] });
		expect(result).toEqual(agreementIntervals({ ...base, workshops: [one, two, three] }));
		expect(result.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['one-two', 'one-three', 'two-three']);
		expect(result.workshops.map((w) => w.workshopId)).toEqual(['one', 'two', 'three']);
		const score = (w: AnalysisWorkshop) => levels.map((_, p) => {
			const mean = (values: Uint8Array[]) => values.reduce((sum, row) => sum + row[p]!, 0) / values.length;
			return mean(w.likelihood) * mean(w.consequence);
		});
		const pairs = [[one, two], [one, three], [two, three]] as const;
		pairs.forEach(([a, b], k) => {
			const tau = kendallTauB(score(a), score(b))!;
			const { low, high } = result.pairs[k]!;
			expect(low).not.toBeNull();
			expect(low!).toBeLessThanOrEqual(tau);
			expect(high!).toBeGreaterThanOrEqual(tau);
			expect(low!).toBeGreaterThanOrEqual(-1);
			expect(high!).toBeLessThanOrEqual(1);
			// the points vary, so the interval is not a point
			expect(high! - low!).toBeGreaterThan(0.05);
		});
	});

	it('counts a point drawn k times as k equal points, as tau-b of the list with repeats does', () => {
		const x = [3, 1, 4, 1, 5, 9, 2, 6];
		const y = [2, 7, 1, 8, 2, 8, 1, 8];
		const w = [2, 1, 0, 3, 1, 1, 2, 1];
		const repeated = (values: number[]) => values.flatMap((v, i) => Array<number>(w[i]!).fill(v));
		expect(weightedTauB(Float64Array.from(x), Float64Array.from(y), Float64Array.from(w), x.length)).toBeCloseTo(kendallTauB(repeated(x), repeated(y))!, 12);
		expect(weightedTauB(Float64Array.from(x), Float64Array.from(y), Float64Array.from([1, 0, 0, 0, 0, 0, 0, 0]), x.length)).toBeNull();
	});

	it('has no interval under five points in common, nor for a workshop alone', () => {
		const few = agreementIntervals({ ...base, riskPoints: eight.slice(0, 4), workshops: [one, three].map((w) => ({ ...w, likelihood: w.likelihood.map((r) => r.slice(0, 4)), consequence: w.consequence.map((r) => r.slice(0, 4)) })) });
		expect(few.pairs).toEqual([{ a: 'one', b: 'three', low: null, high: null }]);
		const single = agreementIntervals({ ...base, workshops: [one] });
		expect(single).toMatchObject({ workshops: [], pairs: [] });
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

	it('ranks by score without the minimum number of answers (docs/method.md §11): a panel of one still has an order', () => {
		// one national member who puts D first; with a minimum of 3 every national point would be "too few answers"
		const alone = workshop('national', 'national', [[[2, 2], [3, 3], [1, 1], [5, 5]]]);
		const { points: result } = nationalVsRegional({ ...input, minAnswers: 3, workshops: [alone, north, south] });
		expect(result!.find((p) => p.id === 'D')).toMatchObject({ nationalRank: 1 });
		expect(result!.find((p) => p.id === 'C')).toMatchObject({ nationalRank: 4 });
		// positive: the regions put it higher (a smaller place) than the national panel
		const b = result!.find((p) => p.id === 'B')!;
		expect(b.difference).toBe(b.nationalRank - b.regionalRank);
	});

	it('is explained in the report as it is computed: national place minus regional place, positive where the regions put it higher', () => {
		expect(catalogues.nb['report.nvrIntro']).toMatch(/^Forskjell = plass hos det nasjonale fagpanelet minus plass hos de regionale workshopene: et positivt tall betyr at regionene vurderte punktet som en høyere risiko/);
		expect(catalogues.nn['report.nvrIntro']).toMatch(/^Skilnad = plass hos det nasjonale fagpanelet minus plass hos dei regionale workshopane: eit positivt tal tyder at regionane/);
		expect(catalogues.en['report.nvrIntro']).toMatch(/^Difference = place in the national panel minus place in the regional workshops: a positive number means the regions rated the point a higher risk/);
	});
});

describe('the product of medians across workshops (docs/method.md §10)', () => {
	// one point; likelihood 1, 1, 5 in one workshop (median 1) and 5, 5 in the other (median 5); consequence 2 everywhere
	const low = workshop('low', 'regional', [[[1, 2]], [[1, 2]], [[5, 2]]]);
	const high = workshop('high', 'regional', [[[5, 2]], [[5, 2]]]);
	const all = [[0, 1, 2], [0, 1]];
	it('averages the workshop medians when each workshop counts equally: (1 + 5) / 2 × 2 = 6', () => {
		expect(combinedScores([low, high], all, 1, 'workshop', 'product-of-medians').score).toEqual([6]);
	});
	it('takes the median of all answers pooled when each member counts equally: 5 × 2 = 10', () => {
		expect(combinedScores([low, high], all, 1, 'member', 'product-of-medians').score).toEqual([10]);
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
