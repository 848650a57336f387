import { levelOfCell } from './scales';
import type { MatrixLevel, RiskMatrix } from './types';

export interface MatrixCell {
	likelihood: number;
	consequence: number;
}

/** Rounds half up (2.5 -> 3), the rule for placing a point in the matrix. */
export function roundHalfUp(value: number): number {
	return Math.floor(value + 0.5 + 1e-9);
}

/** The cell (round(mean L), round(mean C)) of a point, or null when either mean is missing. */
export function cellOf(likelihoodMean: number | null, consequenceMean: number | null): MatrixCell | null {
	if (likelihoodMean === null || consequenceMean === null) return null;
	return { likelihood: roundHalfUp(likelihoodMean), consequence: roundHalfUp(consequenceMean) };
}

export function levelOf(matrix: RiskMatrix, cell: MatrixCell | null): MatrixLevel | null {
	return cell ? levelOfCell(matrix, cell.likelihood, cell.consequence) : null;
}
