/**
 * The risk matrix as a picture to put in a report or a slide (SVG; the PNG is drawn from it):
 * likelihood up, consequence across, each cell in its level's colour with the level also written,
 * every point's code in its cell (wrapped, never cut), and below the matrix a legend with every
 * placed point's full text, score and level. Built from the report model, so the cells and the
 * figures are those of every other export.
 */
import type { ReportModel } from './report';
import { printed } from './report';
import { LEVELS } from './scales';
import type { MatrixLevel } from './types';
import { translate, type MessageKey } from '../i18n/translate';
import { levelKey } from './export';

/** The matrix colours (dark text on each has contrast of at least 7:1). */
export const MATRIX_FILL: Record<MatrixLevel, string> = { low: '#B5E3B9', medium: '#FFE08A', high: '#F6A39C' };
const INK = '#1b1b1b';
const MUTED = '#4d5358';
const FONT = "'Noto Sans', 'Segoe UI', Arial, sans-serif";

const WIDTH = 1200;
const LEFT = 230;
const RIGHT = 24;
const CELL_WIDTH = (WIDTH - LEFT - RIGHT) / LEVELS;
const CODE_SIZE = 16;
const LINE = 1.3;

export function escapeXml(text: string): string {
	return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Words wrapped to lines of at most `width` pixels at `size` (an average glyph is about 0.55 em). */
export function wrap(text: string, width: number, size: number): string[] {
	const perLine = Math.max(4, Math.floor(width / (size * 0.56)));
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		// a word longer than a line is broken, never cut
		for (let rest = word; rest.length > 0; ) {
			const candidate = line ? `${line} ${rest}` : rest;
			if (candidate.length <= perLine) {
				line = candidate;
				rest = '';
			} else if (!line) {
				lines.push(rest.slice(0, perLine));
				rest = rest.slice(perLine);
			} else {
				lines.push(line);
				line = '';
			}
		}
	}
	if (line) lines.push(line);
	return lines;
}

function textLines(lines: string[], x: number, y: number, size: number, attributes = ''): string {
	return lines
		.map((line, i) => `<text x="${x.toFixed(1)}" y="${(y + i * size * LINE).toFixed(1)}" font-size="${size}" ${attributes}>${escapeXml(line)}</text>`)
		.join('');
}

/** The matrix of a report (an assessment's combined results, or a workshop's own) as an SVG document. */
export function matrixSvg(model: ReportModel): string {
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(model.language, key, params);
	const placed = model.ranked.filter((row) => row.cellLikelihood !== null && row.cellConsequence !== null);
	const codesIn = (likelihood: number, consequence: number) =>
		placed.filter((row) => row.cellLikelihood === likelihood && row.cellConsequence === consequence).map((row) => row.code);

	// every row is as tall as its fullest cell needs (two lines at least)
	const cellLines = (likelihood: number, consequence: number) => wrap(codesIn(likelihood, consequence).join(', '), CELL_WIDTH - 16, CODE_SIZE);
	const rowHeights = Array.from({ length: LEVELS }, (_, i) => {
		const likelihood = LEVELS - i;
		const most = Math.max(0, ...Array.from({ length: LEVELS }, (_, c) => cellLines(likelihood, c + 1).length));
		return Math.max(96, 34 + most * CODE_SIZE * LINE + 8);
	});

	const parts: string[] = [];
	let y = 44;
	parts.push(textLines(wrap(model.title, WIDTH - 48, 26), 24, y, 26, `font-weight="700" fill="${INK}"`));
	y += wrap(model.title, WIDTH - 48, 26).length * 26 * LINE;
	const subtitle = [t('report.matrix'), model.standalone ? '' : model.weightingText, model.exportedText].filter(Boolean).join(' · ');
	parts.push(textLines([subtitle], 24, y, 14, `fill="${MUTED}"`));
	y += 30;

	const top = y;
	const likelihoodLabels = model.scales.likelihood.labels;
	const consequenceLabels = model.scales.consequence.labels;
	// cells, likelihood 5 on top
	for (let i = 0; i < LEVELS; i++) {
		const likelihood = LEVELS - i;
		const rowTop = top + rowHeights.slice(0, i).reduce((a, b) => a + b, 0);
		const labelLines = wrap(`${likelihood} ${likelihoodLabels[likelihood - 1] ?? ''}`, LEFT - 60, 13);
		parts.push(textLines(labelLines, 52, rowTop + rowHeights[i]! / 2 - ((labelLines.length - 1) * 13 * LINE) / 2 + 4, 13, `fill="${INK}"`));
		for (let c = 0; c < LEVELS; c++) {
			const consequence = c + 1;
			const x = LEFT + c * CELL_WIDTH;
			const level = model.matrix.levels[likelihood - 1]?.[c] ?? 'low';
			parts.push(
				`<rect x="${x.toFixed(1)}" y="${rowTop.toFixed(1)}" width="${CELL_WIDTH.toFixed(1)}" height="${rowHeights[i]!.toFixed(1)}" fill="${MATRIX_FILL[level]}" stroke="#ffffff" stroke-width="3"/>`
			);
			parts.push(textLines([t(levelKey(level))], x + 8, rowTop + 18, 12, `fill="${MUTED}"`));
			parts.push(textLines(cellLines(likelihood, consequence), x + 8, rowTop + 42, CODE_SIZE, `font-weight="700" fill="${INK}"`));
		}
	}
	const bottom = top + rowHeights.reduce((a, b) => a + b, 0);
	// the likelihood axis, written upwards
	const middle = (top + bottom) / 2;
	parts.push(`<text x="24" y="${middle.toFixed(1)}" font-size="15" font-weight="700" fill="${INK}" text-anchor="middle" transform="rotate(-90 24 ${middle.toFixed(1)})">${escapeXml(t('scale.likelihood'))}</text>`);
	// consequence labels under the columns
	let labelsHeight = 0;
	for (let c = 0; c < LEVELS; c++) {
		const lines = wrap(`${c + 1} ${consequenceLabels[c] ?? ''}`, CELL_WIDTH - 12, 13);
		labelsHeight = Math.max(labelsHeight, lines.length * 13 * LINE);
		parts.push(textLines(lines, LEFT + c * CELL_WIDTH + 6, bottom + 22, 13, `fill="${INK}"`));
	}
	y = bottom + 22 + labelsHeight + 8;
	parts.push(`<text x="${(LEFT + (WIDTH - LEFT - RIGHT) / 2).toFixed(1)}" y="${y.toFixed(1)}" font-size="15" font-weight="700" fill="${INK}" text-anchor="middle">${escapeXml(t('scale.consequence'))}</text>`);
	y += 40;

	// the legend: every placed point, in rank order, with its full text
	parts.push(textLines([t('matrix.legend')], 24, y, 16, `font-weight="700" fill="${INK}"`));
	y += 28;
	for (const row of placed) {
		const head = `${row.code}`;
		const detail = `${t('export.rank')} ${row.rank ?? '–'} · ${printed(model.language, row.score)} · ${row.levelText}`;
		parts.push(textLines([head], 24, y, 14, `font-weight="700" fill="${INK}"`));
		const lines = wrap(`${row.text} (${detail})`, WIDTH - 110 - RIGHT, 14);
		parts.push(textLines(lines, 100, y, 14, `fill="${INK}"`));
		y += Math.max(1, lines.length) * 14 * LINE + 6;
	}
	const unplaced = model.ranked.length - placed.length;
	if (unplaced > 0) {
		parts.push(textLines(wrap(t('matrix.notPlaced', { count: unplaced }), WIDTH - 48, 13), 24, y + 6, 13, `fill="${MUTED}"`));
		y += 30;
	}
	const height = Math.ceil(y + 24);
	const description = t('matrix.svgDescription', { count: placed.length, title: model.title });
	return (
		`<?xml version="1.0" encoding="UTF-8"?>\n` +
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="matrix-title matrix-desc" font-family="${FONT}" lang="${model.language === 'en' ? 'en' : model.language === 'nn' ? 'nn' : 'nb'}">` +
		`<title id="matrix-title">${escapeXml(`${t('report.matrix')}: ${model.title}`)}</title>` +
		`<desc id="matrix-desc">${escapeXml(description)}</desc>` +
		`<rect width="100%" height="100%" fill="#ffffff"/>` +
		parts.join('') +
		`</svg>\n`
	);
}
