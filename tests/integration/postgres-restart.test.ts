/**
 * The database restarts during a session (issue 15): while it is down the app refuses ratings with
 * a clear "try again" (error.storage, never a false acknowledgement) and says it is not ready;
 * afterwards the members' answers sent again go through, nothing is counted twice, and an answer
 * refused and never sent again is not counted either. Its own throwaway cluster (stopped and
 * started by the test), in the PostgreSQL run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkshopResults } from '../../src/lib/domain/results';
import { call, createWorkshop, joinAsMember } from '../helpers/clients';
import { databaseFor, startPostgres, type PostgresCluster } from '../helpers/postgres';
import { newDataDir, startServer, usesPostgres, type RunningServer } from '../helpers/server';

let cluster: PostgresCluster | undefined;
let server: RunningServer | undefined;
afterAll(async () => {
	await server?.stop();
	cluster?.stop();
});

describe.runIf(usesPostgres())('a database restart during a session', () => {
	it('refuses with "try again" while it is down, and takes the answers sent again afterwards', async () => {
		cluster = await startPostgres();
		const dataDir = await newDataDir();
		server = await startServer({ dataDir, env: { DATABASE_URL: await databaseFor(cluster.adminUrl, dataDir) } });
		const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag', 'Vedtak er mangelfullt begrunnet']);
		const [a, b, c] = workshop.riskPointIds as [string, string, string];
		const members = await Promise.all([0, 1, 2, 3, 4].map(() => joinAsMember(server!.url, workshop.joinCode)));
		for (const member of members) expect(await member.socket.emitWithAck('rate', { riskPointId: a, likelihood: 3, consequence: 3 })).toMatchObject({ ok: true });

		cluster.pause();
		const refused = await Promise.all(members.map((member) => member.socket.emitWithAck('rate', { riskPointId: b, likelihood: 4, consequence: 4 })));
		for (const ack of refused) {
			expect(ack).toMatchObject({ ok: false, code: 'error.storage' });
			expect((ack as { error: string }).error).toMatch(/try again/);
		}
		// one member's answer to c is refused and never sent again
		expect(await members[0]!.socket.emitWithAck('rate', { riskPointId: c, likelihood: 5, consequence: 5 })).toMatchObject({ ok: false });
		const notReady = await fetch(`${server.url}/readyz`);
		expect(notReady.status).toBe(503);
		expect((await notReady.json()).reason).toBeTruthy();
		// what is in memory is still shown meanwhile: the facilitator's page keeps working
		const shown = await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey });
		expect(shown.status).toBe(200);
		expect(shown.body.id).toBe(workshop.id);

		cluster.resume();
		await expect.poll(async () => (await fetch(`${server!.url}/readyz`)).status, { timeout: 10_000 }).toBe(200);
		// the members' screens send what was refused again (member-session.svelte.ts does so every 3 s)
		for (const member of members) expect(await member.socket.emitWithAck('rate', { riskPointId: b, likelihood: 4, consequence: 4 })).toMatchObject({ ok: true });
		// and once more (a resend after a lost ack): replaces, never adds
		expect(await members[1]!.socket.emitWithAck('rate', { riskPointId: b, likelihood: 4, consequence: 4 })).toMatchObject({ ok: true });

		const results = async () => (await call(server!.url, `/api/workshops/${workshop.id}/export.json`, { key: workshop.facilitatorKey })).body as WorkshopResults;
		await expect.poll(async () => (await results()).riskPoints.find((p) => p.id === c)!.responses, { timeout: 5000 }).toBe(0);
		const after = await results();
		expect(after.riskPoints.find((p) => p.id === a)!.responses).toBe(5);
		expect(after.riskPoints.find((p) => p.id === b)!.responses).toBe(5);
		for (const member of members) member.socket.disconnect();
	});
});
