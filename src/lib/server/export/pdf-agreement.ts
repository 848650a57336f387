/**
 * The assessment report's pages on agreement: the workshops and how their rankings agree (side
 * by side, pair by pair), and how sure the combined ranking is (sensitivity, national against
 * regional, by category). Drawn with the report's own helpers (pdf.ts), so they look the same.
 */
import { tauText, type ReportModel } from '../../domain/report';
import { sharedPrefix, withoutPrefix } from '../../domain/titles';
import type { ReportDrawing } from './pdf-drawing';

/** Beyond this many workshops the side-by-side table and the appendices are left to the workbook. */
export const PRINTED_WORKSHOPS = 20;
/** national against regional: the points that differ most (the workbook has them all) */
const NATIONAL_VS_REGIONAL_ROWS = 15;

/** The workshops, and how they agree (none to compare for a workshop on its own). */
export function drawWorkshops(draw: ReportDrawing, model: ReportModel): void {
	const { doc, t } = draw;
	if (model.standalone) return;
	const workshops = draw.section();
	draw.heading(workshops, t('report.workshopsTable'));
	draw.table(
		workshops,
		[t('combined.workshop'), t('combined.kind'), t('combined.status'), t('report.scoringColumn'), t('report.membersJoined'), t('report.membersAnswering'), t('report.tauOthers')],
		model.workshops.map((row) => [
			{ text: row.title },
			{ text: row.kindText },
			{ text: row.statusText },
			{ text: row.scoringText },
			{ text: String(row.members) },
			{ text: String(row.answering) },
			{ text: row.answered ? tauText(model.language, row.tau, row.tauLow, row.tauHigh, row.tauPoints) : t('report.noAnswersNoRanking') }
		]),
		['*', 52, 52, 80, 44, 48, 100],
		8
	);
	draw.paragraph(workshops, t('report.readTau'), { size: 8.5, color: draw.muted });
	// each point's rank in each workshop that has answers, side by side in one table on a page
	// turned sideways (eleven workshops fit); those without answers are named once, not as empty columns
	const answering = model.workshops.map((w, index) => ({ ...w, index })).filter((w) => w.answered);
	const silent = model.workshops.filter((w) => !w.answered).map((w) => w.title);
	if (answering.length > PRINTED_WORKSHOPS) draw.paragraph(workshops, t('report.tooManyWorkshops', { count: answering.length, limit: PRINTED_WORKSHOPS }), { size: 9.5, color: draw.muted });
	else if (answering.length > 0) {
		doc.addPage({ layout: 'landscape', size: 'A4', margins: doc.page.margins });
		draw.heading(workshops, t('report.sideBySide'), 'H2');
		const prefix = sharedPrefix(answering.filter((w) => w.kindText === t('combined.kind.regional')).map((w) => w.title));
		if (prefix) draw.paragraph(workshops, t('report.sharedPrefix', { prefix: prefix.trim() }), { size: 8.5, color: draw.muted });
		if (silent.length) draw.paragraph(workshops, t('report.withoutAnswers', { titles: silent.join(', ') }), { size: 8.5, color: draw.muted });
		draw.table(
			workshops,
			[t('export.code'), t('report.combinedRank'), ...answering.map((w) => withoutPrefix(w.title, prefix))],
			model.ranked.map((row) => [
				{ text: row.code, bold: true },
				{ text: row.rank === null ? '–' : String(row.rank) },
				...answering.map((w) => ({ text: String(row.workshopRanks[w.index] ?? '–') }))
			]),
			[34, 40, ...answering.map(() => '*' as const)],
			7
		);
		doc.addPage();
	}
	if (model.pairs.length > 0 && model.pairs.length <= 120) {
		draw.heading(workshops, t('report.pairs'), 'H2');
		draw.table(
			workshops,
			[t('report.pairA'), t('report.pairB'), t('report.tau')],
			model.pairs.map((pair) => [{ text: pair.a }, { text: pair.b }, { text: tauText(model.language, pair.tau, pair.low, pair.high, pair.points) }]),
			['*', '*', 140],
			8
		);
	}
}

/** How sure the ranking is: sensitivity, national against regional, by category. */
export function drawSureness(draw: ReportDrawing, model: ReportModel): void {
	const { t, n } = draw;
	const sure = draw.section();
	draw.heading(sure, t('report.sensitivity', { topN: model.topN }));
	draw.table(
		sure,
		[t('report.variant'), t('report.topCodes', { topN: model.topN })],
		model.sensitivity.map((variant) => [{ text: variant.label }, { text: variant.top.join(', ') || '–' }]),
		[150, '*'],
		8.5
	);
	draw.paragraph(sure, `${t('report.robustTop', { topN: model.topN })}: ${model.robustTop.join(', ') || t('report.none')}`, { size: 10 });
	if (model.nationalVsRegional) {
		draw.heading(sure, t('report.nationalVsRegional'), 'H2');
		const shown = model.nationalVsRegional.slice(0, NATIONAL_VS_REGIONAL_ROWS);
		draw.paragraph(sure, t('report.nvrIntro', { shown: shown.length, total: model.nationalVsRegional.length }), { size: 8.5, color: draw.muted });
		draw.table(
			sure,
			[t('export.code'), t('export.text'), t('report.nationalRank'), t('report.regionalRank'), t('report.difference')],
			shown.map((point) => [
				{ text: point.code, bold: true },
				{ text: point.text },
				{ text: String(point.nationalRank) },
				{ text: String(point.regionalRank) },
				// a minus sign, as the other tables print it
				{ text: point.difference > 0 ? `+${point.difference}` : point.difference < 0 ? `\u2212${-point.difference}` : '0' }
			]),
			[34, '*', 56, 56, 50],
			8.5
		);
	}
	if (model.categories.length > 0) {
		draw.heading(sure, t('report.categories'), 'H2');
		for (const category of model.categories) {
			draw.paragraph(sure, `${category.category}: ${t('report.categorySpread', { mean: n(category.meanScore), min: n(category.minScore), max: n(category.maxScore) })}`, { size: 9.5 });
			draw.table(
				sure,
				[t('report.rankInCategory'), t('export.code'), t('export.text'), t('export.rank'), t('export.score')],
				category.points.map((point) => [
					{ text: String(point.rankInCategory) },
					{ text: point.code, bold: true },
					{ text: point.text },
					{ text: String(point.rank) },
					{ text: n(point.score) }
				]),
				[50, 34, '*', 36, 44],
				8
			);
		}
	}
}
