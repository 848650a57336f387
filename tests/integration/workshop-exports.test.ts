/**
 * A workshop on its own gets the reports an assessment gets (a tagged PDF, a workbook) and the
 * matrix as a picture (SVG and PNG), every figure the same as the workshop's own results.
 */
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkshopResults } from '../../src/lib/domain/results';
import { call, createWorkshop, joinAsMember } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

const POINTS = [
	'Barnas behov blir ikke kartlagt',
	'Nødhjelp gis ikke samme dag',
	'Vedtak er mangelfullt begrunnet',
	'Samiske brukere (Guovdageaidnu, Kárášjohka) får ikke tolk: ŋ ŧ đ č š ž á',
	'Oppfølging etter vedtak mangler <helt> & "ofte"',
	'Det er ingen rutiner for å fange opp brukere som ikke møter til avtalt samtale med veileder ved kontoret',
	'Ingen har vurdert dette punktet'
];
/** [likelihood, consequence] per member per point; null: not answered */
const ANSWERS: ([number, number] | null)[][] = [
	[[4, 5], [3, 3], [2, 2], [5, 4], [1, 1], [3, 4], null],
	[[5, 5], [3, 4], [2, 3], [4, 4], [1, 2], [3, 4], null],
	[[4, 4], [2, 3], [2, 2], [5, 5], null, [4, 4], null],
	[[4, 5], [3, 3], [1, 2], [4, 5], null, [3, 5], null]
];

async function ratedWorkshop(title: string) {
	const workshop = await createWorkshop(server.url, POINTS, { title, anonymous: false });
	for (const member of ANSWERS) {
		const joined = await joinAsMember(server.url, workshop.joinCode);
		for (const [index, answer] of member.entries()) {
			if (!answer) continue;
			const ack = await joined.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[index]!, likelihood: answer[0], consequence: answer[1] });
			expect(ack).toMatchObject({ ok: true });
		}
		joined.socket.close();
	}
	return workshop;
}

describe('the reports of a workshop on its own', () => {
	it('are the same tagged PDF and workbook as an assessment has, with the workshop’s own figures', async () => {
		const workshop = await ratedWorkshop('Tilsyn Finnmark');
		const key = { key: workshop.facilitatorKey };
		const json = await call(server.url, `/api/workshops/${workshop.id}/export.json`, key);
		const results = json.body as WorkshopResults;
		const set = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', ...key, json: { caseNumber: '2026/4711', draft: true, topN: 3 } });
		expect(set.status).toBe(200);

		// the workbook: the ranked list as the workshop ranks it, no sheet comparing workshops
		const xlsx = await fetch(`${server.url}/api/workshops/${workshop.id}/export.xlsx`, { headers: { authorization: `Bearer ${workshop.facilitatorKey}` } });
		expect(xlsx.status).toBe(200);
		expect(xlsx.headers.get('content-disposition')).toContain('tilsyn-finnmark.xlsx');
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(await xlsx.arrayBuffer());
		const names = book.worksheets.map((sheet) => sheet.name);
		expect(names).not.toContain('Samsvar');
		const sheet = book.worksheets[0]!;
		const header = (sheet.getRow(1).values as unknown[]).slice(1);
		expect(header).not.toContain('Rang i Tilsyn Finnmark');
		const column = (name: string) => header.indexOf(name) + 1;
		for (const point of results.riskPoints) {
			const row = [...Array(sheet.rowCount).keys()].map((i) => sheet.getRow(i + 2)).find((r) => r.getCell(column('Kode')).value === point.code)!;
			expect(row, point.code).toBeTruthy();
			// the full value, shown with two decimals by the cell's format
			const cell = row.getCell(column('Risikoskår'));
			if (point.score === null) expect(cell.value, point.code).toBeNull();
			else {
				expect(cell.value, point.code).toBeCloseTo(point.score, 9);
				expect(cell.numFmt, point.code).toBe('0.00');
			}
			expect(row.getCell(column('Rang')).value ?? null, point.code).toBe(point.rankStatus === 'notRated' ? null : point.rank);
		}
		// the too-few-answers point (2 answers, minimum 3) and the unrated one are marked
		const byText = (text: string) => results.riskPoints.find((point) => point.text === text)!;
		expect(byText(POINTS[4]!).rankStatus).toBe('tooFewAnswers');
		expect(byText(POINTS[6]!).rankStatus).toBe('notRated');

		// the PDF: the front page's settings, members truthfully, every placed point, no appendix
		const pdf = await fetch(`${server.url}/api/workshops/${workshop.id}/export.pdf`, { headers: { authorization: `Bearer ${workshop.facilitatorKey}` } });
		expect(pdf.status).toBe(200);
		expect(pdf.headers.get('content-type')).toBe('application/pdf');
		const bytes = new Uint8Array(await pdf.arrayBuffer());
		expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/StructTreeRoot \d+ 0 R/);
		const { text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
		const flat = text.replace(/\s+/g, ' ');
		expect(flat).toContain('Tilsyn Finnmark');
		expect(flat).toContain('2026/4711');
		expect(flat).toMatch(/FORELØPIG/i);
		expect(flat).toContain('4 deltakere ble med, 4 svarte. 7 risikopunkter.');
		expect(flat).toContain('ŋ ŧ đ č š ž á');
		expect(flat).not.toContain('Vedlegg');
		expect(flat).not.toContain('parvis');
		expect(flat).toContain('For få svar');
	}, 60_000);

	it('include the matrix as SVG and PNG: every point in its cell, its full text in the legend, nothing cut', async () => {
		const workshop = await ratedWorkshop('Matrise <&> "test"');
		const headers = { authorization: `Bearer ${workshop.facilitatorKey}` };
		const results = (await call(server.url, `/api/workshops/${workshop.id}/export.json`, { key: workshop.facilitatorKey })).body as WorkshopResults;

		const svgResponse = await fetch(`${server.url}/api/workshops/${workshop.id}/matrix.svg`, { headers });
		expect(svgResponse.status).toBe(200);
		expect(svgResponse.headers.get('content-type')).toContain('image/svg+xml');
		const svg = await svgResponse.text();
		// well-formed and accessible: a title and a description, the title's characters escaped
		expect(svg).toContain('<title id="matrix-title">');
		expect(svg).toContain('<desc id="matrix-desc">');
		expect(svg).toContain('Matrise &lt;&amp;&gt; &quot;test&quot;');
		expect(svg).not.toContain('…');
		const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
		const all = texts.join(' ');
		for (const point of results.riskPoints) {
			if (point.cell === null) continue;
			// the code in the cell and the full text (wrapped over lines) in the legend
			expect(texts.some((line) => line.split(', ').includes(point.code)), point.code).toBe(true);
			expect(all.replace(/\s+/g, ' '), point.code).toContain(point.text.split(' ').slice(0, 4).join(' '));
			for (const word of point.text.split(' ')) expect(all, word).toContain(word);
		}
		expect(all).toContain('1 punkter uten skår står ikke i matrisen.');

		const png = await fetch(`${server.url}/api/workshops/${workshop.id}/matrix.png`, { headers });
		expect(png.status).toBe(200);
		expect(png.headers.get('content-type')).toBe('image/png');
		const image = Buffer.from(await png.arrayBuffer());
		expect(image.subarray(1, 4).toString()).toBe('PNG');
		// twice the SVG's width (IHDR: width at byte 16)
		expect(image.readUInt32BE(16)).toBe(2 * Number(/width="(\d+)"/.exec(svg)![1]));

		// the key is needed
		expect((await fetch(`${server.url}/api/workshops/${workshop.id}/matrix.svg`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/workshops/${workshop.id}/export.pdf`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(403);
	}, 60_000);

	it('an assessment’s combined matrix downloads as SVG and PNG too', async () => {
		const created = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Samlet', riskPoints: POINTS.map((text) => ({ text })) } })).body;
		const headers = { authorization: `Bearer ${created.ownerKey}` };
		const svg = await fetch(`${server.url}/api/assessments/${created.id}/matrix.svg?weighting=member`, { headers });
		expect(svg.status).toBe(200);
		expect(svg.headers.get('content-disposition')).toContain('samlet-matrise-hvert-medlem-likt.svg');
		expect(await svg.text()).toContain('7 punkter uten skår står ikke i matrisen.');
		const png = await fetch(`${server.url}/api/assessments/${created.id}/matrix.png`, { headers });
		expect(png.status).toBe(200);
		expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
	}, 60_000);
});
