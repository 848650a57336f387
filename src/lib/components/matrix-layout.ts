import type { MatrixCell } from '$lib/domain/matrix';
import type { MatrixLevel } from '$lib/domain/types';

/** Cell fills shared by the matrix, the bars and the table; dark text on each has contrast of at least 7:1. */
export const LEVEL_COLOURS: Record<MatrixLevel, string> = {
	low: '#b5e3b9',
	medium: '#ffe08a',
	high: '#f6a39c'
};

/** What the matrix needs of a point: results rows and the projector's revealed points both fit. */
export interface MatrixPoint {
	id: string;
	code: string;
	text: string;
	cell: MatrixCell | null;
	level: MatrixLevel | null;
	score?: number | null;
}

/**
 * How many chips a matrix cell shows before "+N": as many as fit in `rows` rows of the cell's
 * width (the grid's width less its label columns, over five), at least two. The chips wrap, so a
 * wrong guess makes a cell taller, never makes labels overlap.
 */
export function cellCapacity(gridWidth: number, fontPx: number, rows: number, codeLength: number): number {
	if (gridWidth <= 0) return 6;
	// the axis title and the row labels (narrow on a phone, where the labels' words are hidden)
	const labels = 1.4 * 16 + (gridWidth < 420 ? 1.5 * 16 : 8 * 16);
	const cellWidth = (gridWidth - labels) / 5 - 0.4 * fontPx;
	const chipWidth = codeLength * 0.62 * fontPx + 0.6 * fontPx + 3 + 0.2 * fontPx;
	return Math.max(2, Math.floor(cellWidth / chipWidth) * rows);
}

/** Points grouped by matrix cell ("L-C" -> points), in rank order. */
export function pointsByCell(points: readonly MatrixPoint[]): Map<string, MatrixPoint[]> {
	const cells = new Map<string, MatrixPoint[]>();
	for (const point of points) {
		if (!point.cell) continue;
		const key = `${point.cell.likelihood}-${point.cell.consequence}`;
		cells.set(key, [...(cells.get(key) ?? []), point]);
	}
	return cells;
}
