import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CombinedResults } from '../../src/lib/domain/combined';
import { call, joinAsMember } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

const POINTS = ['Barnas behov blir ikke tilstrekkelig kartlagt', 'Nødhjelp gis ikke samme dag', '=Vedtak er mangelfullt begrunnet'];

interface Created {
	id: string;
	ownerKey: string;
}
interface CreatedWorkshop {
	id: string;
	joinCode: string;
	facilitatorKey: string;
}

/** Every member of a workshop gives the same answer per point: [L, C] per point. */
async function rateWorkshop(workshop: CreatedWorkshop, members: number, answers: [number, number][]) {
	// each workshop of the assessment has its own key
	const opened = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'open' } });
	expect(opened.status).toBe(200);
	const list = await call(server.url, `/api/workshops/${workshop.id}/risk-points`, { key: workshop.facilitatorKey });
	const ids: string[] = list.body.riskPoints.map((p: { id: string }) => p.id);
	for (let m = 0; m < members; m++) {
		const member = await joinAsMember(server.url, workshop.joinCode);
		for (const [index, [likelihood, consequence]] of answers.entries()) {
			const ack = await member.socket.emitWithAck('rate', { riskPointId: ids[index]!, likelihood, consequence });
			expect(ack).toMatchObject({ ok: true });
		}
		member.socket.close();
	}
}

describe('an assessment across workshops', () => {
	it('combines a national panel and three regional workshops, per workshop or per member, and exports', async () => {
		const created = await call(server.url, '/api/assessments', {
			method: 'POST',
			json: { title: 'Risikovurdering sosiale tjenester', description: 'Nav, 2026', riskPoints: POINTS.map((text) => ({ text })), privacy: 'named' }
		});
		expect(created.status).toBe(201);
		const assessment = created.body as Created;
		expect(assessment.ownerKey.length).toBeGreaterThanOrEqual(40);
		const path = `/api/assessments/${assessment.id}`;
		const owner = { key: assessment.ownerKey };

		const national = await call(server.url, `${path}/workshops`, { method: 'POST', ...owner, json: { kind: 'national' } });
		expect(national.status).toBe(201);
		const regions: CreatedWorkshop[] = [];
		for (const title of ['Statsforvalteren i Agder', 'Statsforvalteren i Vestland', 'Statsforvalteren i Nordland']) {
			const made = await call(server.url, `${path}/workshops`, { method: 'POST', ...owner, json: { kind: 'regional', title } });
			regions.push(made.body.workshops[0]);
		}
		const nationalWorkshop = national.body.workshops[0] as CreatedWorkshop;

		// national: 4 members; regions: 2, 2 and 6 members; each member of a workshop answers alike
		await rateWorkshop(nationalWorkshop, 4, [[5, 5], [2, 2], [3, 3]]);
		await rateWorkshop(regions[0]!, 2, [[4, 4], [4, 4], [1, 1]]);
		await rateWorkshop(regions[1]!, 2, [[3, 5], [1, 1], [2, 2]]);
		await rateWorkshop(regions[2]!, 6, [[1, 1], [5, 5], [2, 3]]);

		const byWorkshop = (await call(server.url, `${path}/results`, owner)).body as CombinedResults;
		expect(byWorkshop.weighting).toBe('workshop');
		// R1: L (5+4+3+1)/4 = 3.25, C (5+4+5+1)/4 = 3.75 -> 12.1875
		// R2: L (2+4+1+5)/4 = 3, C 3 -> 9;  R3: L (3+1+2+2)/4 = 2, C (3+1+2+3)/4 = 2.25 -> 4.5
		expect(byWorkshop.riskPoints.map((p) => [p.code, p.rank, p.score])).toEqual([
			['R1', 1, 12.1875],
			['R2', 2, 9],
			['R3', 3, 4.5]
		]);
		expect(byWorkshop.riskPoints[0]!.workshops.map((w) => w.rank)).toEqual([1, 1, 1, 3]);
		expect(byWorkshop.riskPoints[0]!.cell).toEqual({ likelihood: 3, consequence: 4 });

		const byMember = (await call(server.url, `${path}/results?weighting=member`, owner)).body as CombinedResults;
		// 14 members. R1: L (4*5+2*4+2*3+6*1)/14 = 40/14, C (20+8+10+6)/14 = 44/14
		// R2: L (8+8+2+30)/14 = 48/14, C 48/14;  R3: L (12+2+4+12)/14 = 30/14, C (12+2+4+18)/14 = 36/14
		expect(byMember.riskPoints.map((p) => p.code)).toEqual(['R2', 'R1', 'R3']);
		expect(byMember.riskPoints[0]!.score).toBeCloseTo((48 / 14) ** 2, 10);
		expect(byMember.riskPoints[1]!.score).toBeCloseTo((40 / 14) * (44 / 14), 10);

		// Kendall's tau-b of each workshop against the combined (by workshop) scores of the OTHERS:
		// national 25, 4, 9 vs others 80/9, 100/9, 10/3: (R1,R2)- (R1,R3)+ (R2,R3)- -> -1/3;
		// Agder 16 = 16 > 1 vs 11, 64/9, 56/9: tie in x, +, + -> 2/sqrt(3*2)
		const tau = Object.fromEntries(byWorkshop.agreement.map((a) => [a.title, a.kendallTau]));
		expect(tau['Nasjonalt fagpanel']).toBeCloseTo(-1 / 3, 10);
		expect(tau['Statsforvalteren i Agder']).toBeCloseTo(2 / Math.sqrt(6), 10);
		// Vestland 15, 1, 4 vs 100/9, 121/9, 14/3: -, +, - -> -1/3; Nordland 1, 25, 6 vs 56/3, 49/9, 4: -, -, + -> -1/3
		expect(tau['Statsforvalteren i Vestland']).toBeCloseTo(-1 / 3, 10);
		expect(tau['Statsforvalteren i Nordland']).toBeCloseTo(-1 / 3, 10);

		// a point added after Nordland closed is not rated there, and is marked so
		await call(server.url, `/api/workshops/${regions[2]!.id}`, { method: 'PATCH', key: regions[2]!.facilitatorKey, json: { status: 'closed' } });
		const added = await call(server.url, `${path}/risk-points`, { method: 'POST', ...owner, type: 'text/plain', body: 'Klager behandles ikke innen fristen' });
		expect(added.status).toBe(201);
		expect(added.body.added.map((p: { code: string }) => p.code)).toEqual(['R4']);
		const later = (await call(server.url, `${path}/results`, owner)).body as CombinedResults;
		const r4 = later.riskPoints.find((p) => p.code === 'R4')!;
		expect(r4.workshops.map((w) => w.inList)).toEqual([true, true, true, false]);
		expect(r4.score).toBeNull();
		// the list cannot be replaced any more
		const replaced = await call(server.url, `${path}/risk-points`, { method: 'PUT', ...owner, type: 'text/plain', body: 'Ny liste' });
		expect(replaced.status).toBe(409);

		// the workbook, read back cell by cell
		const xlsx = await fetch(`${server.url}${path}/export.xlsx`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } });
		expect(xlsx.status).toBe(200);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await xlsx.arrayBuffer());
		expect(workbook.worksheets.map((s) => s.name)).toEqual([
			'Samlet rangering',
			'Nasjonalt fagpanel',
			'Statsforvalteren i Agder',
			'Statsforvalteren i Vestland',
			'Statsforvalteren i Nordland',
			'Samsvar',
			'Følsomhet',
			'Rådata (anonymt)',
			'Metode'
		]);
		const combined = workbook.getWorksheet('Samlet rangering')!;
		expect(combined.getRow(1).getCell(1).value).toBe('Rang');
		const header = (combined.getRow(1).values as unknown[]).map(String);
		expect(header).toContain('Rang: Nasjonalt fagpanel');
		// figures at full precision (12.1875, printed 12.19), shown with two decimals by the number format
		expect([1, 2, 3, 4, 6, 7].map((c) => combined.getRow(2).getCell(c).value)).toEqual([1, 'Rangert', 'R1', POINTS[0], 12.1875, 'Høy']);
		expect(combined.getRow(2).getCell(6).numFmt).toBe('0.00');
		expect(combined.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
		expect(combined.autoFilter).toBeTruthy();
		// text that looks like a formula is a text cell, shown as typed (no apostrophe)
		expect(combined.getRow(4).getCell(4).value).toBe('=Vedtak er mangelfullt begrunnet');
		expect(combined.getRow(4).getCell(4).type).toBe(ExcelJS.ValueType.String);
		expect(combined.getRow(5).getCell(header.indexOf('Rang: Statsforvalteren i Nordland')).value).toBe('ikke vurdert (lagt til senere)');
		const raw = workbook.getWorksheet('Rådata (anonymt)')!;
		expect(raw.rowCount).toBe(1 + 14 * 3);
		expect(raw.getRow(1).values).toEqual([undefined, 'Workshop', 'Kode', 'Runde', 'Sannsynlighet', 'Konsekvens', 'Begrunnelse']);
		expect(raw.getRow(2).values).toEqual([undefined, 'Nasjonalt fagpanel', 'R1', 1, 5, 5]);
		const methodSheet = workbook.getWorksheet('Metode')!;
		expect(methodSheet.getRow(8).getCell(2).value).toBe('Hver workshop teller likt (snitt av workshopenes snitt)');
		expect(JSON.stringify(raw.getSheetValues())).not.toMatch(/participant/i);

		// CSV and JSON: the weighting named in a column and in the file name
		const csv = await call(server.url, `${path}/export.csv?weighting=member`, owner);
		expect(csv.headers.get('content-disposition')).toContain('-hvert-medlem-likt.csv');
		expect(csv.text.split('\r\n')[1]).toMatch(/^1;Rangert;R2;Nødhjelp gis ikke samme dag;;11,76;Høy;3;3;3,43;3,43;\d+;\d+;[\d,]+;\d+;\d+;4;14;14;0;3;1;3;1;Hvert panelmedlem teller likt/);
		const json = await call(server.url, `${path}/export.json`, owner);
		expect(json.body.weighting).toBe('workshop');
		expect(json.body.riskPoints[0].code).toBe('R1');
		expect(json.body.analysis.uncertainty.resamples).toBe(2000);

		// the report: its sections, and a page count in the foot
		const pdf = await fetch(`${server.url}${path}/export.pdf`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } });
		expect(pdf.headers.get('content-type')).toBe('application/pdf');
		const pdfBytes = new Uint8Array(await pdf.arrayBuffer());
		if (process.env.REPORT_PDF) writeFileSync(process.env.REPORT_PDF, pdfBytes);
		const document = await getDocumentProxy(pdfBytes);
		const { text } = await extractText(document, { mergePages: false });
		const all = text.join('\n');
		expect(text[0]).toContain('Risikovurdering sosiale tjenester');
		for (const heading of ['Metode', 'Rangert liste', 'Risikomatrise', 'Vedlegg: Nasjonalt fagpanel', 'Barnas behov blir ikke tilstrekkelig kartlagt']) {
			expect(all).toContain(heading);
		}
		expect(text[text.length - 1]).toContain(`Side ${document.numPages} av ${document.numPages}`);

		// overview
		const overview = await call(server.url, path, owner);
		expect(overview.body.workshops.map((w: { members: number; answers: number; status: string }) => [w.members, w.answers, w.status])).toEqual([
			[4, 12, 'open'],
			[2, 6, 'open'],
			[2, 6, 'open'],
			[6, 18, 'closed']
		]);
	});

	it('creates the ten county governor workshops in one call, with the shared list and scales', async () => {
		const created = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Alle fylker', riskPoints: [{ text: 'A' }] } })).body as Created;
		const made = await call(server.url, `/api/assessments/${created.id}/workshops`, {
			method: 'POST',
			key: created.ownerKey,
			json: { preset: 'county-governors' }
		});
		expect(made.status).toBe(201);
		expect(made.body.workshops).toHaveLength(10);
		const overview = await call(server.url, `/api/assessments/${created.id}`, { key: created.ownerKey });
		expect(overview.body.workshops.map((w: { title: string }) => w.title)).toContain('Statsforvalteren i Troms og Finnmark');
		const codes = new Set(made.body.workshops.map((w: { joinCode: string }) => w.joinCode));
		expect(codes.size).toBe(10);
		// a workshop's own key works for that workshop only, and its list belongs to the assessment
		const first = made.body.workshops[0];
		const list = await call(server.url, `/api/workshops/${first.id}/risk-points`, { key: first.facilitatorKey });
		expect(list.body.riskPoints.map((p: { text: string }) => p.text)).toEqual(['A']);
		const put = await call(server.url, `/api/workshops/${first.id}/risk-points`, { method: 'PUT', key: first.facilitatorKey, type: 'text/plain', body: 'B' });
		expect(put.status).toBe(409);
		const wrong = await call(server.url, `/api/assessments/${created.id}`, { key: first.facilitatorKey });
		expect(wrong.status).toBe(403);
	});

	it('imports the list from an .xlsx sheet by name and saves it as a template', async () => {
		const workbook = new ExcelJS.Workbook();
		workbook.addWorksheet('Forside').addRow(['Ikke denne']);
		const sheet = workbook.addWorksheet('Risikopunkter');
		sheet.addRow(['Kode', 'Tekst', 'Kategori']);
		sheet.addRow(['K1', 'Barnas behov blir ikke kartlagt', 'kartlegging']);
		sheet.addRow(['K2', 'Vedtak mangler begrunnelse – æøå', 'vurdering og beslutning']);
		const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
		const created = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Fra Excel' } })).body as Created;
		const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
		const put = await call(server.url, `/api/assessments/${created.id}/risk-points?sheet=Risikopunkter`, {
			method: 'PUT',
			key: created.ownerKey,
			type,
			body: bytes
		});
		expect(put.status).toBe(200);
		expect(put.body.riskPoints.map((p: { code: string; text: string; category: string }) => [p.code, p.text, p.category])).toEqual([
			['K1', 'Barnas behov blir ikke kartlagt', 'kartlegging'],
			['K2', 'Vedtak mangler begrunnelse – æøå', 'vurdering og beslutning']
		]);
		const missing = await call(server.url, `/api/assessments/${created.id}/risk-points?sheet=Nei`, { method: 'PUT', key: created.ownerKey, type, body: bytes });
		expect(missing.status).toBe(400);
		expect(missing.body.error).toContain('«Risikopunkter»');
		const broken = await call(server.url, `/api/assessments/${created.id}/risk-points`, { method: 'PUT', key: created.ownerKey, type, body: 'not a zip' });
		expect(broken.status).toBe(400);
		expect((await call(server.url, `/api/assessments/${created.id}/risk-points`, { key: created.ownerKey })).body.riskPoints).toHaveLength(2);

		const template = await call(server.url, `/api/assessments/${created.id}/template`, { method: 'POST', key: created.ownerKey, json: { title: 'Mal 2026' } });
		expect(template.status).toBe(201);
		const listed = await call(server.url, '/api/templates', { key: created.ownerKey });
		expect(listed.body.templates).toEqual([expect.objectContaining({ id: template.body.id, title: 'Mal 2026', points: 2 })]);
		const next = await call(server.url, '/api/assessments', {
			method: 'POST',
			json: { title: 'Neste år', templateId: template.body.id, templateKey: created.ownerKey }
		});
		const nextList = await call(server.url, `/api/assessments/${next.body.id}/risk-points`, { key: next.body.ownerKey });
		expect(nextList.body.riskPoints.map((p: { code: string }) => p.code)).toEqual(['K1', 'K2']);
	});
});
