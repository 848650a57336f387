/**
 * The PostgreSQL store itself (issue 15): in the suite's PostgreSQL run (STORE=postgres) the data
 * is in the database – ratings as rows, committed in groups –, nothing under DATA_DIR, the schema
 * made by the numbered migrations; a DATABASE_URL that cannot be reached stops the server with a
 * message saying what to do. (The lowdb run has its own durability tests.)
 */
import { readdir } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshop, joinAsMember } from '../helpers/clients';
import { databaseFor } from '../helpers/postgres';
import { newDataDir, startServer, storedWorkshop, usesPostgres, type RunningServer } from '../helpers/server';

describe.runIf(usesPostgres())('the PostgreSQL store', () => {
	let server: RunningServer;
	let db: pg.Client;
	beforeAll(async () => {
		server = await startServer();
		db = new pg.Client({ connectionString: await databaseFor(process.env.POSTGRES_ADMIN_URL!, server.dataDir) });
		await db.connect();
	});
	afterAll(async () => {
		await db?.end();
		await server?.stop();
	});

	it('keeps workshops, members and ratings as rows, and nothing on disk', async () => {
		const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag']);
		const members = await Promise.all([0, 1, 2, 3, 4].map(() => joinAsMember(server.url, workshop.joinCode)));
		// 5 members rate 2 points at once: 10 acknowledged ratings
		const acks = await Promise.all(members.flatMap((member, m) => workshop.riskPointIds.map((id) => member.socket.emitWithAck('rate', { riskPointId: id, likelihood: 1 + m, consequence: 3, ...(m === 0 ? { comment: 'Ofte' } : {}) }))));
		expect(acks.every((ack) => ack.ok)).toBe(true);
		// acknowledged means committed: every rating is a row now
		const rows = await db.query('SELECT participant_id, risk_point_id, round, likelihood, consequence, comment FROM ratings WHERE workshop_id = $1', [workshop.id]);
		expect(rows.rowCount).toBe(10);
		expect(rows.rows.filter((row) => row.comment === 'Ofte')).toHaveLength(2);
		expect((await db.query('SELECT count(*)::int AS n FROM participants WHERE workshop_id = $1', [workshop.id])).rows[0].n).toBe(5);
		// a changed answer replaces its row
		expect(await members[0]!.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 5, consequence: 5 })).toMatchObject({ ok: true });
		expect((await db.query('SELECT count(*)::int AS n FROM ratings WHERE workshop_id = $1', [workshop.id])).rows[0].n).toBe(10);
		const stored = await storedWorkshop(server.dataDir, workshop.id);
		expect(stored.ratings.find((r) => r.participantId === members[0]!.participantId && r.riskPointId === workshop.riskPointIds[0])).toMatchObject({ likelihood: 5, consequence: 5, comment: 'Ofte' });
		expect(await readdir(server.dataDir)).toEqual([]);
		const migrations = await db.query('SELECT version FROM schema_migrations ORDER BY version');
		expect(migrations.rows.map((row) => row.version)).toEqual([1, 2, 3, 4, 5]);
		// each commit of ratings updates its workshop's row: its pages leave room for that to stay on the page (HOT)
		expect((await db.query("SELECT reloptions FROM pg_class WHERE relname = 'workshops'")).rows[0].reloptions).toEqual(['fillfactor=10']);
		for (const member of members) member.socket.disconnect();
	});

	it('reads everything back after a restart, kill -9 included', async () => {
		const workshop = await createWorkshop(server.url, ['Vedtak er mangelfullt begrunnet']);
		const member = await joinAsMember(server.url, workshop.joinCode);
		expect(await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 2, consequence: 4 })).toMatchObject({ ok: true });
		member.socket.disconnect();
		await server.kill();
		server = await startServer({ dataDir: server.dataDir });
		const back = await joinAsMember(server.url, workshop.joinCode, { participantToken: member.participantToken });
		expect(back.view.ratings[workshop.riskPointIds[0]!]).toEqual({ likelihood: 2, consequence: 4 });
		back.socket.disconnect();
	});

	it('stops at start with a clear message when the database cannot be reached', async () => {
		const failed = await startServer({ dataDir: await newDataDir(), env: { DATABASE_URL: 'postgresql://risiko@127.0.0.1:1/nowhere' } }).catch((error: Error) => error);
		expect(failed).toBeInstanceOf(Error);
		expect((failed as Error).message).toMatch(/Cannot use the database at postgresql:\/\/127\.0\.0\.1:1\/nowhere.*Check DATABASE_URL/s);
	});
});
