import type { CombinedResults } from '../../domain/combined';
import { formatCsv } from '../../domain/csv';
import { LEVELS } from '../../domain/scales';
import type { RiskPoint, Scoring } from '../../domain/types';
import type { PointNotes, WorkshopResults } from '../../domain/results';
import { combineResults, type Weighting, type WorkshopKind } from '../../domain/combined';
import { agreementIntervals } from '../../domain/agreement';
import { analysisWorkshop, rankUncertainty, type AnalysisInput } from '../../domain/analysis';
import type { Analysis } from '../../domain/analysis-result';
import { byCategory, nationalVsRegional, sensitivity } from '../../domain/comparisons';
import { resultsOf, shownRatings, type WorkshopData } from '../../domain/workshop-results';
import { reportModel } from '../../domain/report';
import { rankedTable, type ReportTable } from '../../domain/report-table';
import { workshopAppendices } from '../../domain/report-appendices';
import { byTypeTable } from '../../domain/report-by-type';
import { translate, type MessageKey } from '../../i18n/translate';
import type { AssessmentSettings } from '../store/records';
import { reportPdf } from './pdf';
import { compactPdf } from './pdf-compact';
import { reportWorkbook } from './xlsx';
import { matrixSvg } from '../../domain/matrix-svg';
import { svgToPng } from './matrix-png';

/** One workshop of an assessment as the reports need it: plain data, so it can go to a worker thread. */
export interface ExportWorkshop {
	id: string;
	title: string;
	kind: WorkshopKind;
	status: 'draft' | 'open' | 'closed';
	members: number;
	answering: number;
	scoring: Scoring;
	results: WorkshopResults;
	notes: Record<string, PointNotes>;
	/** every answer, without who gave it */
	ratings: { riskPointId: string; round: number; likelihood: number | null; consequence: number | null; comment: string }[];
	/** the members' reasons per point, never with a name (sorted by round, then text) */
	comments: Record<string, { round: number; text: string }[]>;
}

/**
 * What a report is made from, as the main thread hands it over: the settings and each workshop's
 * data with its ratings (plain data). The results are computed from it on the worker thread
 * (prepareExport), so the main thread only gathers.
 */
export interface ExportSource {
	assessment: ExportInput['assessment'] & { id: string };
	weighting: Weighting;
	workshops: {
		id: string;
		title: string;
		kind: WorkshopKind;
		status: 'draft' | 'open' | 'closed';
		members: number;
		answering: number;
		scoring: Scoring;
		data: WorkshopData;
	}[];
	/** ISO time */
	exportedAt: string;
	/** the report of one workshop on its own (domain/report.ts) */
	standalone?: boolean;
}

/**
 * The results of every workshop and combined, how sure the ranking is (domain/analysis.ts), and
 * the answers without who gave them.
 */
export function prepareExport(source: ExportSource, resamples?: number): ExportInput {
	const { assessment, weighting } = source;
	// the answers one by one only where the workshop's privacy shows their round (shownRatings)
	const prepared = source.workshops.map(({ data, ...workshop }) => ({ workshop, data: { ...data, ratings: shownRatings(data) }, results: resultsOf(data) }));
	const workshops = prepared.map(({ workshop, data, results }): ExportWorkshop => ({
		...workshop,
		results,
		notes: data.notes,
		ratings: data.ratings.map(({ riskPointId, round, likelihood, consequence, comment }) => ({ riskPointId, round, likelihood, consequence, comment: comment ?? '' })),
		comments: commentsOf(data.ratings)
	}));
	const results = combineResults({
		assessment: { id: assessment.id, title: assessment.title },
		riskPoints: assessment.riskPoints,
		weighting,
		matrix: assessment.matrix,
		levelCount: LEVELS,
		minAnswers: assessment.analysis.minAnswers,
		workshops: workshops.map(({ id, title, kind, status, members, answering, results }) => ({ id, title, kind, status, members, answering, results }))
	});
	const analysisInput: AnalysisInput = {
		riskPoints: assessment.riskPoints,
		workshops: prepared.map(({ workshop, data, results: own }) => analysisWorkshop(workshop, data, own, assessment.riskPoints)),
		weighting,
		minAnswers: assessment.analysis.minAnswers,
		topN: assessment.analysis.topN,
		resamples
	};
	const agreement = agreementIntervals(analysisInput);
	const analysis: Analysis = {
		uncertainty: rankUncertainty(analysisInput),
		agreement,
		sensitivity: sensitivity(analysisInput),
		nationalVsRegional: nationalVsRegional(analysisInput),
		categories: byCategory(results.riskPoints)
	};
	// the agreement's intervals are the bootstrap's (combineResults has only the estimates)
	const looOf = new Map(agreement.workshops.map((one) => [one.workshopId, one]));
	const pairOf = new Map(agreement.pairs.map((one) => [`${one.a} ${one.b}`, one]));
	results.agreement = results.agreement.map((one) => ({ ...one, low: looOf.get(one.workshopId)?.low ?? null, high: looOf.get(one.workshopId)?.high ?? null }));
	results.pairs = results.pairs.map((pair) => {
		const interval = pairOf.get(`${pair.a} ${pair.b}`);
		return { ...pair, estimate: { ...pair.estimate, low: interval?.low ?? null, high: interval?.high ?? null } };
	});
	return { assessment, results, analysis, workshops, exportedAt: source.exportedAt, standalone: source.standalone ?? false };
}

/** The reasons members gave, per point, without who gave them: by round, then text. */
function commentsOf(ratings: WorkshopData['ratings']): Record<string, { round: number; text: string }[]> {
	const comments: Record<string, { round: number; text: string }[]> = Object.create(null);
	for (const { riskPointId, round, comment } of ratings) if (comment) (comments[riskPointId] ??= []).push({ round, text: comment });
	for (const list of Object.values(comments)) list.sort((a, b) => a.round - b.round || a.text.localeCompare(b.text, 'nb'));
	return comments;
}

/** What the reports are made from, computed (prepareExport). */
export interface ExportInput {
	assessment: Pick<AssessmentSettings, 'title' | 'description' | 'language' | 'scales' | 'matrix' | 'analysis' | 'report' | 'createdAt' | 'consequenceTypes'> & {
		signOff?: AssessmentSettings['signOff'];
		reportVersion?: { number: number; final: boolean };
		riskPoints: RiskPoint[];
	};
	results: CombinedResults;
	analysis: Analysis;
	workshops: ExportWorkshop[];
	/** ISO time */
	exportedAt: string;
	standalone: boolean;
}

/** Every answer, without who gave it: workshop, point, round and the two answers, sorted so the order says nothing of who answered when. */
export function answersTable(input: ExportInput): ReportTable {
	const t = (key: MessageKey) => translate(input.assessment.language, key);
	const order = new Map(input.assessment.riskPoints.map((point, index) => [point.id, { code: point.code, index }]));
	const rows: (string | number | null)[][] = [];
	for (const workshop of input.workshops) {
		const ratings = [...workshop.ratings].sort(
			(a, b) =>
				(order.get(a.riskPointId)?.index ?? 0) - (order.get(b.riskPointId)?.index ?? 0) ||
				a.round - b.round ||
				(a.likelihood ?? 0) - (b.likelihood ?? 0) ||
				(a.consequence ?? 0) - (b.consequence ?? 0) ||
				a.comment.localeCompare(b.comment, 'nb')
		);
		for (const rating of ratings) {
			rows.push([workshop.title, order.get(rating.riskPointId)?.code ?? '', rating.round, rating.likelihood ?? t('combined.dontKnow'), rating.consequence ?? t('combined.dontKnow'), rating.comment || null]);
		}
	}
	return {
		header: [t('combined.workshop'), t('export.code'), t('export.round'), t('scale.likelihood'), t('scale.consequence'), t('comment.column')],
		rows,
		digits: [null, null, 0, 0, 0, null]
	};
}

/** The report model of a prepared export, and its appendices. */
function report(input: ExportInput) {
	const source = { assessment: input.assessment, results: input.results, analysis: input.analysis, workshops: input.workshops, exportedAt: input.exportedAt, standalone: input.standalone };
	return { model: reportModel(source), appendices: workshopAppendices(source) };
}

export async function assessmentPdf(input: ExportInput): Promise<Uint8Array> {
	const { model, appendices } = report(input);
	return compactPdf(await reportPdf(model, appendices));
}

export function assessmentXlsx(input: ExportInput): Promise<Uint8Array> {
	const { model, appendices } = report(input);
	return reportWorkbook(model, appendices, answersTable(input));
}

/** The combined ranking as CSV, the weighting named in a column of its own (and in the file name, by the route). */
export function assessmentCsv(input: ExportInput, delimiter: 'comma' | 'semicolon'): string {
	const { model } = report(input);
	const table = rankedTable(model, model.standalone ? [] : model.workshops.map((w) => w.title));
	// by consequence type: the advisers' columns after the others (rank, code, text and likelihood are there already)
	const byType = model.byType ? byTypeTable(model.byType, model.language) : null;
	const header = [...table.header, translate(model.language, 'combined.weighting'), ...(byType?.header.slice(4) ?? [])];
	const rows = table.rows.map((row, index) => [...row, model.weightingText, ...(byType?.rows[index]?.slice(4) ?? [])]);
	return formatCsv([header, ...rows], { delimiter: delimiter === 'semicolon' ? ';' : ',', decimal: delimiter === 'semicolon' ? ',' : '.', digits: 2 });
}

/** Everything as data: the combined results, how sure the ranking is, and the settings used. */
export function assessmentJson(input: ExportInput): string {
	const { assessment } = input;
	return JSON.stringify(
		{
			...input.results,
			analysis: input.analysis,
			description: assessment.description,
			scales: assessment.scales,
			consequenceTypes: assessment.consequenceTypes ?? null,
			matrix: assessment.matrix,
			settings: { ...assessment.analysis, caseNumber: assessment.report.caseNumber, draft: assessment.report.draft, levels: LEVELS },
			exportedAt: input.exportedAt
		},
		null,
		2
	);
}

/** The matrix as a picture (SVG), with every placed point's text in a legend below it. */
export function assessmentMatrixSvg(input: ExportInput): string {
	return matrixSvg(report(input).model);
}

/** The matrix as PNG, drawn from the SVG. */
export function assessmentMatrixPng(input: ExportInput): Uint8Array {
	return svgToPng(assessmentMatrixSvg(input));
}
