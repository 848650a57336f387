/**
 * The combined ranked list as a table of cells with the decimals of each column: the CSV and the
 * workbook's first sheet (domain/report.ts makes the model it reads).
 */
import { KNOWLEDGE_COLUMNS } from './export';
import { DIGITS } from '../i18n/precision';
import { translate, type MessageKey } from '../i18n/translate';
import type { RankedRow, ReportModel } from './report';

/** A table of the report as cells, with the decimals each column is printed with (null: not a figure). */
export interface ReportTable {
	header: string[];
	rows: (string | number | null)[][];
	digits: (number | null)[];
}

/** The combined ranked list as a table (the CSV, the workbook's first sheet). */
export function rankedTable(model: ReportModel, workshopTitles: readonly string[]): ReportTable {
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(model.language, key, params);
	const columns: { header: string; digits: number | null; cell: (row: RankedRow) => string | number | null }[] = [
		{ header: t('export.rank'), digits: 0, cell: (row) => row.rank },
		{ header: t('export.status'), digits: null, cell: (row) => row.statusText },
		{ header: t('export.code'), digits: null, cell: (row) => row.code },
		{ header: t('export.text'), digits: null, cell: (row) => row.text },
		{ header: t('export.category'), digits: null, cell: (row) => row.category },
		{ header: t('export.score'), digits: DIGITS.score, cell: (row) => row.score },
		{ header: t('export.level'), digits: null, cell: (row) => row.levelText },
		{ header: t('export.cellLikelihood'), digits: 0, cell: (row) => row.cellLikelihood },
		{ header: t('export.cellConsequence'), digits: 0, cell: (row) => row.cellConsequence },
		{ header: t('export.likelihoodMean'), digits: DIGITS.mean, cell: (row) => row.likelihoodMean },
		{ header: t('export.consequenceMean'), digits: DIGITS.mean, cell: (row) => row.consequenceMean },
		{ header: t('export.rankLow'), digits: 0, cell: (row) => row.rankLow },
		{ header: t('export.rankHigh'), digits: 0, cell: (row) => row.rankHigh },
		...(model.intervalMethod === 'workshops-and-members'
			? [
					{ header: t('export.rankLowWithin'), digits: 0, cell: (row: RankedRow) => row.rankLowWithin },
					{ header: t('export.rankHighWithin'), digits: 0, cell: (row: RankedRow) => row.rankHighWithin }
				]
			: []),
		{ header: t('export.pTop', { topN: model.topN }), digits: DIGITS.coefficient, cell: (row) => row.pTop },
		{ header: t('combined.workshopsRated'), digits: 0, cell: (row) => row.workshopsRated },
		{ header: t('export.responses'), digits: 0, cell: (row) => row.responses },
		{ header: t('export.n'), digits: 0, cell: (row) => row.n },
		{ header: t('combined.flaggedIn'), digits: 0, cell: (row) => row.flaggedIn }
	];
	// the strength of knowledge as three counts, where a workshop asks it
	if (model.asksKnowledge) {
		for (const column of KNOWLEDGE_COLUMNS) columns.push({ header: t(column.header), digits: 0, cell: (row) => row.knowledge[column.knowledge] });
	}
	const header = [...columns.map((column) => column.header), ...workshopTitles.map((title) => t('combined.rankIn', { workshop: title }))];
	const rows = model.ranked.map((row) => [...columns.map((column) => column.cell(row)), ...row.workshopRanks]);
	return { header, rows, digits: [...columns.map((column) => column.digits), ...workshopTitles.map(() => 0)] };
}
