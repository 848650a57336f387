/**
 * Issue 23, item 8: /readyz answers at once while every connection of the pool waits on rating
 * commits (a reconnect storm), instead of queueing behind them; a balancer then does not mark a
 * healthy process down. In the PostgreSQL run (STORE=postgres).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkshop, joinAsMember, type Member } from '../helpers/clients';
import { databaseFor } from '../helpers/postgres';
import { newDataDir, startServer, usesPostgres, type RunningServer } from '../helpers/server';

let server: RunningServer | undefined;
let db: pg.Client | undefined;
afterAll(async () => {
	await db?.end().catch(() => {});
	await server?.stop();
});

describe.runIf(usesPostgres())('readiness', () => {
	it('says ready while every pooled connection waits on a commit', async () => {
		const dataDir = await newDataDir();
		// one pooled connection: the commit of ratings holds it (one batch commits at a time per process)
		server = await startServer({ dataDir, env: { DATABASE_POOL_SIZE: '1' } });
		const workshop = await createWorkshop(server.url, ['A', 'B', 'C']);
		const members: Member[] = [];
		for (let m = 0; m < 4; m++) members.push(await joinAsMember(server.url, workshop.joinCode));
		// another session holds the ratings table: every commit of ratings waits for it
		db = new pg.Client({ connectionString: await databaseFor(process.env.POSTGRES_ADMIN_URL!, dataDir) });
		await db.connect();
		await db.query('BEGIN');
		await db.query('LOCK TABLE ratings IN ACCESS EXCLUSIVE MODE');
		const waiting = members.flatMap((member) => workshop.riskPointIds.map((riskPointId) => member.socket.emitWithAck('rate', { riskPointId, likelihood: 2, consequence: 2 })));
		// the commit is under way and stuck, holding the pool's connection
		await expect.poll(async () => (await db!.query("SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'ratings'::regclass AND NOT granted")).rows[0].n).toBeGreaterThan(0);
		for (let i = 0; i < 5; i++) {
			const ready = await fetch(`${server.url}/readyz`);
			expect(ready.status).toBe(200);
			await new Promise((done) => setTimeout(done, 300));
		}
		await db.query('COMMIT');
		expect((await Promise.all(waiting)).every((ack) => ack.ok)).toBe(true);
		for (const member of members) member.socket.close();
	});
});
