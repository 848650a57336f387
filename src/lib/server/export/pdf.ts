import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { levelKey } from '../../domain/export';
import { DIGITS } from '../../i18n/precision';
import { knowledgeText, levelText, printed, type ReportModel } from '../../domain/report';
import type { ReportWorkshopAppendix } from '../../domain/report-appendices';
import { LEVELS } from '../../domain/scales';
import type { MatrixLevel } from '../../domain/types';
import { translate, type MessageKey } from '../../i18n/translate';
import { drawByType } from './pdf-by-type';
import { PRINTED_WORKSHOPS, drawSureness, drawWorkshops } from './pdf-agreement';

/**
 * Noto Sans, embedded (only the glyphs used): it has every letter of Norwegian and the Sami
 * languages (ŋ ŧ đ č š ž á), which the PDF's built-in Helvetica does not.
 */
const require = createRequire(import.meta.url);
export const FONTS = {
	Body: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
	'Body-Bold': require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
	'Body-Italic': require.resolve('@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf')
};

/** Cell fills: the matrix colours. */
export const LEVEL_FILL: Record<MatrixLevel, string> = { low: '#B5E3B9', medium: '#FFE08A', high: '#F6A39C' };
const INK = '#1b1b1b';

const BRAND = '#1a4d7a';
const MUTED = '#4d5358';

type Struct = ReturnType<PDFKit.PDFDocument['struct']>;

/**
 * The report as a tagged PDF (PDF/UA): a structure tree of sections, headings, paragraphs, tables
 * with header cells and a figure with alternative text, the document's language and title, page
 * furniture marked as artifacts. A4; a front page, the method, the ranked list, the matrix as a
 * table of full cells (never cut short), the workshops and their agreement, how sure the ranking
 * is, and an appendix per workshop that has answers (none for a workshop without).
 */
export function reportPdf(model: ReportModel, appendices: ReportWorkshopAppendix[]): Promise<Uint8Array> {
	const language = model.language;
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
	const n = (value: number | null, digits: number = DIGITS.score) => printed(language, value, digits);
	// pdfkit 0.20's options (PDF/UA, tables) are newer than its types
	const doc = new PDFDocument({
		size: 'A4',
		margins: { top: 56, bottom: 64, left: 56, right: 56 },
		bufferPages: true,
		pdfVersion: '1.7',
		subset: 'PDF/UA',
		tagged: true,
		lang: language === 'en' ? 'en-GB' : language === 'nn' ? 'nn-NO' : 'nb-NO',
		displayTitle: true,
		info: { Title: model.title, Author: 'Risikoverksted', Subject: t('report.subtitle'), CreationDate: new Date() }
	} as unknown as PDFKit.PDFDocumentOptions);
	// fonts by their file, not by a registered name: pdfkit's tables give the font back by its file,
	// and a font asked for under another key is read from the file again, for every cell
	doc.font(FONTS.Body);
	const chunks: Buffer[] = [];
	doc.on('data', (chunk: Buffer) => chunks.push(chunk));
	const done = new Promise<Uint8Array>((resolve) => doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks)))));
	const left = doc.page.margins.left;
	const width = doc.page.width - left - doc.page.margins.right;
	const bottom = () => doc.page.height - doc.page.margins.bottom;
	const root = doc.struct('Document');
	doc.addStructure(root);

	const section = () => {
		const sect = doc.struct('Sect');
		root.add(sect);
		return sect;
	};
	/** A heading, on the next page unless `keep` points of what follows it fit below it. */
	const heading = (parent: Struct, text: string, level: 'H1' | 'H2' = 'H1', keep = 80) => {
		if (doc.y > bottom() - keep) doc.addPage();
		doc.fillColor(BRAND).font(FONTS['Body-Bold']).fontSize(level === 'H1' ? 17 : 13);
		doc.text(text, left, doc.y, { width, structParent: parent, structType: level });
		doc.moveDown(0.3).fillColor(INK).font(FONTS.Body).fontSize(10);
	};
	const paragraph = (parent: Struct, text: string, options: { size?: number; color?: string; italic?: boolean } = {}) => {
		doc.fillColor(options.color ?? INK).font(options.italic ? FONTS['Body-Italic'] : FONTS.Body).fontSize(options.size ?? 10);
		doc.text(text, left, doc.y, { width, structParent: parent, structType: 'P' });
		doc.moveDown(0.4);
	};
	/**
	 * A table with a header row (TH, column scope). A table longer than the page goes on over the
	 * next ones, each part with the header row again: its rows are measured as they will be set,
	 * and as many as fit go on each page.
	 */
	const table = (
		parent: Struct,
		header: string[],
		rows: { text: string; fill?: string; bold?: boolean }[][],
		widths: (number | '*')[],
		size = 8.5
	) => {
		const padding = 3;
		const fixed = widths.reduce<number>((sum, w) => sum + (w === '*' ? 0 : w), 0);
		const stars = widths.filter((w) => w === '*').length;
		const columnWidths = widths.map((w) => (w === '*' ? (width - fixed) / Math.max(1, stars) : w));
		const heightOf = (cells: { text: string; bold?: boolean }[], bold = false) =>
			Math.max(
				...cells.map((cell, index) => {
					doc.font(bold || cell.bold ? FONTS['Body-Bold'] : FONTS.Body).fontSize(size);
					return doc.heightOfString(cell.text || ' ', { width: Math.max(10, (columnWidths[index] ?? 40) - 2 * padding) });
				})
			) +
			2 * padding +
			1;
		const headerHeight = heightOf(header.map((text) => ({ text })), true);
		const draw = (part: typeof rows) => {
			doc.fontSize(size).font(FONTS.Body);
			(doc.table as unknown as (options: unknown) => void)({
				structParent: parent,
				columnStyles: widths.map((w) => (w === '*' ? {} : { width: w })),
				// fonts only where they change (a font per cell made pdfkit compare font files for every cell)
				defaultStyle: { border: 0.3, borderColor: '#b9c2cb', padding },
				data: [
					header.map((text) => ({ text, type: 'TH', scope: 'Column', font: { src: FONTS['Body-Bold'] }, backgroundColor: '#e8eef4' })),
					...part.map((row) => row.map((cell) => ({ text: cell.text, backgroundColor: cell.fill, ...(cell.bold ? { font: { src: FONTS['Body-Bold'] } } : {}) })))
				]
			});
			doc.x = left;
		};
		let start = 0;
		// a short table stays together, a long one starts with its header and three rows on one page
		const together = rows.slice(0, rows.length <= 8 ? rows.length : 3).reduce((sum, row) => sum + heightOf(row), headerHeight);
		if (doc.y + together > bottom() && together < bottom() - doc.page.margins.top) doc.addPage();
		while (start < rows.length || start === 0) {
			let room = bottom() - doc.y - headerHeight;
			let end = start;
			while (end < rows.length) {
				const height = heightOf(rows[end]!);
				if (height > room && end > start) break;
				room -= height;
				end++;
			}
			draw(rows.slice(start, end));
			if (end >= rows.length) break;
			doc.addPage();
			start = end;
		}
		doc.moveDown(0.6);
	};
	const artifact = (draw: () => void) => {
		doc.markContent('Artifact', { type: 'Pagination' });
		draw();
		doc.endMarkedContent();
	};

	// the front page
	const front = section();
	artifact(() => doc.rect(0, 0, doc.page.width, 14).fill(BRAND));
	if (model.draft) {
		artifact(() => doc.fillColor('#b3261e').font(FONTS['Body-Bold']).fontSize(12).text(t('report.draft').toUpperCase(), left, 40, { width, align: 'right' }));
	}
	doc.y = 170;
	paragraph(front, t('report.subtitle'), { size: 14, color: MUTED });
	doc.fillColor(INK).font(FONTS['Body-Bold']).fontSize(26).text(model.title, left, doc.y, { width, structParent: front, structType: 'H1' });
	doc.moveDown(0.6);
	if (model.description) paragraph(front, model.description, { size: 12 });
	if (model.draft) paragraph(front, t('report.draftNote'), { size: 11, color: '#b3261e' });
	doc.moveDown(0.6);
	if (model.versionText) paragraph(front, model.versionText, { size: 12, color: model.draft ? '#b3261e' : INK });
	if (model.caseNumber) paragraph(front, `${t('report.caseNumber')}: ${model.caseNumber}`, { size: 11 });
	// who signs it: the agency, the responsible adviser, and who approved it when
	const { organisation, responsible, approvedBy, approvedAt } = model.signOff;
	if (organisation) paragraph(front, `${t('report.organisation')}: ${organisation}`, { size: 11 });
	if (responsible) paragraph(front, `${t('report.responsible')}: ${responsible}`, { size: 11 });
	if (organisation || responsible || approvedBy) {
		paragraph(front, `${t('report.approvedBy')}: ${approvedBy || t('report.notApproved')}${approvedAt ? ` (${approvedAt})` : ''}`, { size: 11 });
	}
	paragraph(front, `${t('report.created')}: ${model.createdText}`, { size: 11 });
	paragraph(front, `${t('report.exported')}: ${model.exportedText}`, { size: 11 });
	paragraph(front, model.summaryText, { size: 11 });
	if (!model.standalone) paragraph(front, model.weightingText, { size: 11, color: MUTED });

	// the method, and the scales
	doc.addPage();
	const method = section();
	heading(method, model.method.heading);
	for (const text of model.method.paragraphs) paragraph(method, text);
	// the heading stays with its table of five levels
	heading(method, t('report.scales'), 'H2', 150);
	// by consequence type the scale and the matrix are the overall consequence's (each type's levels follow on their own page)
	const consequenceWord = t(model.byType ? 'scale.overallConsequence' : 'scale.consequence');
	table(
		method,
		[t('report.levelColumn'), t('scale.likelihood'), consequenceWord],
		Array.from({ length: LEVELS }, (_, i) => [{ text: String(i + 1) }, { text: levelText(model.scales.likelihood, i) }, { text: levelText(model.scales.consequence, i) }]),
		[60, '*', '*'],
		9.5
	);

	// the ranked list
	doc.addPage();
	const list = section();
	heading(list, t('report.rankedList'));
	paragraph(list, t('report.rankedListIntro', { topN: model.topN }), { size: 9, color: MUTED });
	table(
		list,
		[t('export.rank'), t('export.code'), t('export.text'), t('export.score'), t('export.level'), t('report.interval'), t('report.pTopShort', { topN: model.topN }), model.standalone ? t('results.answers') : t('report.ratedBy')],
		model.ranked.map((row) => [
			{ text: row.rank === null ? '–' : String(row.rank) },
			{ text: row.code, bold: true },
			{
				text: [row.text, row.status !== 'ranked' ? `(${row.statusText})` : '', model.asksKnowledge ? knowledgeText(language, row.knowledge) : '', ...row.notes]
					.filter(Boolean)
					.join('\n')
			},
			{ text: n(row.score) },
			{ text: row.levelText, fill: row.level ? LEVEL_FILL[row.level] : undefined },
			{ text: row.status === 'tooFewAnswers' ? t('report.status.tooFew') : row.rankLow === null ? '–' : `${row.rankLow}–${row.rankHigh}` },
			{ text: row.status === 'tooFewAnswers' ? '–' : n(row.pTop, DIGITS.coefficient) },
			{
				// rated by so many of the workshops that ran (a workshop without answers rated nothing)
				text: model.standalone
					? `${row.responses}${row.flaggedIn ? `, ${t('report.flaggedOne')}` : ''}`
					: `${row.workshopsRated}/${model.counts.workshopsAnswering}${row.flaggedIn ? `, ${t('report.flaggedIn', { count: row.flaggedIn })}` : ''}`
			}
		]),
		[30, 34, '*', 50, 52, 44, 44, 56]
	);
	paragraph(list, t('report.readIntervals', { topN: model.topN, resamples: n(model.resamples, 0), drawn: t(model.intervalMethod === 'workshops-and-members' ? 'report.drawn.workshopsAndMembers' : 'report.drawn.members') }), { size: 8.5, color: MUTED });

	// rank intervals as bars (a figure with its text alternative)
	const barRows = model.ranked.filter((row) => row.rankLow !== null).slice(0, 40);
	if (barRows.length > 0) {
		const figureHeight = 14 * barRows.length + 60;
		if (doc.y + figureHeight > bottom()) doc.addPage();
		heading(list, t('report.intervalsHeading'), 'H2');
		const maxRank = Math.max(...barRows.map((row) => row.rankHigh ?? 1), 1);
		const x0 = left + 50;
		const span = width - 60;
		// the scale above the bars: ticks at round places
		const y0 = doc.y + 14;
		const step = maxRank <= 10 ? 1 : maxRank <= 25 ? 5 : 10;
		const ticks = [1, ...Array.from({ length: Math.floor(maxRank / step) }, (_, i) => (i + 1) * step).filter((tick) => tick > 1 && tick <= maxRank)];
		const at = (place: number) => x0 + ((place - 0.5) / maxRank) * span;
		const alt = t('report.intervalsAlt', { count: barRows.length, details: barRows.map((row) => `${row.code} ${row.rank}: ${row.rankLow}–${row.rankHigh}`).join('; ') });
		const figure = doc.struct('Figure', { alt }, [
			() => {
				doc.strokeColor(MUTED).lineWidth(0.4);
				for (const tick of ticks) {
					doc.moveTo(at(tick), y0 - 3).lineTo(at(tick), y0 + barRows.length * 14).stroke();
					doc.fillColor(MUTED).font(FONTS.Body).fontSize(7).text(String(tick), at(tick) - 10, y0 - 12, { width: 20, align: 'center', lineBreak: false });
				}
				barRows.forEach((row, i) => {
					const y = y0 + i * 14;
					doc.fillColor(INK).font(FONTS['Body-Bold']).fontSize(7.5).text(row.code, left, y + 2, { width: 44, lineBreak: false });
					const a = x0 + ((row.rankLow! - 1) / maxRank) * span;
					const b = x0 + (row.rankHigh! / maxRank) * span;
					doc.rect(a, y + 3, Math.max(2, b - a), 7).fill(row.level ? LEVEL_FILL[row.level] : '#cccccc');
					const dot = x0 + ((row.rank! - 0.5) / maxRank) * span;
					doc.circle(dot, y + 6.5, 2.2).fill(INK);
				});
				doc.fillColor(MUTED).font(FONTS.Body).fontSize(7.5).text(`${t('report.intervalsAxis', { max: maxRank })} ${t('report.intervalsLegend')}`, x0, y0 + barRows.length * 14 + 4, { width: span });
			}
		]);
		list.add(figure);
		doc.x = left;
		doc.y = y0 + barRows.length * 14 + 34;
		doc.moveDown(0.5);
	}

	// by consequence type: the advisers' table, the sensitivity notes and each type's guidance (pages of their own)
	// the parts drawn in files of their own (pdf-by-type.ts, pdf-agreement.ts), with these helpers
	const drawing = { doc, section, heading, paragraph, table, t, n, fill: LEVEL_FILL, muted: MUTED };
	if (model.byType) drawByType(drawing, model.byType);
	else doc.addPage();
	// the matrix, as a table whose cells hold every point in them (no text cut short)
	const matrix = section();
	heading(matrix, t('report.matrix'));
	paragraph(matrix, t('report.matrixIntro'), { size: 9, color: MUTED });
	const byCell = new Map<string, string[]>();
	for (const row of model.ranked) {
		if (row.cellLikelihood === null) continue;
		const key = `${row.cellLikelihood}-${row.cellConsequence}`;
		byCell.set(key, [...(byCell.get(key) ?? []), row.code]);
	}
	table(
		matrix,
		[`${t('scale.likelihood')} \\ ${consequenceWord}`, ...Array.from({ length: LEVELS }, (_, c) => `${c + 1}`)],
		Array.from({ length: LEVELS }, (_, i) => {
			const likelihood = LEVELS - i;
			return [
				{ text: `${likelihood} ${model.scales.likelihood.labels[likelihood - 1] ?? ''}`, bold: true },
				...Array.from({ length: LEVELS }, (_, c) => {
					const level = model.matrix.levels[likelihood - 1]?.[c] ?? 'low';
					const codes = byCell.get(`${likelihood}-${c + 1}`) ?? [];
					return { text: `${t(levelKey(level))}${codes.length ? `\n${codes.join(', ')}` : ''}`, fill: LEVEL_FILL[level] };
				})
			];
		}),
		[95, '*', '*', '*', '*', '*'],
		8.5
	);

	// the workshops and how they agree; how sure the ranking is (pdf-agreement.ts)
	drawWorkshops(drawing, model);
	drawSureness(drawing, model);

	// an appendix per workshop with answers (a workshop without answers has nothing to show)
	for (const appendix of appendices.length <= PRINTED_WORKSHOPS ? appendices : []) {
		doc.addPage();
		const part = section();
		heading(part, t('report.appendix', { workshop: appendix.title }));
		paragraph(part, appendix.summary, { size: 9.5, color: MUTED });
		table(
			part,
			[t('export.rank'), t('export.code'), t('export.text'), t('export.score'), t('export.level'), t('results.answers'), t('report.flagColumn')],
			appendix.rows.map((row) => [
				{ text: row.rank === null ? '–' : String(row.rank) },
				{ text: row.code, bold: true },
				{ text: [row.text, row.status !== 'ranked' ? `(${row.statusText})` : '', row.knowledge, ...row.notes].filter(Boolean).join('\n') },
				{ text: n(row.score) },
				{ text: row.levelText, fill: row.level ? LEVEL_FILL[row.level] : undefined },
				{ text: String(row.responses) },
				{ text: row.flag }
			]),
			[30, 34, '*', 40, 52, 40, 70],
			8
		);
	}

	// page numbers and the title in the foot (not on the front page), as artifacts
	const range = doc.bufferedPageRange();
	for (let i = 1; i < range.count; i++) {
		doc.switchToPage(range.start + i);
		const margin = doc.page.margins.bottom;
		doc.page.margins.bottom = 0;
		artifact(() => {
			doc.font(FONTS.Body).fontSize(8).fillColor(MUTED);
			const footerY = doc.page.height - 40;
			const foot = model.draft ? `${model.title} · ${t('report.draft')}` : model.title;
			doc.text(foot, left, footerY, { width: width / 2, lineBreak: false });
			doc.text(t('report.page', { page: i + 1, pages: range.count }), left + width / 2, footerY, { width: width / 2, align: 'right', lineBreak: false });
		});
		doc.page.margins.bottom = margin;
	}
	root.end();
	doc.end();
	return done;
}
