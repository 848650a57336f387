import { levelOfCell } from './scales';
import { DIGITS, roundTo } from '../i18n/precision';
import type { MatrixLevel, RiskMatrix } from './types';

export interface MatrixCell {
	likelihood: number;
	consequence: number;
}

/** Rounds half up (2.5 -> 3), the rule for placing a point in the matrix. */
export function roundHalfUp(value: number): number {
	return Math.floor(value + 0.5 + 1e-9);
}

/**
 * The cell of a point: its means as printed (two decimals, i18n/precision.ts), rounded half up
 * (4.4952 is printed 4.50 and so goes to cell 5, never beside a printed 4.50 in cell 4); null
 * when either mean is missing.
 */
export function cellOf(likelihoodMean: number | null, consequenceMean: number | null): MatrixCell | null {
	if (likelihoodMean === null || consequenceMean === null) return null;
	return {
		likelihood: roundHalfUp(roundTo(likelihoodMean, DIGITS.mean)),
		consequence: roundHalfUp(roundTo(consequenceMean, DIGITS.mean))
	};
}

/** The level of a cell of the matrix (its colour). */
export function levelOf(matrix: RiskMatrix, cell: MatrixCell | null): MatrixLevel | null {
	return cell ? levelOfCell(matrix, cell.likelihood, cell.consequence) : null;
}

const ORDER: Record<MatrixLevel, number> = { low: 0, medium: 1, high: 2 };

/**
 * The level of a score (docs/method.md, "Level"): the highest level of any cell of the matrix
 * whose L x C is at most the score as printed. A higher score never gets a lower level (reading
 * the level off a point's rounded cell did not promise that); with the default matrix this is
 * below 5 low, from 5 medium, from 10 high. A point near a threshold may sit in a cell of the
 * neighbouring colour; the level is the score's.
 */
export function levelOfScore(matrix: RiskMatrix, score: number | null): MatrixLevel | null {
	if (score === null) return null;
	const printed = roundTo(score, DIGITS.score);
	let level: MatrixLevel = 'low';
	matrix.levels.forEach((row, l) =>
		row.forEach((cellLevel, c) => {
			if ((l + 1) * (c + 1) <= printed + 1e-9 && ORDER[cellLevel] > ORDER[level]) level = cellLevel;
		})
	);
	return level;
}
