/**
 * Guidance per scale level (issue 14, item 5): set with the scales of a workshop or an assessment
 * (and kept in its template), sent to members with the scales, printed in the reports; like the
 * labels, it cannot change once anyone has answered.
 */
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createWorkshop, joinAsMember } from '../helpers/clients';
import { startServer, storedWorkshop, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

const LABELS = ['Svært lite sannsynlig', 'Lite sannsynlig', 'Moderat', 'Sannsynlig', 'Svært sannsynlig'];
const GUIDANCE = ['Sjeldnere enn hvert tiende år', 'Hvert tiende år', 'Hvert år', '', 'Flere ganger i året'];
const CONSEQUENCES = ['Svært liten', 'Liten', 'Moderat', 'Alvorlig', 'Svært alvorlig'];
const scales = { likelihood: { labels: LABELS, descriptions: GUIDANCE }, consequence: { labels: CONSEQUENCES } };

describe('scale guidance', () => {
	it('reaches members with the scales and is printed in the reports', async () => {
		const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt']);
		const set = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { scales } });
		expect(set.status).toBe(200);
		// too long: refused with the reason
		const long = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { scales: { ...scales, likelihood: { labels: LABELS, descriptions: LABELS.map(() => 'x'.repeat(141)) } } } });
		expect(long.status).toBe(400);
		expect(long.body.error).toMatch(/descriptions/);

		const member = await joinAsMember(server.url, workshop.joinCode);
		expect(member.view.scales.likelihood.descriptions).toEqual(GUIDANCE);
		expect(await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 5, consequence: 4 })).toMatchObject({ ok: true });
		// locked once answered, like the labels
		const late = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { scales: { ...scales, consequence: { labels: CONSEQUENCES, descriptions: ['a', 'b', 'c', 'd', 'e'] } } } });
		expect(late.status).toBe(409);
		expect((await storedWorkshop(server.dataDir, workshop.id)).workshop.scales.consequence.descriptions).toBeUndefined();

		const key = { authorization: `Bearer ${workshop.facilitatorKey}` };
		const pdf = await getDocumentProxy(new Uint8Array(await (await fetch(`${server.url}/api/workshops/${workshop.id}/export.pdf`, { headers: key })).arrayBuffer()));
		const text = (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ');
		expect(text).toContain('Svært sannsynlig – Flere ganger i året');
		expect(text).toContain('Svært lite sannsynlig – Sjeldnere enn hvert tiende år');
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(await (await fetch(`${server.url}/api/workshops/${workshop.id}/export.xlsx`, { headers: key })).arrayBuffer());
		expect(book.worksheets.flatMap((sheet) => sheet.getSheetValues().flat().map(String))).toContain('Moderat – Hvert år');
		member.socket.disconnect();
	});

	it('an assessment’s scales, with guidance, go to every workshop of it until the first answer', async () => {
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Tilsyn 2027', riskPoints: [{ text: 'A' }] } })).body;
		const owner = { key: assessment.ownerKey };
		const national = (await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', ...owner, json: { kind: 'national' } })).body.workshops[0];
		expect((await call(server.url, `/api/assessments/${assessment.id}`, { method: 'PATCH', ...owner, json: { scales } })).status).toBe(200);
		expect((await storedWorkshop(server.dataDir, national.id)).workshop.scales.likelihood.descriptions).toEqual(GUIDANCE);
		// a workshop of the assessment cannot set its own
		expect((await call(server.url, `/api/workshops/${national.id}`, { method: 'PATCH', key: national.facilitatorKey, json: { scales } })).status).toBe(409);
		// the template keeps them
		const template = await call(server.url, `/api/assessments/${assessment.id}/template`, { method: 'POST', ...owner, json: { title: 'Mal med veiledning' } });
		expect(template.status).toBe(201);
		const fromTemplate = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Neste år', templateId: template.body.id, templateKey: assessment.ownerKey } })).body;
		expect((await call(server.url, `/api/assessments/${fromTemplate.id}`, { key: fromTemplate.ownerKey })).body.scales.likelihood.descriptions).toEqual(GUIDANCE);

		await call(server.url, `/api/workshops/${national.id}`, { method: 'PATCH', key: national.facilitatorKey, json: { status: 'open' } });
		const member = await joinAsMember(server.url, national.joinCode);
		expect(await member.socket.emitWithAck('rate', { riskPointId: member.view.riskPoints[0]!.id, likelihood: 2, consequence: 2 })).toMatchObject({ ok: true });
		expect((await call(server.url, `/api/assessments/${assessment.id}`, { method: 'PATCH', ...owner, json: { scales } })).status).toBe(409);
		member.socket.disconnect();
	});
});
