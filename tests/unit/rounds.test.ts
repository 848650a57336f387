import { describe, expect, it } from 'vitest';
import { buildResults, isDisagreement } from '../../src/lib/domain/results';
import { defaultMatrix } from '../../src/lib/domain/scales';
import { summarizeValues } from '../../src/lib/domain/statistics';
import { tallyOf, type PointTally, type RatingAnswer } from '../../src/lib/domain/tally';
import type { RiskPoint } from '../../src/lib/domain/types';

const point = (id: string): RiskPoint => ({ id, code: id, text: `Point ${id}`, category: '', description: '' });
const a = (likelihood: number | null, consequence: number | null): RatingAnswer => ({ likelihood, consequence });

/** Results of points with answers per round; `changed` per point and round set by hand. */
function results(
	rounds: Record<string, RatingAnswer[][]>,
	options: { changed?: Record<string, number>; revealed?: string[]; roundChoice?: 'latest' | number; threshold?: number } = {}
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
		roundChoice: options.roundChoice
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
		const { riskPoints } = results({ A: [round1, round2], B: [[a(3, 3)]] });
		expect(riskPoints.map((p) => [p.code, p.rank])).toEqual([
			['A', 1],
			['B', 2]
		]);
		const first = results({ A: [round1, round2], B: [[a(3, 3)]] }, { roundChoice: 1 }).riskPoints;
		expect(first.map((p) => p.code)).toEqual(['B', 'A']);
	});

	it('marks which rounds were revealed', () => {
		const pointA = results({ A: [round1, round2] }, { revealed: ['A/1'] }).riskPoints[0]!;
		expect(pointA.rounds.map((r) => r.revealed)).toEqual([true, false]);
	});
});

describe('disagreement', () => {
	const scale = (values: (number | null)[]) => summarizeValues(values, 5);

	it('flags an IQR above 1 on either scale', () => {
		// 2,2,4,4: quartiles 2 and 4 -> IQR 2; consensus 0.585 (below 0.6 as well)
		expect(isDisagreement(scale([2, 2, 4, 4]), scale([3, 3, 3, 3]), 0.6)).toBe(true);
		expect(isDisagreement(scale([3, 3, 3, 3]), scale([2, 2, 4, 4]), 0.6)).toBe(true);
	});

	it('flags consensus below the threshold even when the IQR is at most 1', () => {
		// 1,3,3,3,3,3,3,5: IQR 0 but consensus 1 + 2/8 log2(0.5) = 0.75
		const tails = scale([1, 3, 3, 3, 3, 3, 3, 5]);
		expect(tails.iqr).toBe(0);
		expect(tails.consensus).toBeCloseTo(0.75, 12);
		expect(isDisagreement(tails, scale([3]), 0.6)).toBe(false);
		expect(isDisagreement(tails, scale([3]), 0.8)).toBe(true);
	});

	it('does not flag agreement, nor a point nobody has rated', () => {
		expect(isDisagreement(scale([3, 3, 4]), scale([2, 2, 2]), 0.6)).toBe(false);
		expect(isDisagreement(scale([]), scale([null]), 0.6)).toBe(false);
	});

	it('follows the workshop threshold', () => {
		const pointA = results({ A: [[a(2, 3), a(3, 3), a(3, 3), a(4, 3)]] }, { threshold: 0.9 }).riskPoints[0]!;
		// L 2,3,3,4: IQR 0.5, consensus 1 + 0.5 log2(0.75) = 0.79 < 0.9
		expect(pointA.likelihood.iqr).toBe(0.5);
		expect(pointA.disagreement).toBe(true);
		expect(results({ A: [[a(2, 3), a(3, 3), a(3, 3), a(4, 3)]] }).riskPoints[0]!.disagreement).toBe(false);
	});
});
