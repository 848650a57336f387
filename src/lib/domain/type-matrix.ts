import { cellOf, levelOfScore, type MatrixCell } from './matrix';
import type { MatrixLevel, RiskMatrix } from './types';

/** What the matrix of one consequence type needs of a point (a workshop's or a combined result). */
export interface TypedPoint {
	id: string;
	code: string;
	text: string;
	cell: MatrixCell | null;
	level: MatrixLevel | null;
	score: number | null;
	likelihood: { mean: number | null };
	types: readonly { mean: number | null; relevant: boolean }[];
}

/**
 * The points as the matrix of one consequence type places them (a workshop by DSB's method): the
 * likelihood's mean against the type's, scored and coloured by the same rules as the overall
 * (cellOf, levelOfScore). A point the panel found the type not relevant for, or without a level
 * for it, is left out. `type` null: the overall, as the results place it.
 */
export function pointsForType<T extends TypedPoint>(points: readonly T[], type: number | null, matrix: RiskMatrix): T[] {
	if (type === null) return [...points];
	return points.flatMap((point) => {
		const answers = point.types[type];
		if (!answers || !answers.relevant || answers.mean === null || point.likelihood.mean === null) return [];
		const score = point.likelihood.mean * answers.mean;
		return [{ ...point, cell: cellOf(point.likelihood.mean, answers.mean), score, level: levelOfScore(matrix, score) }];
	});
}
