/**
 * Issue 26, item 3 (the reconnect storm): every member who comes back to a process brings the
 * workshop up to date first (what other processes committed). A hundred members arriving at once
 * shared one read of the database each, one after the other, on the workshop's queue: 320 ms for
 * the median member on the process that took the storm (processes.test.ts, rolling restart). Those
 * who ask while a read waits to start now share it. In the PostgreSQL run (STORE=postgres).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PostgresStore } from '../../src/lib/server/store/postgres/postgres-store';
import { createWorkshop, joinAsMember, type Member } from '../helpers/clients';
import { databaseFor } from '../helpers/postgres';
import { newDataDir, startServer, usesPostgres, type RunningServer } from '../helpers/server';

let server: RunningServer | undefined;
let store: PostgresStore | undefined;
const members: Member[] = [];
afterAll(async () => {
	for (const member of members) member.socket.disconnect();
	await store?.close();
	await server?.stop();
});

describe.runIf(usesPostgres())('members coming back to a process at once', () => {
	it('share the reads that bring their workshop up to date, and each sees what was committed before it asked', { timeout: 60_000 }, async () => {
		const dataDir = await newDataDir();
		server = await startServer({ dataDir });
		const workshop = await createWorkshop(server.url, ['A', 'B']);
		// this test's process plays a second process on the same database
		store = new PostgresStore(await databaseFor(process.env.POSTGRES_ADMIN_URL!, dataDir), { poolSize: 2 });
		const handle = await store.workshops.open(workshop.id);
		const reads = vi.spyOn(store.workshops, 'catchUp');

		// committed through the other process before anyone here asks
		members.push(await joinAsMember(server.url, workshop.joinCode));
		expect(await members[0]!.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 4, consequence: 2 })).toMatchObject({ ok: true });

		await Promise.all(Array.from({ length: 100 }, () => handle.refresh()));
		expect(handle.data.ratings).toHaveLength(1);
		// one read for all who asked together (one more may run when a read had started as the first asked)
		expect(reads.mock.calls.length).toBeLessThanOrEqual(2);

		// one who asks after a read began gets a read of their own, which sees what came meanwhile
		const first = handle.refresh();
		await Promise.resolve();
		expect(await members[0]!.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[1]!, likelihood: 1, consequence: 5 })).toMatchObject({ ok: true });
		await Promise.all([first, handle.refresh()]);
		expect(handle.data.ratings).toHaveLength(2);
	});
});
