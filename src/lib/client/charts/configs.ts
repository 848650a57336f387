/**
 * The charts' chart.js configurations, built from figures the page already has (pure: no chart.js
 * code here, only its types, so the pages that build them do not load chart.js until a chart is
 * drawn). Colours reach 3:1 against white (WCAG 1.4.11) and are never the only difference: each
 * dataset is named in the legend and in the table beside the chart.
 */
import type { ChartConfiguration } from 'chart.js';

export const CHART_COLOURS = {
	/** the app's brand blue (10.1:1 on white) */
	primary: '#1a4d7a',
	/** a lighter blue (4.0:1 on white) */
	secondary: '#4f7fae',
	/** the estimate's marker (16:1) */
	marker: '#1b1b1b',
	/** round 1 (grey, 5.7:1) */
	earlier: '#66707a'
} as const;

/** px per row of a horizontal chart, and what its axes and legend take */
export const ROW_HEIGHT = 26;
export const CHART_FRAME = 110;
export const heightFor = (rows: number, perRow = ROW_HEIGHT) => CHART_FRAME + Math.max(1, rows) * perRow;

const grid = { color: '#d5dbe1' };

/** a horizontal chart (one row per point or workshop) that fills its box's width and height */
const HORIZONTAL = { indexAxis: 'y' as const, responsive: true, maintainAspectRatio: false };

/** The estimate as a white diamond with a dark edge, over its interval bar. */
function marker(label: string, data: number[]) {
	return {
		type: 'line' as const,
		label,
		data,
		showLine: false,
		pointStyle: 'rectRot' as const,
		pointRadius: 6,
		pointHoverRadius: 7,
		pointBackgroundColor: '#ffffff',
		pointBorderColor: CHART_COLOURS.marker,
		pointBorderWidth: 2,
		borderColor: CHART_COLOURS.marker,
		backgroundColor: '#ffffff',
		order: 1
	};
}

/** the legend of a chart with a marker: each entry drawn as its point style */
const LEGEND_WITH_MARKER = { position: 'top' as const, labels: { usePointStyle: true, boxWidth: 14 } };

/** A tooltip that says an interval bar's ends (`interval`) and a marker's value (`value`). */
function intervalTooltip(interval: (low: number, high: number) => string, value: (value: number) => string) {
	return {
		callbacks: {
			label: (item: { raw: unknown; dataset: { label?: string } }) => {
				const raw = item.raw as number | [number, number] | null;
				if (Array.isArray(raw)) return `${item.dataset.label}: ${interval(raw[0], raw[1])}`;
				return `${item.dataset.label}: ${typeof raw === 'number' ? value(raw) : '–'}`;
			}
		}
	};
}

export interface RankIntervalRow {
	code: string;
	rank: number;
	low: number;
	high: number;
	/** the members-only interval, where the report's is two-stage */
	lowWithin: number | null;
	highWithin: number | null;
}

/** The points' 90% rank intervals as floating bars in rank order, the combined rank as a marker. */
export function rankIntervalChart(
	rows: readonly RankIntervalRow[],
	points: number,
	text: { interval: string; within: string | null; rank: string; axis: string }
): ChartConfiguration {
	const labels = rows.map((row) => row.code);
	const datasets: ChartConfiguration['data']['datasets'] = [
		{
			type: 'bar',
			label: text.interval,
			data: rows.map((row) => [row.low - 0.4, row.high + 0.4]) as unknown as number[],
			backgroundColor: CHART_COLOURS.primary,
			barPercentage: 0.9,
			categoryPercentage: 0.8,
			order: 2
		}
	];
	if (text.within)
		datasets.push({
			type: 'bar',
			label: text.within,
			data: rows.map((row) => (row.lowWithin === null || row.highWithin === null ? null : [row.lowWithin - 0.4, row.highWithin + 0.4])) as unknown as number[],
			backgroundColor: CHART_COLOURS.secondary,
			barPercentage: 0.9,
			categoryPercentage: 0.8,
			order: 3
		});
	datasets.push(marker(text.rank, rows.map((row) => row.rank)));
	return {
		type: 'bar',
		data: { labels, datasets },
		options: {
			...HORIZONTAL,
			plugins: {
				legend: LEGEND_WITH_MARKER,
				tooltip: intervalTooltip((low, high) => `${Math.round(low + 0.4)}–${Math.round(high - 0.4)}`, (value) => String(value))
			},
			scales: {
				x: {
					min: 0.5,
					max: points + 0.5,
					title: { display: true, text: text.axis },
					// a tick at place 1 and every whole step after it (not at the half places the bars need as margin)
					afterBuildTicks: (axis) => {
						const step = points > 40 ? 5 : points > 15 ? 2 : 1;
						const ticks = [{ value: 1 }];
						for (let place = step === 1 ? 2 : step; place <= points; place += step) ticks.push({ value: place });
						axis.ticks = ticks;
					},
					grid
				},
				y: { grid: { display: false } }
			}
		}
	};
}

/** P(top N) per point as bars from 0 to 100 %, in rank order. */
export function pTopChart(rows: readonly { code: string; pTop: number }[], text: { label: string; axis: string }): ChartConfiguration {
	return {
		type: 'bar',
		data: {
			labels: rows.map((row) => row.code),
			datasets: [{ label: text.label, data: rows.map((row) => Math.round(row.pTop * 1000) / 10), backgroundColor: CHART_COLOURS.primary, barPercentage: 0.8 }]
		},
		options: {
			...HORIZONTAL,
			plugins: { legend: { position: 'top' }, tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.raw} %` } } },
			scales: {
				x: { min: 0, max: 100, title: { display: true, text: text.axis }, ticks: { stepSize: 10, callback: (value) => `${value} %` }, grid },
				y: { grid: { display: false } }
			}
		}
	};
}

export interface AgreementRow {
	label: string;
	tau: number;
	low: number | null;
	high: number | null;
}

/** Kendall's tau of each workshop against the others: the 95% interval as a bar, the estimate as a marker, on −1 to 1. */
export function agreementChart(rows: readonly AgreementRow[], text: { interval: string; estimate: string; axis: string }): ChartConfiguration {
	return {
		type: 'bar',
		data: {
			labels: rows.map((row) => row.label),
			datasets: [
				{
					type: 'bar',
					label: text.interval,
					data: rows.map((row) => (row.low === null || row.high === null ? null : [row.low, row.high])) as unknown as number[],
					backgroundColor: CHART_COLOURS.secondary,
					barPercentage: 0.7,
					order: 2
				},
				marker(text.estimate, rows.map((row) => row.tau))
			]
		},
		options: {
			...HORIZONTAL,
			plugins: {
				legend: LEGEND_WITH_MARKER,
				tooltip: intervalTooltip((low, high) => `${low.toFixed(2)} – ${high.toFixed(2)}`, (value) => value.toFixed(2))
			},
			scales: {
				x: { min: -1, max: 1, title: { display: true, text: text.axis }, ticks: { stepSize: 0.25 }, grid },
				y: { grid: { display: false }, ticks: { callback: shortLabel } }
			}
		}
	};
}

export interface RoundsRow {
	code: string;
	first: number;
	latest: number;
}

/** The score of round 1 beside the latest round's, per point that had a second round. */
export function roundsChart(rows: readonly RoundsRow[], text: { first: string; latest: string; axis: string }): ChartConfiguration {
	return {
		type: 'bar',
		data: {
			labels: rows.map((row) => row.code),
			datasets: [
				{ label: text.first, data: rows.map((row) => row.first), backgroundColor: CHART_COLOURS.earlier, barPercentage: 0.9, categoryPercentage: 0.8 },
				{ label: text.latest, data: rows.map((row) => row.latest), backgroundColor: CHART_COLOURS.primary, barPercentage: 0.9, categoryPercentage: 0.8 }
			]
		},
		options: {
			...HORIZONTAL,
			plugins: { legend: { position: 'top' } },
			scales: {
				x: { min: 0, max: 25, title: { display: true, text: text.axis }, ticks: { stepSize: 5 }, grid },
				y: { grid: { display: false } }
			}
		}
	};
}

/** A long label (a workshop's name) cut to fit beside a narrow chart; the table has it in full. */
function shortLabel(this: { getLabelForValue: (value: number) => string }, value: number | string): string {
	const label = this.getLabelForValue(Number(value));
	const narrow = typeof window !== 'undefined' && window.innerWidth < 600;
	const limit = narrow ? 14 : 32;
	return label.length > limit ? `${label.slice(0, limit - 1)}…` : label;
}
