import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { CombinedResults } from '../../domain/combined';
import type { CsvCell } from '../../domain/csv';
import { combinedTable, levelKey, resultsTable } from '../../domain/export';
import { LEVELS } from '../../domain/scales';
import type { MatrixLevel, RiskMatrix, RiskPoint, Scales } from '../../domain/types';
import type { PointNotes, WorkshopResults } from '../../domain/results';
import { combineResults, type Weighting, type WorkshopKind } from '../../domain/combined';
import { resultsOf, type WorkshopData } from '../../domain/workshop-results';
import { formatNumber, translate, type MessageKey } from '../../i18n/translate';
import type { AssessmentSettings } from '../store/records';

/** Cell fills: the matrix colours without the leading # (ARGB for the spreadsheet). */
const LEVEL_FILL: Record<MatrixLevel, string> = { low: 'B5E3B9', medium: 'FFE08A', high: 'F6A39C' };

/** One workshop of an assessment as the reports need it: plain data, so it can go to a worker thread. */
export interface ExportWorkshop {
	id: string;
	title: string;
	kind: WorkshopKind;
	status: 'draft' | 'open' | 'closed';
	members: number;
	results: WorkshopResults;
	notes: Record<string, PointNotes>;
	/** every answer, without who gave it */
	ratings: { riskPointId: string; round: number; likelihood: number | null; consequence: number | null }[];
}

/**
 * What a report is made from, as the main thread hands it over: the settings and each workshop's
 * data with its ratings (plain data). The results are computed from it on the worker thread
 * (prepareExport), so the main thread only gathers.
 */
export interface ExportSource {
	assessment: ExportInput['assessment'] & { id: string };
	weighting: Weighting;
	workshops: { id: string; title: string; kind: WorkshopKind; status: 'draft' | 'open' | 'closed'; members: number; data: WorkshopData }[];
	/** ISO time */
	exportedAt: string;
}

/** The results of every workshop and combined, and the answers without who gave them. */
export function prepareExport(source: ExportSource): ExportInput {
	const workshops = source.workshops.map(({ data, ...workshop }): ExportWorkshop => ({
		...workshop,
		results: resultsOf(data),
		notes: data.notes,
		ratings: data.ratings.map(({ riskPointId, round, likelihood, consequence }) => ({ riskPointId, round, likelihood, consequence }))
	}));
	const { assessment, weighting } = source;
	const results = combineResults({
		assessment: { id: assessment.id, title: assessment.title },
		riskPoints: assessment.riskPoints,
		weighting,
		matrix: assessment.matrix,
		levelCount: LEVELS,
		workshops: workshops.map(({ id, title, kind, status, members, results }) => ({ id, title, kind, status, members, results }))
	});
	return { assessment, results, workshops, exportedAt: source.exportedAt };
}

/** What the reports are made from, computed (prepareExport). */
export interface ExportInput {
	assessment: Pick<AssessmentSettings, 'title' | 'description' | 'language' | 'scales' | 'matrix'> & { riskPoints: RiskPoint[] };
	results: CombinedResults;
	workshops: ExportWorkshop[];
	/** ISO time */
	exportedAt: string;
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(title: string, taken: Set<string>): string {
	const base = title.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Workshop';
	let name = base;
	for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
	taken.add(name.toLowerCase());
	return name;
}

/**
 * Cells of the workbook: text is written as a text cell (Excel never runs a text cell as a
 * formula, so it needs no apostrophe in front), numbers as numbers.
 */
function addTable(sheet: ExcelJS.Worksheet, header: string[], rows: CsvCell[][]): void {
	sheet.addRow(header).font = { bold: true };
	for (const row of rows) sheet.addRow(row);
	sheet.views = [{ state: 'frozen', ySplit: 1 }];
	sheet.columns.forEach((column, index) => {
		const longest = Math.max(header[index]?.length ?? 8, ...rows.slice(0, 200).map((row) => String(row[index] ?? '').length));
		column.width = Math.min(60, Math.max(8, longest + 2));
	});
}

/**
 * The assessment as an .xlsx workbook: the combined ranking, each workshop's ranking, every rating
 * anonymously (workshop, point, round, answers: no member), and the settings used.
 */
export async function assessmentToXlsx({ assessment: settings, results, workshops, exportedAt: exportedIso }: ExportInput): Promise<Uint8Array> {
	const exportedAt = new Date(exportedIso);
	const language = settings.language;
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Risikoverksted';
	workbook.created = exportedAt;
	const taken = new Set<string>();

	const combined = workbook.addWorksheet(sheetName(t('combined.sheetCombined'), taken));
	const table = combinedTable(results, language);
	addTable(combined, table.header, table.rows);
	results.riskPoints.forEach((point, index) => {
		if (!point.level) return;
		combined.getRow(index + 2).getCell(6).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${LEVEL_FILL[point.level]}` } };
	});

	for (const workshop of workshops) {
		const sheet = workbook.addWorksheet(sheetName(workshop.title, taken));
		const own = resultsTable(workshop.results, language);
		addTable(sheet, own.header, own.rows);
	}

	const raw = workbook.addWorksheet(sheetName(t('combined.sheetRaw'), taken));
	const codeOf = new Map(settings.riskPoints.map((point, index) => [point.id, { code: point.code, index }]));
	const rawRows: CsvCell[][] = [];
	for (const workshop of workshops) {
		// sorted by point, round and answer: the file's order (which follows who answered when) is not kept
		const ratings = [...workshop.ratings].sort(
			(a, b) =>
				(codeOf.get(a.riskPointId)?.index ?? 0) - (codeOf.get(b.riskPointId)?.index ?? 0) ||
				a.round - b.round ||
				(a.likelihood ?? 0) - (b.likelihood ?? 0) ||
				(a.consequence ?? 0) - (b.consequence ?? 0)
		);
		for (const rating of ratings) {
			rawRows.push([
				workshop.title,
				codeOf.get(rating.riskPointId)?.code ?? '',
				rating.round,
				rating.likelihood ?? t('combined.dontKnow'),
				rating.consequence ?? t('combined.dontKnow')
			]);
		}
	}
	addTable(raw, [t('combined.workshop'), t('export.code'), t('export.round'), t('scale.likelihood'), t('scale.consequence')], rawRows);

	const settingsSheet = workbook.addWorksheet(sheetName(t('combined.sheetSettings'), taken));
	const settingRows: CsvCell[][] = [
		[t('combined.title'), settings.title],
		[t('combined.description'), settings.description],
		[t('combined.exportedAt'), exportedAt.toISOString()],
		[t('combined.scoringLabel'), t('combined.scoring')],
		[t('combined.weighting'), t(`combined.weighting.${results.weighting}`)],
		...settings.scales.likelihood.labels.map((label, i): CsvCell[] => [`${t('scale.likelihood')} ${i + 1}`, label]),
		...settings.scales.consequence.labels.map((label, i): CsvCell[] => [`${t('scale.consequence')} ${i + 1}`, label]),
		...Array.from({ length: LEVELS }, (_, i): CsvCell[] => {
			const likelihood = LEVELS - i;
			const levels = settings.matrix.levels[likelihood - 1] ?? [];
			return [`${t('combined.matrix')}: ${t('scale.likelihood')} ${likelihood}`, levels.map((level) => t(levelKey(level))).join(' | ')];
		}),
		...workshops.map((workshop): CsvCell[] => [
			`${t('combined.workshop')}: ${workshop.title}`,
			`${t(`combined.kind.${workshop.kind}`)}, ${t(`status.${workshop.status}`)}, ${workshop.members} ${t('combined.members').toLowerCase()}`
		])
	];
	addTable(settingsSheet, [t('combined.setting'), t('combined.value')], settingRows);

	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * Noto Sans, embedded (only the glyphs used): it has every letter of Norwegian and the Sami
 * languages (ŋ ŧ đ č š ž á), which the PDF's built-in Helvetica does not.
 */
const require = createRequire(import.meta.url);
const FONTS = {
	Body: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
	'Body-Bold': require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
	'Body-Italic': require.resolve('@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf')
};

/** Narrow spaces and minus signs from number formatting, as plain characters. */
const pdfText = (text: string) => text.replace(/\u2212/g, '-').replace(/\u202f/g, ' ');

/**
 * The printable report (A4): title page, method and scales, the matrix as a picture, the ranked
 * list with flags, per-workshop appendices with their rankings and notes; page numbers in the foot.
 */
export function assessmentToPdf({ assessment: settings, results, workshops, exportedAt: exportedIso }: ExportInput): Promise<Uint8Array> {
	const exportedAt = new Date(exportedIso);
	const language = settings.language;
	const t = (key: MessageKey, params?: Record<string, string | number>) => pdfText(translate(language, key, params));
	const n = (value: number | null, digits: number) => (value === null ? '-' : pdfText(formatNumber(language, value, digits)));
	const doc = new PDFDocument({
		size: 'A4',
		margins: { top: 56, bottom: 64, left: 56, right: 56 },
		bufferPages: true,
		info: { Title: settings.title, Author: 'Risikoverksted', Subject: translate(language, 'report.subtitle'), CreationDate: exportedAt }
	});
	for (const [name, path] of Object.entries(FONTS)) doc.registerFont(name, path);
	doc.font('Body');
	const chunks: Buffer[] = [];
	doc.on('data', (chunk: Buffer) => chunks.push(chunk));
	const done = new Promise<Uint8Array>((resolve) => doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks)))));
	const left = doc.page.margins.left;
	const width = doc.page.width - left - doc.page.margins.right;
	const bottom = () => doc.page.height - doc.page.margins.bottom;
	const ink = '#1b1b1b';
	const brand = '#1a4d7a';
	const muted = '#4d5358';
	const date = exportedAt.toISOString().slice(0, 10);
	const members = results.workshops.reduce((sum, w) => sum + w.members, 0);

	// title page
	doc.rect(0, 0, doc.page.width, 14).fill(brand);
	doc.fillColor(muted).font('Body').fontSize(14).text(t('report.subtitle'), left, 180);
	doc.fillColor(ink).font('Body-Bold').fontSize(28).text(pdfText(settings.title), left, 205, { width });
	if (settings.description) doc.moveDown(0.8).font('Body').fontSize(13).fillColor(ink).text(pdfText(settings.description), { width });
	doc
		.moveDown(1.5)
		.font('Body')
		.fontSize(12)
		.fillColor(muted)
		.text(t('report.summary', { workshops: results.workshops.length, members, points: settings.riskPoints.length, date }), { width });
	doc.moveDown(0.5).text(t(`combined.weighting.${results.weighting}`), { width });

	const heading = (text: string) => {
		doc.fillColor(brand).font('Body-Bold').fontSize(17).text(pdfText(text), left, doc.y, { width });
		doc.moveDown(0.4).fillColor(ink).font('Body').fontSize(10.5);
	};

	// method, scales and the workshops
	doc.addPage();
	heading(t('report.method'));
	doc.text(t('report.methodText'), { width, align: 'left' });
	doc.moveDown(0.5).text(`${t('combined.scoring')} ${t(`combined.weighting.${results.weighting}`)}.`, { width });
	doc.moveDown(1);
	heading(t('report.scales'));
	for (let level = 1; level <= LEVELS; level++) {
		doc.text(
			`${level}:  ${pdfText(settings.scales.likelihood.labels[level - 1] ?? '')}  /  ${pdfText(settings.scales.consequence.labels[level - 1] ?? '')}`,
			{ width }
		);
	}
	doc.fontSize(9).fillColor(muted).text(`(${t('scale.likelihood')} / ${t('scale.consequence')})`);
	doc.moveDown(1);
	heading(t('report.workshopsTable'));
	if (results.workshops.length === 0) doc.text(t('report.noWorkshops'));
	for (const [index, workshop] of results.workshops.entries()) {
		const agreement = results.agreement[index];
		doc.text(
			`${pdfText(workshop.title)} - ${t(`combined.kind.${workshop.kind}`)}, ${t(`status.${workshop.status}`)}, ${workshop.members} ${t('combined.members').toLowerCase()}` +
				(agreement?.kendallTau !== null && agreement?.kendallTau !== undefined ? `, tau ${n(agreement.kendallTau, 2)}` : ''),
			{ width }
		);
	}
	doc.fontSize(9).fillColor(muted).moveDown(0.3).text(t('combined.kendall'), { width });

	// the matrix as a picture
	doc.addPage();
	heading(t('report.matrix'));
	const size = Math.min(width - 60, 380);
	const cell = size / LEVELS;
	const x0 = left + 50;
	const y0 = doc.y + 10;
	const byCell = new Map<string, string[]>();
	for (const point of results.riskPoints) {
		if (!point.cell) continue;
		const key = `${point.cell.likelihood}-${point.cell.consequence}`;
		byCell.set(key, [...(byCell.get(key) ?? []), point.code]);
	}
	for (let likelihood = 1; likelihood <= LEVELS; likelihood++) {
		for (let consequence = 1; consequence <= LEVELS; consequence++) {
			const level = settings.matrix.levels[likelihood - 1]?.[consequence - 1] ?? 'low';
			const x = x0 + (consequence - 1) * cell;
			const y = y0 + (LEVELS - likelihood) * cell;
			doc.rect(x, y, cell, cell).fillAndStroke(`#${LEVEL_FILL[level]}`, '#ffffff');
			doc.fillColor(muted).fontSize(7).text(String(likelihood * consequence), x + cell - 16, y + 3, { width: 13, align: 'right' });
			const codes = byCell.get(`${likelihood}-${consequence}`) ?? [];
			if (codes.length) doc.fillColor(ink).font('Body-Bold').fontSize(8).text(codes.join(', '), x + 4, y + 14, { width: cell - 8, height: cell - 16, ellipsis: true });
			doc.font('Body');
		}
	}
	doc.fillColor(ink).fontSize(10);
	for (let level = 1; level <= LEVELS; level++) {
		doc.text(String(level), x0 + (level - 1) * cell, y0 + size + 4, { width: cell, align: 'center' });
		doc.text(String(level), x0 - 18, y0 + (LEVELS - level) * cell + cell / 2 - 5, { width: 12, align: 'right' });
	}
	doc.font('Body-Bold').text(t('scale.consequence'), x0, y0 + size + 18, { width: size, align: 'center' });
	doc.save().rotate(-90, { origin: [left + 8, y0 + size / 2] }).text(t('scale.likelihood'), left + 8 - size / 2, y0 + size / 2 - 6, { width: size, align: 'center' }).restore();
	doc.font('Body').fontSize(9).fillColor(muted);
	const legendY = y0 + size + 40;
	(['high', 'medium', 'low'] as const).forEach((level, i) => {
		const x = x0 + i * 110;
		doc.rect(x, legendY, 10, 10).fillAndStroke(`#${LEVEL_FILL[level]}`, ink);
		doc.fillColor(ink).text(t(levelKey(level)), x + 15, legendY + 1);
	});
	doc.fillColor(muted).text(pdfText(t('matrix.help')), x0, legendY + 20, { width: size });

	// a ranked table that breaks across pages
	const rankedTable = (
		rows: { rank: string; code: string; text: string; score: string; level: MatrixLevel | null; levelText: string; extra: string; notes: string[] }[],
		extraHeader: string
	) => {
		const columns = [
			{ title: t('export.rank'), width: 32 },
			{ title: t('export.code'), width: 40 },
			{ title: t('export.text'), width: width - 32 - 40 - 50 - 62 - 90 },
			{ title: t('export.score'), width: 50 },
			{ title: t('export.level'), width: 62 },
			{ title: extraHeader, width: 90 }
		];
		const drawHeader = () => {
			let x = left;
			const y = doc.y;
			doc.font('Body-Bold').fontSize(9).fillColor(ink);
			for (const column of columns) {
				doc.text(column.title, x + 2, y, { width: column.width - 4 });
				x += column.width;
			}
			doc.y = y + 24;
			doc.moveTo(left, doc.y - 4).lineTo(left + width, doc.y - 4).lineWidth(0.8).stroke(ink);
		};
		drawHeader();
		for (const row of rows) {
			doc.font('Body').fontSize(9);
			const textHeight = doc.heightOfString(pdfText(row.text), { width: columns[2]!.width - 4 });
			const notesText = row.notes.map(pdfText).join('\n');
			const notesHeight = notesText ? doc.fontSize(8).heightOfString(notesText, { width: columns[2]!.width - 4 }) + 2 : 0;
			doc.fontSize(9);
			const height = Math.max(14, textHeight + notesHeight) + 6;
			if (doc.y + height > bottom()) {
				doc.addPage();
				drawHeader();
			}
			const y = doc.y;
			if (row.level) doc.rect(left + columns.slice(0, 4).reduce((s, c) => s + c.width, 0), y - 3, columns[4]!.width, height).fill(`#${LEVEL_FILL[row.level]}`);
			doc.fillColor(ink);
			const cells = [row.rank, row.code, row.text, row.score, row.levelText, row.extra];
			let x = left;
			cells.forEach((value, i) => {
				doc.font(i === 1 ? 'Body-Bold' : 'Body').fontSize(9).text(pdfText(value), x + 2, y, { width: columns[i]!.width - 4 });
				x += columns[i]!.width;
			});
			if (notesText) doc.font('Body-Italic').fontSize(8).fillColor(muted).text(notesText, left + 74, y + textHeight + 2, { width: columns[2]!.width - 4 });
			doc.y = y + height;
			doc.moveTo(left, doc.y - 3).lineTo(left + width, doc.y - 3).lineWidth(0.3).stroke('#b9c2cb');
		}
		doc.fillColor(ink);
	};

	const notesByPoint = new Map<string, string[]>();
	for (const workshop of workshops) {
		for (const [pointId, notes] of Object.entries(workshop.notes)) {
			const parts = [notes.discussion, notes.measures && `${translate(language, 'results.measures')} ${notes.measures}`].filter(Boolean);
			if (parts.length) notesByPoint.set(pointId, [...(notesByPoint.get(pointId) ?? []), `${workshop.title}: ${parts.join(' ')}`]);
		}
	}

	doc.addPage();
	heading(t('report.rankedList'));
	rankedTable(
		results.riskPoints.map((point) => ({
			rank: point.score === null ? '-' : String(point.rank),
			code: point.code,
			text: point.text,
			score: n(point.score, 2),
			level: point.level,
			levelText: point.level ? t(levelKey(point.level)) : t('results.notRated'),
			extra: `${point.workshopsRated}/${results.workshops.length}${point.flaggedIn > 0 ? `, ${t('report.flag').toLowerCase()} ${point.flaggedIn}` : ''}`,
			notes: notesByPoint.get(point.id) ?? []
		})),
		t('combined.workshopsRated')
	);

	for (const workshop of workshops) {
		doc.addPage();
		heading(t('report.appendix', { workshop: workshop.title }));
		doc.text(
			`${t(`combined.kind.${workshop.kind}`)}, ${t(`status.${workshop.status}`)}, ${workshop.members} ${t('combined.members').toLowerCase()}`
		);
		doc.moveDown(0.6);
		const own = workshop.results;
		rankedTable(
			own.riskPoints.map((point) => ({
				rank: point.score === null ? '-' : String(point.rank),
				code: point.code,
				text: point.text,
				score: n(point.score, 2),
				level: point.level,
				levelText: point.level ? t(levelKey(point.level)) : t('results.notRated'),
				extra: `${point.responses}${point.disagreement ? `, ${t('report.flag').toLowerCase()}` : ''}${point.round > 1 ? `, ${t('results.roundShort', { round: point.round }).toLowerCase()}` : ''}`,
				notes: [point.notes.discussion, point.notes.measures && `${translate(language, 'results.measures')} ${point.notes.measures}`].filter(Boolean)
			})),
			t('results.answers')
		);
	}

	// page numbers (not on the title page)
	const range = doc.bufferedPageRange();
	for (let i = 1; i < range.count; i++) {
		doc.switchToPage(range.start + i);
		// writing below the bottom margin would start a new page: lift it while the footer is drawn
		const margin = doc.page.margins.bottom;
		doc.page.margins.bottom = 0;
		doc.font('Body').fontSize(8).fillColor(muted);
		const footerY = doc.page.height - 40;
		doc.text(pdfText(settings.title), left, footerY, { width: width / 2, lineBreak: false });
		doc.text(t('report.page', { page: i + 1, pages: range.count }), left + width / 2, footerY, { width: width / 2, align: 'right', lineBreak: false });
		doc.page.margins.bottom = margin;
	}
	doc.end();
	return done;
}
