import { describe, expect, it } from 'vitest';
import { cellOf, levelOfScore } from '../../src/lib/domain/matrix';
import { rank } from '../../src/lib/domain/ranking';
import { roundTo } from '../../src/lib/i18n/precision';
import { defaultMatrix } from '../../src/lib/domain/scales';
import type { MatrixLevel, RiskMatrix } from '../../src/lib/domain/types';

/** A seeded generator: each property is checked on the same 10,000 cases every run. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 4294967296;
	};
}
const ORDER: Record<MatrixLevel, number> = { low: 0, medium: 1, high: 2 };

describe('properties of levels, cells and ranks', () => {
	it('never gives a higher score a lower level, in the default matrix or any other', () => {
		const next = random(1);
		const matrices: RiskMatrix[] = [defaultMatrix()];
		for (let m = 0; m < 20; m++) {
			matrices.push({ levels: Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => (['low', 'medium', 'high'] as const)[Math.floor(next() * 3)]!)) });
		}
		for (const matrix of matrices) {
			for (let i = 0; i < 2000; i++) {
				const a = 1 + next() * 24;
				const b = 1 + next() * 24;
				const [low, high] = a <= b ? [a, b] : [b, a];
				expect(ORDER[levelOfScore(matrix, high)!]).toBeGreaterThanOrEqual(ORDER[levelOfScore(matrix, low)!]);
			}
		}
	});

	it('gives the default matrix its thresholds: below 5 low, from 5 medium, from 10 high (as printed)', () => {
		const matrix = defaultMatrix();
		expect([4.99, 4.995, 5, 9.994, 9.995, 10, 25].map((score) => levelOfScore(matrix, score))).toEqual(['low', 'medium', 'medium', 'medium', 'high', 'high', 'high']);
	});

	it('never places a point beside its printed mean: the cell is the printed mean rounded half up', () => {
		const next = random(2);
		for (let i = 0; i < 10_000; i++) {
			const mean = 1 + next() * 4;
			const printed = roundTo(mean, 2);
			const cell = cellOf(mean, mean)!.likelihood;
			expect(Math.abs(printed - cell)).toBeLessThanOrEqual(0.5);
			if (printed - Math.floor(printed) === 0.5) expect(cell).toBe(Math.floor(printed) + 1);
		}
		expect(cellOf(4.4952, 4.4949)).toEqual({ likelihood: 5, consequence: 4 });
	});

	it('rounds the decimal value half away from zero', () => {
		expect([12.325, 1.005, 2.675, 4.4952, -2.345, 0.125, 1e-9].map((v) => roundTo(v, 2))).toEqual([12.33, 1.01, 2.68, 4.5, -2.35, 0.13, 0]);
	});

	it('gives every point nobody scored the same last rank, ties the same rank, and ranks in order', () => {
		const next = random(3);
		for (let i = 0; i < 500; i++) {
			const items = Array.from({ length: 2 + Math.floor(next() * 30) }, () => ({
				score: next() < 0.2 ? null : Math.round(next() * 8) * 3,
				consequenceMean: next() < 0.1 ? null : Math.round(next() * 4) + 1,
				n: Math.floor(next() * 6),
				enough: next() < 0.85
			}));
			const ranked = rank(items);
			const unscored = ranked.filter((r) => r.item.score === null);
			const others = ranked.length - unscored.length;
			for (const r of unscored) expect(r).toMatchObject({ rank: others + 1, status: 'notRated' });
			ranked.forEach((r, position) => {
				if (position === 0) return expect(r.rank).toBe(1);
				const previous = ranked[position - 1]!;
				expect(r.rank).toBeGreaterThanOrEqual(previous.rank);
				// equal on every criterion (same tier): the same rank
				const same =
					previous.status === r.status &&
					(r.status === 'notRated' || (previous.item.score === r.item.score && previous.item.consequenceMean === r.item.consequenceMean && previous.item.n === r.item.n));
				expect(r.rank === previous.rank).toBe(same);
			});
			// ranked points come before points with too few answers, and those before the unscored
			const tiers = ranked.map((r) => ({ ranked: 0, tooFewAnswers: 1, notRated: 2 })[r.status]);
			expect([...tiers].sort((a, b) => a - b)).toEqual(tiers);
		}
	});
});
