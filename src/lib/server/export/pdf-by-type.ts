import type { ByTypeModel } from '../../domain/report-by-type';
import { DIGITS } from '../../i18n/precision';
import type { ReportDrawing } from './pdf-drawing';

/**
 * A workshop or assessment by consequence type (DSB's method): the risk advisers' own table, one
 * row per event with the likelihood, the consequence per type, the overall consequence, the
 * uncertainty and the risk, on a page turned sideways; then the sensitivity notes, and the
 * guidance of each type's levels. The frequency intervals are the likelihood's scale, printed
 * with the scales before.
 */
export function drawByType(draw: ReportDrawing, model: ByTypeModel): void {
	const { doc, t, n } = draw;
	doc.addPage({ layout: 'landscape', size: 'A4', margins: doc.page.margins });
	const part = draw.section();
	draw.heading(part, t('report.byType.heading'));
	draw.paragraph(part, `${model.ruleText} ${t('report.byType.legend')}`, { size: 8.5, color: draw.muted });
	const usable = doc.page.width - doc.page.margins.left - doc.page.margins.right;
	const typeWidth = model.types.length > 5 ? 48 : 64;
	const fixed = 34 + 58 + typeWidth * model.types.length + 46 + 62 + 64;
	const eventWidth = Math.max(110, usable - fixed);
	draw.table(
		part,
		[
			t('export.code'),
			t('report.byType.event'),
			t('scale.likelihood'),
			...model.types.map((type) => type.name),
			t('report.byType.overall'),
			t('kb.uncertainty'),
			t('report.byType.risk')
		],
		model.rows.map((row) => [
			{ text: row.code, bold: true },
			{ text: row.text },
			{ text: n(row.likelihoodMean, DIGITS.mean) },
			...row.types.map((type) => ({ text: type.relevant ? n(type.mean, DIGITS.mean) : t('report.byType.notRelevant') })),
			{ text: n(row.overallMean, DIGITS.mean), bold: true },
			{ text: row.uncertainty === null ? row.uncertaintyText : `${row.uncertaintyText} (${n(row.uncertainty, DIGITS.mean)})` },
			{ text: `${n(row.score)}\n${row.levelText}`, fill: row.level ? draw.fill[row.level] : undefined }
		]),
		[34, eventWidth, 58, ...model.types.map(() => typeWidth), 46, 62, 64],
		7.5
	);
	const notes = model.rows.filter((row) => row.sensitivity.length > 0);
	if (notes.length > 0) {
		draw.heading(part, t('report.byType.sensitivityHeading'), 'H2');
		draw.table(
			part,
			[t('export.code'), t('report.byType.event'), t('report.byType.sensitivityHeading')],
			notes.map((row) => [{ text: row.code, bold: true }, { text: row.text }, { text: row.sensitivity.join('\n') }]),
			[34, 200, usable - 234],
			8
		);
	}
	draw.heading(part, t('report.byType.guidance'), 'H2', 150);
	const levels = model.types[0]?.labels.length ?? 5;
	draw.table(
		part,
		[t('kb.type'), ...Array.from({ length: levels }, (_, index) => String(index + 1))],
		model.types.map((type) => [
			{ text: type.weight === 1 ? type.name : `${type.name} (${t('kb.weight', { weight: type.weight })})`, bold: true },
			...type.labels.map((label, index) => ({ text: type.descriptions[index] ? `${label}\n${type.descriptions[index]}` : label }))
		]),
		[110, ...Array.from({ length: levels }, () => (usable - 110) / levels)],
		8
	);
	// back to upright pages for what follows
	doc.addPage();
}
