import { describe, expect, it } from 'vitest';
import { combineResults, type CombinedWorkshopInput } from '../../src/lib/domain/combined';
import { kendallTauB, tauEstimate } from '../../src/lib/domain/kendall';
import { buildResults } from '../../src/lib/domain/results';
import { defaultMatrix } from '../../src/lib/domain/scales';
import { tallyOf, type RatingAnswer } from '../../src/lib/domain/tally';
import type { RiskPoint } from '../../src/lib/domain/types';

const point = (id: string): RiskPoint => ({ id, code: id, text: `Point ${id}`, category: '', description: '' });
const a = (likelihood: number | null, consequence: number | null): RatingAnswer => ({ likelihood, consequence });

/** A workshop whose members gave these answers per point (a point left out is not in its list). */
function workshop(id: string, answers: Record<string, RatingAnswer[]>): CombinedWorkshopInput & { members: number } {
	const ids = Object.keys(answers);
	return {
		id,
		title: id,
		kind: 'regional',
		status: 'open',
		members: Math.max(...Object.values(answers).map((list) => list.length)),
		results: buildResults({
			workshop: { id, title: id, status: 'open' },
			scoring: 'product-of-means',
			matrix: defaultMatrix(),
			levelCount: 5,
			riskPoints: ids.map(point),
			tallyFor: (pointId) => tallyOf(answers[pointId] ?? [], 5)
		})
	};
}

const combine = (workshops: ReturnType<typeof workshop>[], weighting: 'workshop' | 'member', ids = ['A', 'B']) =>
	combineResults({
		assessment: { id: 'x', title: 'X' },
		riskPoints: ids.map(point),
		workshops,
		weighting,
		matrix: defaultMatrix(),
		levelCount: 5
	});

// Small workshop: 1 member; big workshop: 3 members.
const small = workshop('small', { A: [a(5, 5)], B: [a(1, 1)] });
const big = workshop('big', { A: [a(1, 1), a(1, 1), a(1, 1)], B: [a(3, 3), a(3, 3), a(3, 3)] });

describe('combined results', () => {
	it('counts each workshop equally: the mean of the workshop means', () => {
		const { riskPoints } = combine([small, big], 'workshop');
		// A: L (5 + 1) / 2 = 3, C 3 -> 9; B: L (1 + 3) / 2 = 2, C 2 -> 4
		expect(riskPoints.map((p) => [p.code, p.rank, p.score, p.likelihood.mean])).toEqual([
			['A', 1, 9, 3],
			['B', 2, 4, 2]
		]);
		expect(riskPoints[0]!.cell).toEqual({ likelihood: 3, consequence: 3 });
		expect(riskPoints[0]!.responses).toBe(4);
		expect(riskPoints[0]!.workshopsRated).toBe(2);
	});

	it('counts each member equally: all answers pooled', () => {
		const { riskPoints } = combine([small, big], 'member');
		// A: L (5 + 1 + 1 + 1) / 4 = 2, C 2 -> 4; B: L (1 + 3 + 3 + 3) / 4 = 2.5, C 2.5 -> 6.25
		expect(riskPoints.map((p) => [p.code, p.rank, p.score])).toEqual([
			['B', 1, 6.25],
			['A', 2, 4]
		]);
		expect(riskPoints[0]!.likelihood.counts).toEqual([1, 0, 3, 0, 0]);
	});

	it('leaves out "don\'t know" and workshops without a mean on a scale', () => {
		const unsure = workshop('unsure', { A: [a(null, 4)], B: [a(2, 2)] });
		const { riskPoints } = combine([small, unsure], 'workshop');
		const pointA = riskPoints.find((p) => p.id === 'A')!;
		// L: only small has a mean (5); C: (5 + 4) / 2 = 4.5
		expect(pointA.likelihood.mean).toBe(5);
		expect(pointA.consequence.mean).toBe(4.5);
		// both workshops answered it (one with "don't know" on a scale): both count as having rated it
		expect(pointA.workshopsRated).toBe(2);
	});

	it('marks a point missing from a workshop list, and an unrated point comes last', () => {
		const early = workshop('early', { A: [a(4, 4)] });
		const later = workshop('later', { A: [a(2, 2)], B: [a(3, 3)] });
		const { riskPoints } = combine([early, later], 'workshop', ['A', 'B', 'C']);
		const pointB = riskPoints.find((p) => p.id === 'B')!;
		expect(pointB.workshops.map((w) => [w.workshopId, w.inList, w.rank])).toEqual([
			['early', false, null],
			['later', true, 1]
		]);
		// B is combined from the one workshop that rated it
		expect(pointB.score).toBe(9);
		const pointC = riskPoints.find((p) => p.id === 'C')!;
		expect(pointC.score).toBeNull();
		expect(pointC.rank).toBe(3);
		expect(pointC.workshops.every((w) => !w.inList)).toBe(true);
	});
});

describe("Kendall's tau-b", () => {
	it('is estimated with the points it rests on; its interval comes from the resampling (analysis.test.ts)', () => {
		const estimate = tauEstimate([1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 6, 5]);
		// (13 concordant - 2 discordant) / 15 pairs
		expect(estimate).toEqual({ tau: 11 / 15, points: 6, low: null, high: null });
		expect(tauEstimate([1, 2, 3, 4], [1, 2, 3, 4])).toEqual({ tau: 1, points: 4, low: null, high: null });
	});

	it('is 1 for the same order and -1 for the reverse', () => {
		expect(kendallTauB([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
		expect(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
	});

	it('matches a hand-computed case without ties', () => {
		// pairs of (1,2,3,4,5) vs (3,1,2,5,4): concordant 7, discordant 3 -> (7 - 3) / 10
		expect(kendallTauB([1, 2, 3, 4, 5], [3, 1, 2, 5, 4])).toBeCloseTo(0.4, 12);
	});

	it('matches a hand-computed case with ties (tau-b)', () => {
		// x = 1,1,2,3; y = 1,2,2,3: pairs 6; tied in x only: (1,2); tied in y only: (2,3);
		// concordant 4, discordant 0 -> 4 / sqrt((6 - 1) (6 - 1)) = 0.8
		expect(kendallTauB([1, 1, 2, 3], [1, 2, 2, 3])).toBeCloseTo(0.8, 12);
	});

	it('is undefined (null) with fewer than two pairs or a constant list', () => {
		expect(kendallTauB([1], [1])).toBeNull();
		expect(kendallTauB([2, 2, 2], [1, 2, 3])).toBeNull();
	});

	it('is reported per workshop against the combined scores of the other workshops (leave one out)', () => {
		const results = combine([small, big], 'workshop');
		// small: A 25 > B 1, the others (big) A 1 < B 9 -> -1; and the same the other way round.
		// Against a combined ranking that includes the workshop itself, small would have had +1.
		expect(results.agreement.map((x) => [x.workshopId, x.kendallTau, x.pointsCompared, x.low])).toEqual([
			['small', -1, 2, null],
			['big', -1, 2, null]
		]);
		expect(results.pairs).toEqual([{ a: 'small', b: 'big', estimate: { tau: -1, points: 2, low: null, high: null } }]);
	});

	it('leaves a workshop without answers out of every correlation and says so', () => {
		const silent = workshop('silent', { A: [], B: [] });
		const results = combine([small, big, silent], 'workshop');
		expect(results.workshops.find((w) => w.id === 'silent')).toMatchObject({ answered: false });
		expect(results.agreement.find((x) => x.workshopId === 'silent')).toMatchObject({ answered: false, tau: null, points: 0 });
		expect(results.pairs.map((pair) => [pair.a, pair.b])).toEqual([['small', 'big']]);
		// its points have no rank there
		expect(results.riskPoints.every((p) => p.workshops.find((w) => w.workshopId === 'silent')!.rank === null)).toBe(true);
		// and the leave-one-out tau of the others is not changed by it
		expect(results.agreement.find((x) => x.workshopId === 'small')!.tau).toBe(-1);
	});
});
