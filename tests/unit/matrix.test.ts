import { describe, expect, it } from 'vitest';
import { cellOf, roundHalfUp } from '../../src/lib/domain/matrix';
import { defaultLevel, defaultMatrix, levelOfCell } from '../../src/lib/domain/scales';
import { applyToTally, emptyTally } from '../../src/lib/domain/tally';

describe('matrix cells', () => {
	it('rounds means half up', () => {
		expect(roundHalfUp(2.5)).toBe(3);
		expect(roundHalfUp(2.4999)).toBe(2);
		expect(roundHalfUp(4.5)).toBe(5);
		expect(roundHalfUp(1)).toBe(1);
		// 3 x 0.8333... is 2.4999999999999996 in floating point; a mean of 2.5 from counts must still round up
		expect(roundHalfUp((1 + 2 + 3 + 4) / 4)).toBe(3);
	});

	it('places a point at (round(mean L), round(mean C))', () => {
		expect(cellOf(2.5, 3.49)).toEqual({ likelihood: 3, consequence: 3 });
		expect(cellOf(null, 3)).toBeNull();
	});

	it('colours the default matrix green <= 4, yellow 5-9, red >= 10', () => {
		expect(defaultLevel(2, 2)).toBe('low');
		expect(defaultLevel(1, 4)).toBe('low');
		expect(defaultLevel(1, 5)).toBe('medium');
		expect(defaultLevel(3, 3)).toBe('medium');
		expect(defaultLevel(2, 5)).toBe('high');
		expect(defaultLevel(5, 5)).toBe('high');
		const matrix = defaultMatrix();
		expect(matrix.levels.flat().filter((level) => level === 'high')).toHaveLength(10);
		expect(levelOfCell(matrix, 5, 2)).toBe('high');
		expect(levelOfCell(matrix, 6, 1)).toBeNull();
	});
});

describe('tally', () => {
	it('replacing an answer removes the old one', () => {
		const tally = emptyTally(5);
		applyToTally(tally, { likelihood: 2, consequence: null, knowledge: 'weak' }, 1);
		applyToTally(tally, { likelihood: 2, consequence: null, knowledge: 'weak' }, -1);
		applyToTally(tally, { likelihood: 4, consequence: 5, knowledge: 'strong' }, 1);
		expect(tally).toEqual({
			likelihood: [0, 0, 0, 1, 0],
			consequence: [0, 0, 0, 0, 1],
			likelihoodAbstained: 0,
			consequenceAbstained: 0,
			responses: 1,
			bothAbstained: 0,
			productSum: 20,
			productCount: 1,
			changed: 0,
			knowledge: { strong: 1, moderate: 0, weak: 0 },
			types: []
		});
	});

	it('replacing an answer per type removes the old one, type by type', () => {
		const tally = emptyTally(5);
		applyToTally(tally, { likelihood: 2, consequence: 3, types: [3, 'na', null] }, 1);
		applyToTally(tally, { likelihood: 2, consequence: 3, types: [3, 'na', null] }, -1);
		applyToTally(tally, { likelihood: 2, consequence: 2, types: [1, 2, 'na'] }, 1);
		expect(tally.types).toEqual([
			{ counts: [1, 0, 0, 0, 0], abstained: 0, notRelevant: 0 },
			{ counts: [0, 1, 0, 0, 0], abstained: 0, notRelevant: 0 },
			{ counts: [0, 0, 0, 0, 0], abstained: 0, notRelevant: 1 }
		]);
	});
});
