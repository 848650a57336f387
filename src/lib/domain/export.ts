import { formatCsv, type CsvCell } from './csv';
import type { RiskPointResult, WorkshopResults } from './results';
import type { CombinedResults } from './combined';
import { translate, type MessageKey } from '../i18n/translate';
import { levelKey } from './level-key';
import { uncertaintyLevel, type ConsequenceTypes } from './dsb-method';

export { levelKey };
import type { Knowledge, Language, MatrixLevel, Scales } from './types';

export type CsvDelimiterChoice = 'comma' | 'semicolon';

/**
 * A point's rank in its workshop's list: none for a point nobody scored, and none at all in a
 * workshop without answers (it has no ranking); a point with too few answers keeps its place
 * after the others, and its status says why.
 */
const rankOf = (p: RiskPointResult, answered: boolean) => (answered && p.rankStatus !== 'notRated' ? p.rank : null);

/** What a point's rank means: ranked, too few answers, not rated, or no answers in the workshop at all. */
const statusOf = (p: RiskPointResult, answered: boolean, language: Language) =>
	translate(language, !answered ? 'report.noAnswersNoRanking' : p.rankStatus === 'ranked' ? 'report.status.ranked' : p.rankStatus === 'tooFewAnswers' ? 'report.status.tooFew' : 'report.status.notRated');

const COLUMNS: { header: MessageKey; cell: (point: RiskPointResult, language: Language, answered: boolean) => CsvCell }[] = [
	{ header: 'export.rank', cell: (p, _language, answered) => rankOf(p, answered) },
	{ header: 'export.code', cell: (p) => p.code },
	{ header: 'export.text', cell: (p) => p.text },
	{ header: 'export.category', cell: (p) => p.category },
	{ header: 'export.score', cell: (p) => p.score },
	{ header: 'export.level', cell: (p, language) => (p.level ? translate(language, levelKey(p.level)) : null) },
	{ header: 'export.cellLikelihood', cell: (p) => p.cell?.likelihood ?? null },
	{ header: 'export.cellConsequence', cell: (p) => p.cell?.consequence ?? null },
	{ header: 'export.responses', cell: (p) => p.responses },
	{ header: 'export.n', cell: (p) => p.n },
	{ header: 'export.abstained', cell: (p) => p.abstained },
	{ header: 'export.likelihoodMean', cell: (p) => p.likelihood.mean },
	{ header: 'export.likelihoodMedian', cell: (p) => p.likelihood.median },
	{ header: 'export.likelihoodSd', cell: (p) => p.likelihood.sd },
	{ header: 'export.likelihoodIqr', cell: (p) => p.likelihood.iqr },
	{ header: 'export.likelihoodAbstained', cell: (p) => p.likelihood.abstained },
	{ header: 'export.consequenceMean', cell: (p) => p.consequence.mean },
	{ header: 'export.consequenceMedian', cell: (p) => p.consequence.median },
	{ header: 'export.consequenceSd', cell: (p) => p.consequence.sd },
	{ header: 'export.consequenceIqr', cell: (p) => p.consequence.iqr },
	{ header: 'export.consequenceAbstained', cell: (p) => p.consequence.abstained },
	{ header: 'export.round', cell: (p) => p.round },
	{ header: 'export.likelihoodConsensus', cell: (p) => p.consensus.likelihood },
	{ header: 'export.consequenceConsensus', cell: (p) => p.consensus.consequence },
	{ header: 'export.disagreement', cell: (p, language) => translate(language, p.disagreement ? 'common.yes' : 'common.no') },
	{ header: 'export.firstLikelihoodIqr', cell: (p) => (p.round > 1 ? (p.rounds[0]?.likelihood.iqr ?? null) : null) },
	{ header: 'export.firstConsequenceIqr', cell: (p) => (p.round > 1 ? (p.rounds[0]?.consequence.iqr ?? null) : null) },
	{ header: 'export.changed', cell: (p) => p.changed },
	{ header: 'export.discussion', cell: (p) => p.notes.discussion },
	{ header: 'export.measures', cell: (p) => p.notes.measures }
];


/**
 * The ranked list as CSV for a spreadsheet: semicolons and decimal commas for Norwegian Excel,
 * commas and decimal points otherwise; always UTF-8 with a BOM.
 */
export function resultsToCsv(results: WorkshopResults, language: Language, delimiter: CsvDelimiterChoice, consequenceTypes: ConsequenceTypes | null = null): string {
	const { header, rows } = resultsTable(results, language, consequenceTypes);
	return formatCsv([header, ...rows], {
		delimiter: delimiter === 'semicolon' ? ';' : ',',
		decimal: delimiter === 'semicolon' ? ',' : '.',
		digits: 2
	});
}

/** The CSV delimiter a reader of the language expects by default. */
export function defaultDelimiter(language: Language): CsvDelimiterChoice {
	return language === 'en' ? 'comma' : 'semicolon';
}

/** The ranked list as a self-describing JSON document. */
export function resultsToJson(results: WorkshopResults, scales: Scales, exportedAt: string, consequenceTypes: ConsequenceTypes | null = null) {
	// by consequence type: the types with their guidance and rule (each point's `types` and `uncertainty` follow them)
	return { ...results, scales, ...(consequenceTypes ? { consequenceTypes } : {}), exportedAt };
}

/** A file name from a title (and the weighting of an assessment's results): letters, digits and dashes only. */
export function exportFileName(title: string, extension: string, weighting?: 'workshop' | 'member'): string {
	const stem = title
		.normalize('NFKD')
		.replace(/[æÆ]/g, 'ae')
		.replace(/[øØ]/g, 'o')
		.replace(/[^\w\s-]/g, '')
		.trim()
		.replace(/\s+/g, '-')
		.toLowerCase()
		.slice(0, 60);
	const suffix = weighting === 'workshop' ? '-hver-workshop-likt' : weighting === 'member' ? '-hvert-medlem-likt' : '';
	return `${stem || 'risikoverksted'}${suffix}.${extension}`;
}

/** The header and rows of a workshop's ranked list (for CSV and spreadsheet sheets). */
export function resultsTable(results: WorkshopResults, language: Language, consequenceTypes: ConsequenceTypes | null = null): { header: string[]; rows: CsvCell[][] } {
	// the strength of knowledge, as three counts, where the workshop asks it
	const knowledge = results.asksKnowledge ? KNOWLEDGE_COLUMNS : [];
	// by consequence type: each type's figures, the event's uncertainty and the sensitivity note
	const byType = consequenceTypes ? typeColumns(consequenceTypes, language) : [];
	// a workshop without answers has no ranking at all
	const answered = results.riskPoints.some((point) => point.responses > 0);
	// by consequence type the consequence columns are the members' overall: their headers say so
	const consequenceWord = translate(language, 'scale.consequence');
	const headerOf = (key: MessageKey) => {
		const header = translate(language, key);
		return consequenceTypes && header.startsWith(consequenceWord) ? translate(language, 'scale.overallConsequence') + header.slice(consequenceWord.length) : header;
	};
	return {
		// the status last: the columns before it are where spreadsheets made from earlier exports expect them
		header: [
			...COLUMNS.map((column) => headerOf(column.header)),
			...knowledge.map((column) => translate(language, column.header)),
			...byType.map((column) => column.header),
			translate(language, 'export.status')
		],
		rows: results.riskPoints.map((point) => [
			...COLUMNS.map((column) => column.cell(point, language, answered)),
			...knowledge.map((column) => point.knowledge[column.knowledge]),
			...byType.map((column) => column.cell(point)),
			statusOf(point, answered, language)
		])
	};
}

/** A workshop by consequence type: per type mean, median, "not relevant" answers and uncertainty; the event's uncertainty; sensitivity. */
function typeColumns(consequenceTypes: ConsequenceTypes, language: Language): { header: string; cell: (point: RiskPointResult) => CsvCell }[] {
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
	return [
		...consequenceTypes.types.flatMap((type, index) => [
			{ header: t('export.typeMean', { type: type.name }), cell: (p: RiskPointResult) => (p.types[index]?.relevant === false ? null : (p.types[index]?.mean ?? null)) },
			{ header: t('export.typeMedian', { type: type.name }), cell: (p: RiskPointResult) => (p.types[index]?.relevant === false ? null : (p.types[index]?.median ?? null)) },
			{ header: t('export.typeNotRelevant', { type: type.name }), cell: (p: RiskPointResult) => p.types[index]?.notRelevant ?? 0 },
			{ header: t('export.typeUncertainty', { type: type.name }), cell: (p: RiskPointResult) => p.uncertainty?.types[index] ?? null }
		]),
		{ header: t('export.uncertainty'), cell: (p) => p.uncertainty?.event ?? null },
		{
			header: t('export.uncertaintyLevel'),
			cell: (p) => (p.uncertainty?.event === null || !p.uncertainty ? t('kb.notAssessed') : t(`uncertainty.${uncertaintyLevel(p.uncertainty.event)}`))
		},
		{ header: t('export.sensitivity'), cell: (p) => p.notes.knowledgeBase?.sensitivity ?? '' }
	];
}

/** The strength-of-knowledge columns of an export: how many answers gave each strength. */
export const KNOWLEDGE_COLUMNS = [
	{ knowledge: 'strong', header: 'knowledge.columnStrong' },
	{ knowledge: 'moderate', header: 'knowledge.columnModerate' },
	{ knowledge: 'weak', header: 'knowledge.columnWeak' }
] as const satisfies readonly { knowledge: Knowledge; header: MessageKey }[];

/** The header and rows of an assessment's combined ranking, with each workshop's rank. */
export function combinedTable(results: CombinedResults, language: Language): { header: string[]; rows: CsvCell[][] } {
	const t = (key: MessageKey) => translate(language, key);
	const header = [
		t('export.rank'),
		t('export.code'),
		t('export.text'),
		t('export.category'),
		t('export.score'),
		t('export.level'),
		t('export.cellLikelihood'),
		t('export.cellConsequence'),
		t('export.likelihoodMean'),
		t('export.consequenceMean'),
		t('combined.workshopsRated'),
		t('export.responses'),
		t('combined.flaggedIn'),
		...results.workshops.map((workshop) => translate(language, 'combined.rankIn', { workshop: workshop.title }))
	];
	const rows = results.riskPoints.map((point) => [
		point.score === null ? null : point.rank,
		point.code,
		point.text,
		point.category,
		point.score,
		point.level ? t(levelKey(point.level)) : t('results.notRated'),
		point.cell?.likelihood ?? null,
		point.cell?.consequence ?? null,
		point.likelihood.mean,
		point.consequence.mean,
		point.workshopsRated,
		point.responses,
		point.flaggedIn,
		...point.workshops.map((w) => (w.inList ? w.rank : t('combined.notInList')))
	]);
	return { header, rows };
}

/** The combined ranking as CSV (UTF-8 with BOM; semicolons and decimal commas for Norwegian Excel). */
export function combinedToCsv(results: CombinedResults, language: Language, delimiter: CsvDelimiterChoice): string {
	const { header, rows } = combinedTable(results, language);
	return formatCsv([header, ...rows], {
		delimiter: delimiter === 'semicolon' ? ';' : ',',
		decimal: delimiter === 'semicolon' ? ',' : '.',
		digits: 2
	});
}
