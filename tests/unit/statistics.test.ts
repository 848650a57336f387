import { describe, expect, it } from 'vitest';
import { quantile, summarizeScale, summarizeValues } from '../../src/lib/domain/statistics';

describe('scale statistics', () => {
	it('summarises 1,2,3,4,5 (hand-computed)', () => {
		const s = summarizeValues([1, 2, 3, 4, 5], 5);
		expect(s).toMatchObject({ n: 5, abstained: 0, mean: 3, median: 3, iqr: 2, counts: [1, 1, 1, 1, 1] });
		// sample sd: sqrt((4+1+0+1+4)/4)
		expect(s.sd).toBeCloseTo(Math.sqrt(10 / 4), 12);
	});

	it('interpolates the median and quartiles between answers (2,2,3,5)', () => {
		const s = summarizeValues([5, 2, 3, 2], 5);
		expect(s.mean).toBe(3);
		expect(s.median).toBe(2.5); // between 2 and 3
		// Q1 at position 0.75 -> 2; Q3 at position 2.25 -> 3 + 0.25 * (5 - 3) = 3.5
		expect(s.iqr).toBe(1.5);
		expect(s.sd).toBeCloseTo(Math.sqrt(6 / 3), 12);
	});

	it('gives a single answer sd 0 and iqr 0', () => {
		expect(summarizeValues([4], 5)).toMatchObject({ n: 1, mean: 4, median: 4, sd: 0, iqr: 0 });
	});

	it('counts "don\'t know" as abstention, not as a zero', () => {
		const s = summarizeValues([3, null, 5], 5);
		expect(s).toMatchObject({ n: 2, abstained: 1, mean: 4, median: 4, iqr: 1 });
		expect(s.sd).toBeCloseTo(Math.SQRT2, 12);
	});

	it('has no mean, median, sd or iqr when nobody gave a level', () => {
		expect(summarizeValues([null, null], 5)).toEqual({
			n: 0,
			abstained: 2,
			mean: null,
			median: null,
			sd: null,
			iqr: null,
			consensus: null,
			counts: [0, 0, 0, 0, 0]
		});
	});

	it('computes quantiles from counts as from the sorted list', () => {
		// 1,1,1,4,4,5,5,5,5,5
		const counts = [3, 0, 0, 2, 5];
		expect(quantile(counts, 0)).toBe(1);
		expect(quantile(counts, 1)).toBe(5);
		expect(quantile(counts, 0.25)).toBe(1 + 0.25 * (4 - 1)); // position 2.25 between 1 and 4
		expect(quantile(counts, 0.5)).toBe(4.5);
	});

	it('summarises counts and the list the same way', () => {
		expect(summarizeScale([0, 2, 1, 0, 1], 1)).toEqual(summarizeValues([2, 2, 3, 5, null], 5));
	});
});
