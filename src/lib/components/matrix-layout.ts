import type { MatrixCell } from '$lib/domain/matrix';
import type { MatrixLevel } from '$lib/domain/types';

/** Cell fills shared by the chart and the table; dark text on each has contrast of at least 7:1. */
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

export interface PlacedPoint {
	code: string;
	text: string;
	score: number | null;
	/** x = consequence, y = likelihood, spread inside the point's cell */
	x: number;
	y: number;
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

/** Positions for drawing: the points of a cell on a small grid inside it so their codes do not overlap. */
export function placePoints(points: readonly MatrixPoint[]): PlacedPoint[] {
	const placed: PlacedPoint[] = [];
	for (const group of pointsByCell(points).values()) {
		const columns = Math.ceil(Math.sqrt(group.length));
		const rows = Math.ceil(group.length / columns);
		group.forEach((point, index) => {
			const column = index % columns;
			const row = Math.floor(index / columns);
			const spread = (position: number, count: number) => (count === 1 ? 0 : -0.3 + (0.6 * position) / (count - 1));
			placed.push({
				code: point.code,
				text: point.text,
				score: point.score ?? null,
				x: point.cell!.consequence + spread(column, columns),
				y: point.cell!.likelihood - spread(row, rows)
			});
		});
	}
	return placed;
}
