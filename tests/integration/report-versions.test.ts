/**
 * Issue 25, item 12: a report an adviser signs. The cover names the agency, the responsible
 * adviser, who approved it and when, and its version; it is a draft until the owner marks a
 * version final, which keeps that version's PDF, workbook and JSON as they are, with checksums.
 */
import { createHash } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, joinAsMember } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

const pdfText = async (bytes: Uint8Array) => (await extractText(await getDocumentProxy(bytes.slice()), { mergePages: true })).text.replace(/\s+/g, ' ');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the versions of a report', () => {
	it('are drafts until marked final; a final version is kept as it was, and a change makes the next a draft', async () => {
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Tilsyn 2027', privacy: 'named', riskPoints: [{ text: 'A' }, { text: 'B' }] } })).body;
		const owner = { key: assessment.ownerKey };
		const path = `/api/assessments/${assessment.id}`;
		const workshop = (await call(server.url, `${path}/workshops`, { method: 'POST', ...owner, json: { kind: 'national' } })).body.workshops[0];
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'open' } });
		const ids = (await call(server.url, `/api/workshops/${workshop.id}/risk-points`, { key: workshop.facilitatorKey })).body.riskPoints.map((p: { id: string }) => p.id);
		const member = await joinAsMember(server.url, workshop.joinCode);
		for (const id of ids) await member.socket.emitWithAck('rate', { riskPointId: id, likelihood: 3, consequence: 4 });

		const signOff = { organisation: 'Statens helsetilsyn', responsible: 'Kari Rådgiver', approvedBy: 'Ola Direktør', approvedAt: '2027-03-01' };
		expect((await call(server.url, path, { method: 'PATCH', ...owner, json: { signOff } })).status).toBe(200);
		expect((await call(server.url, path, { method: 'PATCH', ...owner, json: { signOff: { approvedAt: '1. mars' } } })).status).toBe(400);
		const draft = await pdfText(new Uint8Array(await (await fetch(`${server.url}${path}/export.pdf`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } })).arrayBuffer()));
		for (const text of ['Utkast til versjon 1', 'Virksomhet: Statens helsetilsyn', 'Ansvarlig rådgiver: Kari Rådgiver', 'Godkjent av: Ola Direktør (2027-03-01)', 'FORELØPIG']) expect(draft).toContain(text);

		// marked final: the three files kept, with checksums
		const marked = await call(server.url, `${path}/versions`, { method: 'POST', ...owner });
		expect(marked.status).toBe(201);
		expect(marked.body.versions.map((v: { number: number }) => v.number)).toEqual([1]);
		const kept = await fetch(`${server.url}${path}/versions/1/report.pdf`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } });
		const keptBytes = new Uint8Array(await kept.arrayBuffer());
		expect(kept.headers.get('x-checksum-sha256')).toBe(sha256(keptBytes));
		const final = await pdfText(keptBytes);
		expect(final).toContain('Versjon 1 (endelig)');
		expect(final).not.toContain('FORELØPIG');
		for (const file of ['workbook.xlsx', 'export.json']) {
			const answer = await fetch(`${server.url}${path}/versions/1/${file}`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } });
			expect(answer.status, file).toBe(200);
			expect(answer.headers.get('x-checksum-sha256'), file).toBe(sha256(new Uint8Array(await answer.arrayBuffer())));
		}
		// nothing changed: the report is version 1, and it cannot be marked again
		expect(await pdfText(new Uint8Array(await (await fetch(`${server.url}${path}/export.pdf`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } })).arrayBuffer()))).toContain('Versjon 1 (endelig)');
		expect((await call(server.url, `${path}/versions`, { method: 'POST', ...owner })).status).toBe(409);

		// the workshops stay editable; a change makes the next report a draft of version 2, and version 1 is as it was
		await member.socket.emitWithAck('rate', { riskPointId: ids[0], likelihood: 5, consequence: 5 });
		const next = await pdfText(new Uint8Array(await (await fetch(`${server.url}${path}/export.pdf`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } })).arrayBuffer()));
		expect(next).toContain('Utkast til versjon 2');
		const again = new Uint8Array(await (await fetch(`${server.url}${path}/versions/1/report.pdf`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } })).arrayBuffer());
		expect(sha256(again)).toBe(sha256(keptBytes));
		expect((await call(server.url, path, owner)).body.versions).toHaveLength(1);
		// kept through a restart
		await server.stop();
		server = await startServer({ dataDir: server.dataDir });
		const afterRestart = new Uint8Array(await (await fetch(`${server.url}${path}/versions/1/report.pdf`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } })).arrayBuffer());
		expect(sha256(afterRestart)).toBe(sha256(keptBytes));
		member.socket.close();
	});
});
