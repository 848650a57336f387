import ExcelJS from 'exceljs';
import { DIGITS } from '../../i18n/precision';
import { levelText, type ReportModel } from '../../domain/report';
import { rankedTable, type ReportTable } from '../../domain/report-table';
import type { ReportWorkshopAppendix } from '../../domain/report-appendices';
import { byTypeTable } from '../../domain/report-by-type';
import { LEVELS } from '../../domain/scales';
import type { CsvCell } from '../../domain/csv';
import type { MatrixLevel } from '../../domain/types';
import { levelKey } from '../../domain/export';
import { translate, type MessageKey } from '../../i18n/translate';

/** Cell fills: the matrix colours (ARGB). */
const LEVEL_FILL: Record<MatrixLevel, string> = { low: 'FFB5E3B9', medium: 'FFFFE08A', high: 'FFF6A39C' };

/**
 * A sheet name Excel accepts and a reader can tell apart: at most 31 characters, none of []:*?/\,
 * unique in the workbook. A long title is shortened in the middle ("Statsforvalteren i … Finnmark"),
 * and a number added when two still meet.
 */
export function sheetName(title: string, taken: Set<string>): string {
	const clean = title.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim() || 'Ark';
	const fit = (text: string, room: number) => (text.length <= room ? text : `${text.slice(0, Math.ceil((room - 1) / 2)).trimEnd()}…${text.slice(text.length - Math.floor((room - 1) / 2)).trimStart()}`);
	let name = fit(clean, 31);
	for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${fit(clean, 31 - String(i).length - 1)} ${i}`;
	taken.add(name.toLowerCase());
	return name;
}

const numberFormat = (digits: number | null) => (digits === null ? undefined : digits === 0 ? '0' : `0.${'0'.repeat(digits)}`);

/**
 * Rows added under what a sheet has: text as text cells (no apostrophe: Excel never runs a text
 * cell), figures as numbers at full precision, shown with the decimals the report prints through
 * the cell's number format (so sums, means and re-sorting in Excel use the values the report
 * rounded, not the rounded ones). `digits` per column; null: no format.
 */
function addRows(sheet: ExcelJS.Worksheet, rows: readonly (readonly CsvCell[])[], digits: readonly (number | null)[]): void {
	for (const values of rows) {
		const row = sheet.addRow(values as CsvCell[]);
		values.forEach((value, index) => {
			const format = numberFormat(digits[index] ?? null);
			if (typeof value === 'number' && format) row.getCell(index + 1).numFmt = format;
		});
	}
}

/**
 * A table as a sheet: a bold header row that stays in view (frozen) with a filter, the rows (see
 * addRows), columns as wide as their content.
 */
function addTable(sheet: ExcelJS.Worksheet, table: ReportTable): void {
	const header = sheet.addRow(table.header);
	header.font = { bold: true };
	header.alignment = { wrapText: true, vertical: 'top' };
	addRows(sheet, table.rows, table.digits);
	sheet.views = [{ state: 'frozen', ySplit: 1 }];
	if (table.rows.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: table.rows.length + 1, column: table.header.length } };
	table.header.forEach((title, index) => {
		const column = sheet.getColumn(index + 1);
		const widest = (value: CsvCell | undefined) => (typeof value === 'number' ? printedLength(value, table.digits[index] ?? null) : String(value ?? '').length);
		const longest = Math.max(8, ...[title.length, ...table.rows.slice(0, 300).map((row) => widest(row[index]))].map((length) => Math.min(length, 70)));
		column.width = Math.min(70, Math.max(8, longest + 2));
	});
}

/** How wide a figure prints with its decimals (for the column's width). */
const printedLength = (value: number, digits: number | null) => (digits === null ? String(value).length : value.toFixed(digits).length);

/** A heading row above a block of rows in a sheet that holds several tables. */
function addBlockHeader(sheet: ExcelJS.Worksheet, cells: string[]): void {
	sheet.addRow([]);
	sheet.addRow(cells).font = { bold: true };
}

/**
 * The assessment as a workbook: the combined ranking (level colours with the level as text),
 * each workshop's own ranking, how the workshops agree, the sensitivity of the top N, national
 * against regional, the ranking within categories, every answer anonymously, and the method
 * with the settings. Every figure as the report prints it (ReportModel).
 */
export async function reportWorkbook(model: ReportModel, appendices: ReportWorkshopAppendix[], answers: ReportTable): Promise<Uint8Array> {
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(model.language, key, params);
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Risikoverksted';
	workbook.title = model.title;
	const taken = new Set<string>();

	const combined = workbook.addWorksheet(sheetName(t('combined.sheetCombined'), taken));
	const ranked = rankedTable(model, model.standalone ? [] : model.workshops.map((w) => w.title));
	addTable(combined, ranked);
	const levelColumn = ranked.header.indexOf(t('export.level')) + 1;
	model.ranked.forEach((row, index) => {
		if (row.level) combined.getRow(index + 2).getCell(levelColumn).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: LEVEL_FILL[row.level] } };
	});

	// by consequence type: the advisers' table (likelihood, each type, overall, uncertainty, risk), then each type's guidance and the frequency intervals
	if (model.byType) {
		const byType = workbook.addWorksheet(sheetName(t('report.byType.sheet'), taken));
		addTable(byType, byTypeTable(model.byType, model.language));
		addBlockHeader(byType, [t('report.byType.guidance'), ...model.byType.types[0]!.labels.map((_, index) => String(index + 1))]);
		addRows(byType, model.byType.types.map((type) => [type.name, ...type.labels.map((label, index) => (type.descriptions[index] ? `${label}: ${type.descriptions[index]}` : label))]), []);
		addBlockHeader(byType, [t('report.byType.frequencies'), ...model.byType.frequencies.map((_, index) => String(index + 1))]);
		addRows(byType, [[t('scale.likelihood'), ...model.byType.frequencies.map((level) => (level.interval ? `${level.label}: ${level.interval}` : level.label))]], []);
		addBlockHeader(byType, [t('report.byType.rule'), model.byType.ruleText]);
	}

	for (const appendix of appendices) {
		const sheet = workbook.addWorksheet(sheetName(appendix.title, taken));
		addTable(sheet, {
			header: [t('export.rank'), t('export.status'), t('export.code'), t('export.text'), t('export.score'), t('export.level'), t('results.answers'), t('report.flagColumn'), t('report.notes'), t('knowledge.short')],
			rows: appendix.rows.map((row) => [row.rank, row.statusText, row.code, row.text, row.score, row.levelText, row.responses, row.flag, row.notes.join(' '), row.knowledge]),
			digits: [0, null, null, null, DIGITS.score, null, 0, null, null, null]
		});
		appendix.rows.forEach((row, index) => {
			if (row.level) sheet.getRow(index + 2).getCell(6).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: LEVEL_FILL[row.level] } };
		});
	}

	// how the workshops agree (none to compare for a workshop on its own)
	if (!model.standalone) {
		const agreement = workbook.addWorksheet(sheetName(t('report.sheetAgreement'), taken));
		addTable(agreement, {
			header: [t('combined.workshop'), t('combined.kind'), t('combined.status'), t('report.scoringColumn'), t('report.membersJoined'), t('report.membersAnswering'), t('report.tauOthers'), t('report.tauLow'), t('report.tauHigh'), t('combined.pointsCompared')],
			rows: model.workshops.map((row) => [row.title, row.kindText, row.statusText, row.scoringText, row.members, row.answering, row.answered ? row.tau : t('report.noAnswersNoRanking'), row.tauLow, row.tauHigh, row.tauPoints]),
			digits: [null, null, null, null, 0, 0, DIGITS.coefficient, DIGITS.coefficient, DIGITS.coefficient, 0]
		});
		addBlockHeader(agreement, [t('report.pairA'), t('report.pairB'), t('report.tau'), t('report.tauLow'), t('report.tauHigh'), t('combined.pointsCompared')]);
		addRows(agreement, model.pairs.map((pair) => [pair.a, pair.b, pair.tau, pair.low, pair.high, pair.points]), [null, null, DIGITS.coefficient, DIGITS.coefficient, DIGITS.coefficient, 0]);
	}

	const sensitivity = workbook.addWorksheet(sheetName(t('report.sheetSensitivity'), taken));
	const longestTop = Math.max(model.topN, ...model.sensitivity.map((variant) => variant.top.length));
	addTable(sensitivity, {
		header: [t('report.variant'), ...Array.from({ length: longestTop }, (_, i) => `${i + 1}`)],
		rows: [...model.sensitivity.map((variant) => [variant.label, ...variant.top]), [t('report.robustTop', { topN: model.topN }), ...model.robustTop]],
		digits: []
	});
	if (model.nationalVsRegional) {
		addBlockHeader(sensitivity, [t('report.nationalVsRegional')]);
		addBlockHeader(sensitivity, [t('export.code'), t('export.text'), t('report.nationalRank'), t('report.regionalRank'), t('report.difference')]);
		addRows(sensitivity, model.nationalVsRegional.map((point) => [point.code, point.text, point.nationalRank, point.regionalRank, point.difference]), [null, null, 0, 0, 0]);
	}
	// the ranking within each category: its mean, lowest and highest score as numbers, then its points
	if (model.categories.length > 0) {
		const categories = workbook.addWorksheet(sheetName(t('report.sheetCategories'), taken));
		addTable(categories, {
			header: [t('report.category'), t('report.categoryMean'), t('report.categoryMin'), t('report.categoryMax'), t('export.code'), t('export.text'), t('report.rankInCategory'), t('export.rank'), t('export.score')],
			rows: model.categories.flatMap((category) =>
				category.points.map((point, index) => [
					category.category,
					index === 0 ? category.meanScore : null,
					index === 0 ? category.minScore : null,
					index === 0 ? category.maxScore : null,
					point.code,
					point.text,
					point.rankInCategory,
					point.rank,
					point.score
				])
			),
			digits: [null, DIGITS.score, DIGITS.score, DIGITS.score, null, null, 0, 0, DIGITS.score]
		});
	}

	const raw = workbook.addWorksheet(sheetName(t('combined.sheetRaw'), taken));
	addTable(raw, answers);

	const method = workbook.addWorksheet(sheetName(t('report.method'), taken));
	addTable(method, {
		header: [t('combined.setting'), t('combined.value')],
		rows: [
			[t('combined.title'), model.title],
			[t('combined.description'), model.description],
			[t('report.caseNumber'), model.caseNumber],
			[t('report.draft'), model.draft ? t('common.yes') : t('common.no')],
			[t('report.created'), model.createdText],
			[t('report.exported'), model.exportedText],
			...(model.standalone ? [] : [[t('combined.weighting'), model.weightingText]]),
			[t('report.scope'), model.summaryText],
			...model.method.paragraphs.map((text, i) => [`${model.method.heading} ${i + 1}`, text]),
			...model.scales.likelihood.labels.map((_, i) => [`${t('scale.likelihood')} ${i + 1}`, levelText(model.scales.likelihood, i)]),
			...model.scales.consequence.labels.map((_, i) => [`${t('scale.consequence')} ${i + 1}`, levelText(model.scales.consequence, i)]),
			...Array.from({ length: LEVELS }, (_, i) => {
				const likelihood = LEVELS - i;
				return [`${t('combined.matrix')}: ${t('scale.likelihood')} ${likelihood}`, (model.matrix.levels[likelihood - 1] ?? []).map((level) => t(levelKey(level))).join(' | ')];
			})
		],
		digits: [null, null]
	});
	method.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
	method.getColumn(2).width = 100;

	return new Uint8Array(await workbook.xlsx.writeBuffer());
}
