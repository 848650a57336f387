/**
 * The migration command (issue 15, item 5): a lowdb data folder copied into PostgreSQL and back
 * keeps every workshop, member, rating, round, note, assessment and template equal; a server on the
 * database gives the same results; copying into a database that has the records is refused.
 * Needs PostgreSQL: runs in the suite's PostgreSQL run.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../src/lib/server/store/lowdb/lowdb-store';
import type { Store } from '../../src/lib/server/store/store';
import { call, createWorkshop, joinAsMember } from '../helpers/clients';
import { databaseFor } from '../helpers/postgres';
import { newDataDir, startServer, usesPostgres, type RunningServer } from '../helpers/server';

const servers: RunningServer[] = [];
afterAll(async () => {
	for (const server of servers) await server.stop();
});

const migrate = (...args: string[]) => spawnSync(process.execPath, ['build/migrate.js', ...args], { encoding: 'utf8' });

/** Every record of a store, as plain data by id (the journal's position left out: it is the files' own). */
async function contents(store: Store) {
	const all: Record<string, unknown> = {};
	for (const kind of ['workshops', 'assessments', 'templates', 'reports'] as const) {
		for (const id of store[kind].summaries.keys()) {
			const handle = await store[kind].open(id);
			const { journalSeq: _, ...data } = handle.data as { journalSeq?: number };
			all[`${kind}/${id}`] = structuredClone(data);
			handle.close();
		}
	}
	return all;
}

/** The bytes of an assessment's final version 1 as the server keeps them. */
async function keptPdf(url: string, assessment: { id: string; ownerKey: string }) {
	const answer = await fetch(`${url}/api/assessments/${assessment.id}/versions/1/report.pdf`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } });
	expect(answer.status).toBe(200);
	return new Uint8Array(await answer.arrayBuffer());
}

describe.runIf(usesPostgres())('npm run migrate', () => {
	it('copies a data folder into PostgreSQL and back, every record equal', async () => {
		const source = await newDataDir();
		// the data, made on lowdb (DATABASE_URL empty): rounds, notes, reasons, knowledge, an assessment, a template
		const server = await startServer({ dataDir: source, env: { DATABASE_URL: '' } });
		servers.push(server);
		const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag'], { pacing: 'facilitator', title: 'Statsforvalteren i Agder' });
		const key = { key: workshop.facilitatorKey };
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', ...key, json: { askKnowledge: true } });
		const members = await Promise.all(['Kari', 'Ola', ''].map((name) => joinAsMember(server.url, workshop.joinCode, name ? { name } : {})));
		for (const [m, member] of members.entries()) {
			for (const id of workshop.riskPointIds) await member.socket.emitWithAck('rate', { riskPointId: id, likelihood: 2 + m, consequence: 4, knowledge: 'strong', comment: `Grunn ${m}` });
		}
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', ...key, json: { newRound: [workshop.riskPointIds[0]], notes: { riskPointId: workshop.riskPointIds[0], discussion: 'Praksis varierer', measures: 'Tilsyn' } } });
		await members[0]!.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 5, consequence: 5 });
		// the assessment by consequence type (DSB's method): answers per type and a knowledge base travel too
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'FylkesROS 2027', method: 'perType', riskPoints: [{ text: 'A' }, { text: 'B' }] } })).body;
		const national = (await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'national' } })).body.workshops[0];
		await call(server.url, `/api/workshops/${national.id}`, { method: 'PATCH', key: national.facilitatorKey, json: { status: 'open' } });
		const rater = await joinAsMember(server.url, national.joinCode);
		for (const point of rater.view.riskPoints) expect(await rater.socket.emitWithAck('rate', { riskPointId: point.id, likelihood: 3, consequence: null, types: [3, 'na', null, 2, 4] })).toMatchObject({ ok: true });
		const kb = { riskPointId: rater.view.riskPoints[0]!.id, types: Array.from({ length: 5 }, () => ({ data: 2, understanding: 1, agreement: null, agreementReason: '', note: 'Få data' })), sensitivity: 'Varighet' };
		expect((await call(server.url, `/api/workshops/${national.id}`, { method: 'PATCH', key: national.facilitatorKey, json: { knowledgeBase: kb } })).status).toBe(200);
		expect((await call(server.url, `/api/assessments/${assessment.id}/template`, { method: 'POST', key: assessment.ownerKey, json: { title: 'Mal' } })).status).toBe(201);
		expect((await call(server.url, `/api/assessments/${assessment.id}/versions`, { method: 'POST', key: assessment.ownerKey })).status).toBe(201);
		const finalPdf = await keptPdf(server.url, assessment);
		const results = (await call(server.url, `/api/workshops/${workshop.id}/export.json`, key)).body;
		for (const member of [...members, rater]) member.socket.disconnect();
		await server.stop();

		// into PostgreSQL
		const database = await databaseFor(process.env.POSTGRES_ADMIN_URL!, await newDataDir());
		const there = migrate('to-postgres', '--data', source, '--database', database);
		expect(there.status, there.stderr).toBe(0);
		expect(there.stdout).toMatch(/Copied 2 workshops, 1 assessments, 1 templates and 1 final report versions/);
		// again into the same database: refused, nothing changed
		const again = migrate('to-postgres', '--data', source, '--database', database);
		expect(again.status).toBe(1);
		expect(again.stderr).toMatch(/already holds/);

		// a server on the database gives the same results
		const onPostgres = await startServer({ dataDir: await newDataDir(), env: { DATABASE_URL: database } });
		servers.push(onPostgres);
		expect({ ...(await call(onPostgres.url, `/api/workshops/${workshop.id}/export.json`, key)).body, exportedAt: null }).toEqual({ ...results, exportedAt: null });
		expect(await keptPdf(onPostgres.url, assessment)).toEqual(finalPdf);
		await onPostgres.stop();

		// and back into a new folder: every record equal to the original
		const back = await newDataDir();
		const home = migrate('to-lowdb', '--database', database, '--data', back);
		expect(home.status, home.stderr).toBe(0);
		const original = new LowdbStore(source);
		const copied = new LowdbStore(back);
		await original.open();
		await copied.open();
		const before = await contents(original);
		expect(Object.keys(before).sort().map((key) => key.split("/")[0])).toEqual(["assessments", "reports", "templates", "workshops", "workshops"]);
		expect(await contents(copied)).toEqual(before);
	});

	it('says how to use it when arguments are missing', () => {
		const result = migrate('to-postgres');
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/Usage: npm run migrate -- to-postgres --data <folder> --database/);
	});
});
