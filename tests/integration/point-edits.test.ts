/**
 * Fixing a typo after rating began and removing a workshop from an assessment (issue 14, item 4):
 * the answers stay, the old text is kept with the time and printed in the reports; in an
 * assessment the owner fixes it for every workshop, a regional facilitator cannot.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberWorkshopView } from '../../src/lib/protocol';
import { call, createWorkshop, joinAsMember, until } from '../helpers/clients';
import { startServer, storedWorkshop, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

const pdfText = async (path: string, key: string) => {
	const pdf = await getDocumentProxy(new Uint8Array(await (await fetch(server.url + path, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer()));
	return (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ');
};

describe('fixing a point’s text after rating began', () => {
	it('keeps the answers, records the old text with the time, and prints it in the report', async () => {
		const workshop = await createWorkshop(server.url, ['Barnas behvo blir ikke kartlagt', 'Nødhjelp gis ikke samme dag']);
		const [a] = workshop.riskPointIds as [string];
		const member = await joinAsMember(server.url, workshop.joinCode);
		for (const id of workshop.riskPointIds) expect(await member.socket.emitWithAck('rate', { riskPointId: id, likelihood: 4, consequence: 4 })).toMatchObject({ ok: true });

		const seen = until<MemberWorkshopView>(member.socket, 'workshop', (view) => view.riskPoints[0]!.text === 'Barnas behov blir ikke kartlagt');
		const before = Date.now();
		const fixed = await call(server.url, `/api/workshops/${workshop.id}/risk-points/${a}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { text: 'Barnas behov blir ikke kartlagt' } });
		expect(fixed.status).toBe(200);
		await seen;
		const stored = await storedWorkshop(server.dataDir, workshop.id);
		const point = stored.workshop.riskPoints.find((p) => p.id === a)!;
		expect(point.text).toBe('Barnas behov blir ikke kartlagt');
		expect(point.edits).toHaveLength(1);
		expect(point.edits![0]!.from).toBe('Barnas behvo blir ikke kartlagt');
		expect(Date.parse(point.edits![0]!.at)).toBeGreaterThanOrEqual(before - 1000);
		expect(stored.ratings).toHaveLength(2);

		// empty or too long: refused with the reason, nothing changed
		const empty = await call(server.url, `/api/workshops/${workshop.id}/risk-points/${a}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { text: '  ' } });
		expect(empty.status).toBe(400);
		expect(empty.body.error).toMatch(/text/);
		const wrongKey = await call(server.url, `/api/workshops/${workshop.id}/risk-points/${a}`, { method: 'PATCH', key: 'x'.repeat(40), json: { text: 'Noe annet' } });
		expect(wrongKey.status).toBe(403);
		const unknown = await call(server.url, `/api/workshops/${workshop.id}/risk-points/nope`, { method: 'PATCH', key: workshop.facilitatorKey, json: { text: 'Noe annet' } });
		expect(unknown.status).toBe(404);

		const results = (await call(server.url, `/api/workshops/${workshop.id}/export.json`, { key: workshop.facilitatorKey })).body as { riskPoints: { id: string; text: string; responses: number }[] };
		expect(results.riskPoints.find((p) => p.id === a)).toMatchObject({ text: 'Barnas behov blir ikke kartlagt', responses: 1 });
		const text = await pdfText(`/api/workshops/${workshop.id}/export.pdf`, workshop.facilitatorKey);
		expect(text).toContain('Teksten ble rettet');
		expect(text).toContain('Før: «Barnas behvo blir ikke kartlagt»');
		member.socket.disconnect();
	});

	it('in an assessment: the owner fixes it for every workshop; a workshop can be removed; a regional facilitator can do neither', async () => {
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Tilsyn 2027', riskPoints: [{ text: 'Vedtak begrunnes ikek' }, { text: 'Nødhjelp' }] } })).body;
		const owner = { key: assessment.ownerKey };
		const made = await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', ...owner, json: { kind: 'national' } });
		const national = made.body.workshops[0];
		const regional = (await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', ...owner, json: { kind: 'regional', title: 'Statsforvalteren i Agder' } })).body.workshops[0];
		await call(server.url, `/api/workshops/${national.id}`, { method: 'PATCH', key: national.facilitatorKey, json: { status: 'open' } });
		const pointId = (await call(server.url, `/api/assessments/${assessment.id}`, owner)).body.riskPoints[0].id as string;
		const member = await joinAsMember(server.url, national.joinCode);
		expect(await member.socket.emitWithAck('rate', { riskPointId: pointId, likelihood: 3, consequence: 5 })).toMatchObject({ ok: true });

		// the regional facilitator cannot change the shared list
		const refused = await call(server.url, `/api/workshops/${regional.id}/risk-points/${pointId}`, { method: 'PATCH', key: regional.facilitatorKey, json: { text: 'Noe annet' } });
		expect(refused.status).toBe(409);
		const ownerFix = await call(server.url, `/api/assessments/${assessment.id}/risk-points/${pointId}`, { method: 'PATCH', ...owner, json: { text: 'Vedtak begrunnes ikke' } });
		expect(ownerFix.status).toBe(200);
		expect(ownerFix.body.riskPoints[0]).toMatchObject({ text: 'Vedtak begrunnes ikke', edits: [{ from: 'Vedtak begrunnes ikek' }] });
		for (const workshop of [national, regional]) {
			const stored = await storedWorkshop(server.dataDir, workshop.id);
			expect(stored.workshop.riskPoints[0]).toMatchObject({ text: 'Vedtak begrunnes ikke', edits: [{ from: 'Vedtak begrunnes ikek' }] });
			// the workshops keep the assessment's topic
			expect(stored.workshop.topic).toBe('Tilsyn 2027');
		}
		expect((await pdfText(`/api/assessments/${assessment.id}/export.pdf`, assessment.ownerKey))).toContain('Før: «Vedtak begrunnes ikek»');

		// removing a workshop: only with the owner's key; it is gone with its answers
		expect((await call(server.url, `/api/assessments/${assessment.id}/workshops/${regional.id}`, { method: 'DELETE', key: regional.facilitatorKey })).status).toBe(403);
		expect((await call(server.url, `/api/assessments/${assessment.id}/workshops/${regional.id}`, { method: 'DELETE', ...owner })).status).toBe(204);
		const overview = (await call(server.url, `/api/assessments/${assessment.id}`, owner)).body;
		expect(overview.workshops.map((w: { id: string }) => w.id)).toEqual([national.id]);
		expect((await call(server.url, `/api/workshops/${regional.id}`, { key: regional.facilitatorKey })).status).toBe(404);
		expect((await call(server.url, `/api/assessments/${assessment.id}/workshops/${regional.id}`, { method: 'DELETE', ...owner })).status).toBe(404);
		member.socket.disconnect();
	});
});
