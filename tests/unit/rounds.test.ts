import { describe, expect, it } from 'vitest';
import { buildResults, flaggedScales, type FlagRule } from '../../src/lib/domain/results';
import { defaultMatrix } from '../../src/lib/domain/scales';
import { summarizeValues } from '../../src/lib/domain/statistics';
import { tallyOf, type PointTally, type RatingAnswer } from '../../src/lib/domain/tally';
import type { RiskPoint } from '../../src/lib/domain/types';

const point = (id: string): RiskPoint => ({ id, code: id, text: `Point ${id}`, category: '', description: '' });
const a = (likelihood: number | null, consequence: number | null): RatingAnswer => ({ likelihood, consequence });

/** Results of points with answers per round; `changed` per point and round set by hand. */
function results(
	rounds: Record<string, RatingAnswer[][]>,
	options: { changed?: Record<string, number>; revealed?: string[]; roundChoice?: 'latest' | number; threshold?: number; minAnswers?: number } = {}
) {
	const tallies = new Map<string, PointTally>();
	for (const [id, perRound] of Object.entries(rounds)) {
		perRound.forEach((answers, i) => {
			const tally = tallyOf(answers, 5);
			tally.changed = i > 0 ? (options.changed?.[id] ?? 0) : 0;
			tallies.set(`${id}/${i + 1}`, tally);
		});
	}
	return buildResults({
		workshop: { id: 'w', title: 'T', status: 'open' },
		scoring: 'product-of-means',
		matrix: defaultMatrix(),
		levelCount: 5,
		consensusThreshold: options.threshold,
		riskPoints: Object.keys(rounds).map(point),
		tallyFor: (id, round) => tallies.get(`${id}/${round}`),
		currentRound: (id) => rounds[id]!.length,
		isRevealed: (id, round) => options.revealed?.includes(`${id}/${round}`) ?? false,
		notes: (id) => (id === 'A' ? { discussion: 'Drøftet', measures: 'Tilsyn' } : { discussion: '', measures: '' }),
		roundChoice: options.roundChoice,
		minAnswers: options.minAnswers
	});
}

const round1 = [a(1, 5), a(5, 1), a(3, 3), a(1, 5)];
const round2 = [a(3, 4), a(3, 4), a(3, 3), a(4, 4)];

describe('rounds', () => {
	it('uses the latest round of each point by default and keeps every round', () => {
		const { riskPoints } = results({ A: [round1, round2], B: [round1] }, { changed: { A: 3 } });
		const pointA = riskPoints.find((p) => p.id === 'A')!;
		expect(pointA.round).toBe(2);
		expect(pointA.currentRound).toBe(2);
		expect(pointA.rounds.map((r) => r.round)).toEqual([1, 2]);
		// round 2: L 3,3,3,4 -> mean 3.25; C 4,4,3,4 -> mean 3.75
		expect(pointA.likelihood.mean).toBe(3.25);
		expect(pointA.consequence.mean).toBe(3.75);
		expect(pointA.score).toBeCloseTo(3.25 * 3.75, 12);
		expect(pointA.changed).toBe(3);
		expect(pointA.rounds[0]!.changed).toBeNull();
		expect(pointA.notes).toEqual({ discussion: 'Drøftet', measures: 'Tilsyn' });
		const pointB = riskPoints.find((p) => p.id === 'B')!;
		expect(pointB.round).toBe(1);
		expect(pointB.rounds).toHaveLength(1);
	});

	it('shows how the spread changed between rounds', () => {
		const pointA = results({ A: [round1, round2] }).riskPoints[0]!;
		const [first, second] = pointA.rounds as [(typeof pointA.rounds)[0], (typeof pointA.rounds)[0]];
		// round 1 L = 1,1,3,5: type-7 quartiles 1 and 3.5 -> IQR 2.5; round 2 L = 3,3,3,4: 3 and 3.25 -> 0.25
		expect(first.likelihood.iqr).toBe(2.5);
		expect(second.likelihood.iqr).toBe(0.25);
		expect(first.disagreement).toBe(true);
		expect(second.disagreement).toBe(false);
		expect(second.consensus.likelihood!).toBeGreaterThan(first.consensus.likelihood!);
	});

	it('falls back to an earlier round while the new one has no answers', () => {
		const pointA = results({ A: [round1, []] }).riskPoints[0]!;
		expect(pointA.currentRound).toBe(2);
		expect(pointA.round).toBe(1);
		expect(pointA.responses).toBe(4);
	});

	it('can report a chosen round instead of the latest', () => {
		const pointA = results({ A: [round1, round2] }, { roundChoice: 1 }).riskPoints[0]!;
		expect(pointA.round).toBe(1);
		expect(pointA.likelihood.mean).toBe(2.5);
	});

	it('ranks by the round each point uses', () => {
		// A falls from 2.5 x 3.5 = 8.75 in round 1 to 12.19 in round 2; B stays at round 1 with 3 x 3 = 9
		const { riskPoints } = results({ A: [round1, round2], B: [[a(3, 3)]] }, { minAnswers: 1 });
		expect(riskPoints.map((p) => [p.code, p.rank])).toEqual([
			['A', 1],
			['B', 2]
		]);
		const first = results({ A: [round1, round2], B: [[a(3, 3)]] }, { roundChoice: 1, minAnswers: 1 }).riskPoints;
		expect(first.map((p) => p.code)).toEqual(['B', 'A']);
	});

	it('marks which rounds were revealed', () => {
		const pointA = results({ A: [round1, round2] }, { revealed: ['A/1'] }).riskPoints[0]!;
		expect(pointA.rounds.map((r) => r.revealed)).toEqual([true, false]);
	});
});

describe('disagreement', () => {
	const scale = (values: (number | null)[]) => summarizeValues(values, 5);
	const isDisagreement = (l: ReturnType<typeof scale>, c: ReturnType<typeof scale>, threshold: number, rule?: FlagRule) =>
		flaggedScales(l, c, threshold, rule).length > 0;

	it('flags by default a scale whose consensus is below the threshold and whose IQR is 2 or more, naming the scale', () => {
		// 2,2,4,4: quartiles 2 and 4 -> IQR 2; consensus 0.585 (below 0.6)
		expect(flaggedScales(scale([2, 2, 4, 4]), scale([3, 3, 3, 3]), 0.6)).toEqual(['likelihood']);
		expect(flaggedScales(scale([3, 3, 3, 3]), scale([2, 2, 4, 4]), 0.6)).toEqual(['consequence']);
		// 2,3,3,4 spread over three levels but with IQR 0.5: not flagged by the default rule
		expect(isDisagreement(scale([2, 3, 3, 4]), scale([3, 3, 3, 3]), 0.85)).toBe(false);
		// under the first rule an IQR above 1 alone was enough
		expect(isDisagreement(scale([2, 2, 3, 4, 4]), scale([3]), 0.5, 'iqr-or-consensus')).toBe(true);
		expect(isDisagreement(scale([2, 2, 3, 4, 4]), scale([3]), 0.5)).toBe(false);
	});

	it('flags consensus below the threshold alone under the consensus rule', () => {
		// 1,3,3,3,3,3,3,5: IQR 0 but consensus 1 + 2/8 log2(0.5) = 0.75
		const tails = scale([1, 3, 3, 3, 3, 3, 3, 5]);
		expect(tails.iqr).toBe(0);
		expect(tails.consensus).toBeCloseTo(0.75, 12);
		expect(isDisagreement(tails, scale([3]), 0.6, 'consensus')).toBe(false);
		expect(isDisagreement(tails, scale([3]), 0.8, 'consensus')).toBe(true);
		expect(isDisagreement(tails, scale([3]), 0.8)).toBe(false);
	});

	it('does not flag agreement, nor a point nobody has rated', () => {
		for (const rule of ['consensus-and-iqr', 'consensus', 'iqr-or-consensus'] as const) {
			expect(isDisagreement(scale([3, 3, 4]), scale([2, 2, 2]), 0.6, rule)).toBe(false);
			expect(isDisagreement(scale([]), scale([null]), 0.6, rule)).toBe(false);
		}
	});

	it('follows the workshop threshold', () => {
		const answers = [a(1, 3), a(1, 3), a(3, 3), a(5, 3), a(5, 3)];
		// L 1,1,3,5,5: IQR 4 and consensus 0.2 (below 0.6): flagged
		const pointA = results({ A: [answers] }).riskPoints[0]!;
		expect(pointA.likelihood.iqr).toBe(4);
		expect(pointA).toMatchObject({ disagreement: true, flaggedBy: ['likelihood'] });
		// consensus 1 + 0.4 log2(0.5) + 0.4 log2(0.5) = 0.2: not below a threshold of 0.15
		expect(pointA.consensus.likelihood).toBeCloseTo(0.2, 12);
		expect(results({ A: [answers] }, { threshold: 0.15 }).riskPoints[0]!.disagreement).toBe(false);
	});
});
