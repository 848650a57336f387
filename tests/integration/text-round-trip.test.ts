/**
 * Issue 23, item 12: every text field, through every path that takes it (lists pasted and
 * uploaded, point edits, notes, member names, reasons, titles, descriptions, case numbers,
 * templates), into the store and back, unchanged – SQL metacharacters included – and the store
 * intact after. Runs in both stores; in the PostgreSQL run it reads the rows too.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createWorkshop, joinAsMember } from '../helpers/clients';
import { databaseFor } from '../helpers/postgres';
import { startServer, usesPostgres, type RunningServer } from '../helpers/server';

/** Quotes, a statement end, comments, placeholders, a backslash, a NUL-free control of each kind, and Sami letters. */
const NASTY = `Robert'); DROP TABLE ratings; -- "x" /* y */ $1 %s \\ ' OR '1'='1 ; ŋŧđ`;
const tag = (what: string) => `${what}: ${NASTY}`;

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

describe('text through every path', () => {
	it('comes back unchanged and leaves the store intact', async () => {
		// a workshop: title, a pasted list, a point edit, notes, a member's name and reason
		const workshop = await createWorkshop(server.url, [tag('pasted')], { title: tag('title'), anonymous: false, pacing: 'facilitator' });
		const key = workshop.facilitatorKey;
		const [point] = workshop.riskPointIds as [string];
		expect((await call(server.url, `/api/workshops/${workshop.id}/risk-points/${point}`, { method: 'PATCH', key, json: { text: tag('edited') } })).status).toBe(200);
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key, json: { notes: { riskPointId: point, discussion: tag('discussion'), measures: tag('measures') }, caseNumber: tag('case').slice(0, 60) } })).status).toBe(200);
		const member = await joinAsMember(server.url, workshop.joinCode, { name: tag('name').slice(0, 60) });
		expect(await member.socket.emitWithAck('rate', { riskPointId: point, likelihood: 3, consequence: 3, comment: tag('comment') })).toMatchObject({ ok: true });
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key, json: { revealed: [point] } })).status).toBe(200);

		// an uploaded CSV list in another workshop: code, category, description
		const uploaded = (await call(server.url, '/api/workshops', { method: 'POST', json: { title: 'Opplasting' } })).body;
		const csv = `text;code;category;description\n"${tag('csv text').replaceAll('"', '""')}";K1;"${tag('category').replaceAll('"', '""')}";"${tag('description').replaceAll('"', '""')}"\n`;
		expect((await call(server.url, `/api/workshops/${uploaded.id}/risk-points`, { method: 'PUT', key: uploaded.facilitatorKey, type: 'text/csv', body: csv })).status).toBe(200);

		// an assessment: title, description, case number, a regional workshop's title, a template's title
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: tag('assessment'), description: tag('assessment description'), riskPoints: [{ text: tag('assessment point') }] } })).body;
		const owner = { key: assessment.ownerKey };
		expect((await call(server.url, `/api/assessments/${assessment.id}`, { method: 'PATCH', ...owner, json: { caseNumber: tag('sak').slice(0, 60) } })).status).toBe(200);
		expect((await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', ...owner, json: { kind: 'regional', title: tag('region').slice(0, 120) } })).status).toBe(201);
		expect((await call(server.url, `/api/assessments/${assessment.id}/template`, { method: 'POST', ...owner, json: { title: tag('template').slice(0, 120) } })).status).toBe(201);

		// read back after a restart: from the store, not from memory
		await server.stop();
		server = await startServer({ dataDir: server.dataDir });
		const view = (await call(server.url, `/api/workshops/${workshop.id}`, { key })).body;
		expect(view.title).toBe(tag('title'));
		expect(view.riskPoints[0].text).toBe(tag('edited'));
		expect(view.riskPoints[0].edits[0].from).toBe(tag('pasted'));
		expect(view.notes[point]).toEqual({ discussion: tag('discussion'), measures: tag('measures') });
		expect(view.report.caseNumber).toBe(tag('case').slice(0, 60).trim());
		expect(view.comments[point]).toEqual([{ round: 1, text: tag('comment'), name: tag('name').slice(0, 60).trim() }]);
		const members = (await call(server.url, `/api/workshops/${workshop.id}/members`, { key })).body.members;
		expect(members[0].name).toBe(tag('name').slice(0, 60).trim());
		const list = (await call(server.url, `/api/workshops/${uploaded.id}/risk-points`, { key: uploaded.facilitatorKey })).body.riskPoints;
		expect(list[0]).toMatchObject({ text: tag('csv text'), code: 'K1', category: tag('category'), description: tag('description') });
		const overview = (await call(server.url, `/api/assessments/${assessment.id}`, owner)).body;
		expect(overview).toMatchObject({ title: tag('assessment'), description: tag('assessment description'), report: { caseNumber: tag('sak').slice(0, 60).trim() } });
		expect(overview.riskPoints[0].text).toBe(tag('assessment point'));
		expect(overview.workshops[0].title).toBe(tag('region').slice(0, 120).trim());
		expect((await call(server.url, '/api/templates', owner)).body.templates[0].title).toBe(tag('template').slice(0, 120).trim());

		if (usesPostgres()) {
			// the rows hold the text as given, and every table is still there
			const db = new pg.Client({ connectionString: await databaseFor(process.env.POSTGRES_ADMIN_URL!, server.dataDir) });
			await db.connect();
			try {
				const tables = (await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((row) => row.name);
				expect(tables).toEqual(expect.arrayContaining(['assessments', 'participants', 'ratings', 'templates', 'workshops']));
				expect((await db.query('SELECT comment FROM ratings WHERE workshop_id = $1', [workshop.id])).rows[0].comment).toBe(tag('comment'));
				expect((await db.query('SELECT name FROM participants WHERE workshop_id = $1', [workshop.id])).rows[0].name).toBe(tag('name').slice(0, 60).trim());
			} finally {
				await db.end();
			}
		}
		member.socket.close();
	});
});
