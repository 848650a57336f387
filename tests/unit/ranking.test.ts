import { describe, expect, it } from 'vitest';
import { rank } from '../../src/lib/domain/ranking';
import { buildResults } from '../../src/lib/domain/results';
import { defaultMatrix } from '../../src/lib/domain/scales';
import { tallyOf, type RatingAnswer } from '../../src/lib/domain/tally';
import type { RiskPoint, Scoring } from '../../src/lib/domain/types';

const point = (id: string): RiskPoint => ({ id, code: id, text: `Point ${id}`, category: '', description: '' });

function results(answers: Record<string, RatingAnswer[]>, scoring: Scoring = 'product-of-means') {
	const tallies = new Map(Object.entries(answers).map(([id, list]) => [id, tallyOf(list, 5)]));
	return buildResults({
		workshop: { id: 'w', title: 'T', status: 'open' },
		scoring,
		matrix: defaultMatrix(),
		levelCount: 5,
		riskPoints: Object.keys(answers).map(point),
		tallyFor: (id) => tallies.get(id)
	});
}

const a = (likelihood: number | null, consequence: number | null): RatingAnswer => ({ likelihood, consequence });

describe('ranking', () => {
	it('ranks by score, highest first', () => {
		const ranked = results({ A: [a(2, 2)], B: [a(5, 5)], C: [a(3, 3)] }).riskPoints;
		expect(ranked.map((p) => [p.code, p.rank, p.score])).toEqual([
			['B', 1, 25],
			['C', 2, 9],
			['A', 3, 4]
		]);
	});

	it('ranks ties by mean consequence', () => {
		// both score 12; B has the higher consequence
		const ranked = results({ A: [a(4, 3)], B: [a(3, 4)] }).riskPoints;
		expect(ranked.map((p) => [p.code, p.rank])).toEqual([
			['B', 1],
			['A', 2]
		]);
	});

	it('ranks ties on score and consequence by the number of answers', () => {
		const ranked = results({ A: [a(3, 4)], B: [a(3, 4), a(3, 4), a(3, 4)] }).riskPoints;
		expect(ranked.map((p) => [p.code, p.rank, p.n])).toEqual([
			['B', 1, 3],
			['A', 2, 1]
		]);
	});

	it('gives points equal on every criterion the same rank, in list order', () => {
		const ranked = rank([
			{ score: 9, consequenceMean: 3, n: 2, id: 'first' },
			{ score: 16, consequenceMean: 4, n: 1, id: 'top' },
			{ score: 9, consequenceMean: 3, n: 2, id: 'second' },
			{ score: 4, consequenceMean: 2, n: 2, id: 'last' }
		]);
		expect(ranked.map(({ item, rank: r }) => [item.id, r])).toEqual([
			['top', 1],
			['first', 2],
			['second', 2],
			['last', 4]
		]);
	});

	it('puts points nobody rated last, with score null', () => {
		const ranked = results({ A: [], B: [a(1, 1)], C: [a(null, null)] }).riskPoints;
		expect(ranked.map((p) => [p.code, p.rank, p.score])).toEqual([
			['B', 1, 1],
			['A', 2, null],
			['C', 2, null]
		]);
	});
});

describe('results of a point', () => {
	it("counts answers, levels and full abstentions with don't know", () => {
		const [p] = results({ A: [a(4, null), a(null, null), a(2, 4), a(3, 5)] }).riskPoints;
		expect(p).toMatchObject({ responses: 4, n: 3, abstained: 1 });
		expect(p!.likelihood).toMatchObject({ n: 3, abstained: 1, mean: 3, counts: [0, 1, 1, 1, 0] });
		expect(p!.consequence).toMatchObject({ n: 2, abstained: 2, mean: 4.5, counts: [0, 0, 0, 1, 1] });
		expect(p!.score).toBe(13.5);
		expect(p!.cell).toEqual({ likelihood: 3, consequence: 5 }); // 4.5 rounds half up
		expect(p!.level).toBe('high');
	});

	it('scores by product of means, mean of products or product of medians', () => {
		const answers = { A: [a(1, 5), a(5, 1), a(3, 3)] };
		expect(results(answers, 'product-of-means').riskPoints[0]!.score).toBe(9);
		expect(results(answers, 'mean-of-products').riskPoints[0]!.score).toBeCloseTo((5 + 5 + 9) / 3, 12);
		expect(results(answers, 'product-of-medians').riskPoints[0]!.score).toBe(9);
	});

	it('flags disagreement when the IQR of either scale is over 1', () => {
		const wide = results({ A: [a(1, 3), a(1, 3), a(5, 3), a(5, 3)] }).riskPoints[0]!;
		expect(wide.likelihood.iqr).toBe(4);
		expect(wide.disagreement).toBe(true);
		const narrow = results({ A: [a(3, 3), a(3, 3), a(4, 3), a(4, 3)] }).riskPoints[0]!;
		expect(narrow.likelihood.iqr).toBe(1); // Q1 = 3, Q3 = 4: exactly 1 is not flagged
		expect(narrow.disagreement).toBe(false);
	});
});
