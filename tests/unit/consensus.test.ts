import { describe, expect, it } from 'vitest';
import { consensusOf } from '../../src/lib/domain/consensus';
import { summarizeValues } from '../../src/lib/domain/statistics';

describe('Tastle and Wierman consensus', () => {
	it('matches the worked example of the agrmt R package (7-point scale): 0.7256876', () => {
		// agrmt::consensus(c(30,40,210,130,530,50,10)) documents 0.7256876
		expect(consensusOf([30, 40, 210, 130, 530, 50, 10])).toBeCloseTo(0.7256876, 7);
	});

	it('is 1 when everyone chose the same level (the definition)', () => {
		expect(consensusOf([0, 0, 14, 0, 0])).toBe(1);
		expect(consensusOf([9, 0, 0, 0, 0])).toBe(1);
	});

	it('is 0 when the answers are split evenly between the two ends (the definition)', () => {
		expect(consensusOf([7, 0, 0, 0, 7])).toBe(0);
	});

	it('gives hand-computed values on a 5-point scale', () => {
		// uniform: mean 3; 1 + 0.2 * (2 log2(0.5) + 2 log2(0.75)) = 1 + 0.4 * (-1 + log2 0.75)
		expect(consensusOf([1, 1, 1, 1, 1])).toBeCloseTo(1 + 0.4 * (-1 + Math.log2(0.75)), 12);
		expect(consensusOf([1, 1, 1, 1, 1])).toBeCloseTo(0.434, 3);
		// two neighbours 2 and 4, half each: mean 3, distance 1/4 each: 1 + log2(0.75)
		expect(consensusOf([0, 1, 0, 1, 0])).toBeCloseTo(1 + Math.log2(0.75), 12);
		expect(consensusOf([0, 1, 0, 1, 0])).toBeCloseTo(0.585, 3);
		// 3 x level 4 and 1 x level 5: mean 4.25; 0.75 log2(1 - 0.0625) + 0.25 log2(1 - 0.1875)
		expect(consensusOf([0, 0, 0, 3, 1])).toBeCloseTo(1 + 0.75 * Math.log2(0.9375) + 0.25 * Math.log2(0.8125), 12);
	});

	it('does not depend on the number of members, only on the shares', () => {
		expect(consensusOf([2, 4, 6, 0, 0])).toBeCloseTo(consensusOf([1, 2, 3, 0, 0])!, 12);
	});

	it('is null without answers, and "don\'t know" does not count', () => {
		expect(consensusOf([0, 0, 0, 0, 0])).toBeNull();
		expect(summarizeValues([null, null, 3, 3], 5).consensus).toBe(1);
		expect(summarizeValues([null, null], 5).consensus).toBeNull();
	});

	it('falls as the answers spread out', () => {
		const tight = consensusOf([0, 2, 10, 2, 0])!;
		const wider = consensusOf([2, 3, 4, 3, 2])!;
		const split = consensusOf([6, 1, 0, 1, 6])!;
		expect(tight).toBeGreaterThan(wider);
		expect(wider).toBeGreaterThan(split);
	});
});
