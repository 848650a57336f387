import { appendFile, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, createWorkshop, joinAsMember } from '../helpers/clients';
import { startServer, storedWorkshop, type RunningServer, usesPostgres } from '../helpers/server';

const running: RunningServer[] = [];
async function start(dataDir?: string) {
	const server = await startServer({ dataDir });
	running.push(server);
	return server;
}
afterEach(async () => {
	await Promise.all(running.splice(0).map((server) => server.stop()));
});

// lowdb only: the file journal and its damage (the PostgreSQL run has tests/integration/postgres.test.ts)
describe.skipIf(usesPostgres())('storage', () => {
	it('keeps everything when the server is restarted on the same data directory', async () => {
		const first = await start();
		const workshop = await createWorkshop(first.url, ['A', 'B', 'C']);
		const member = await joinAsMember(first.url, workshop.joinCode, { name: 'Kari' });
		for (const [i, riskPointId] of workshop.riskPointIds.entries()) {
			await member.socket.emitWithAck('rate', { riskPointId, likelihood: i + 1, consequence: 5 - i });
		}
		member.socket.close();
		const before = await call(first.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		await first.stop();

		const second = await start(first.dataDir);
		const after = await call(second.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		expect(after.body).toEqual(before.body);
		const back = await joinAsMember(second.url, workshop.joinCode, { participantToken: member.participantToken });
		expect(back.participantId).toBe(member.participantId);
		expect(Object.keys(back.view.ratings)).toHaveLength(3);
		back.socket.close();
	});

	it('keeps every acknowledged rating through kill -9', async () => {
		const first = await start();
		const workshop = await createWorkshop(first.url, Array.from({ length: 12 }, (_, i) => `Punkt ${i + 1}`));
		const members = await Promise.all(Array.from({ length: 5 }, () => joinAsMember(first.url, workshop.joinCode)));
		const acknowledged = new Set<string>();
		// rate without waiting between messages, and kill the server while acks are still arriving
		const sends = members.flatMap((member, m) =>
			workshop.riskPointIds.map(async (riskPointId, p) => {
				const ack = await member.socket.timeout(5000).emitWithAck('rate', { riskPointId, likelihood: ((m + p) % 5) + 1, consequence: 3 }).catch(() => null);
				if (ack?.ok) acknowledged.add(`${member.participantId}:${riskPointId}`);
			})
		);
		await new Promise((done) => setTimeout(done, 15));
		await first.kill();
		await Promise.all(sends);
		for (const member of members) member.socket.close();

		// every file parses: a write cut short leaves only a .tmp beside an intact file
		const directory = join(first.dataDir, 'workshops');
		for (const file of (await readdir(directory)).filter((name) => name.endsWith('.json'))) {
			const text = await readFile(join(directory, file), 'utf8');
			expect(() => JSON.parse(text), file).not.toThrow();
		}

		const second = await start(first.dataDir);
		const record = await storedWorkshop(first.dataDir, workshop.id);
		const kept = new Set(record.ratings.map((r: { participantId: string; riskPointId: string }) => `${r.participantId}:${r.riskPointId}`));
		for (const key of acknowledged) expect(kept.has(key), key).toBe(true);
		const results = await call(second.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		const total = results.body.riskPoints.reduce((sum: number, p: { responses: number }) => sum + p.responses, 0);
		expect(total).toBe(kept.size);
		expect(total).toBeGreaterThanOrEqual(acknowledged.size);
	});

	it('replays the journal after a restart, ignores a line cut short by a crash, and folds it into the snapshot', async () => {
		const first = await start();
		const workshop = await createWorkshop(first.url, ['A', 'B']);
		const member = await joinAsMember(first.url, workshop.joinCode);
		for (const [i, riskPointId] of workshop.riskPointIds.entries()) {
			expect(await member.socket.emitWithAck('rate', { riskPointId, likelihood: i + 2, consequence: 4 })).toMatchObject({ ok: true });
		}
		member.socket.close();
		await first.kill();
		const journal = join(first.dataDir, 'workshops', `${workshop.id}.journal`);
		const lines = (await readFile(journal, 'utf8')).trim().split('\n');
		expect(lines.length).toBeGreaterThanOrEqual(3); // the new member and two ratings
		// a crash in the middle of an append leaves half a line
		await appendFile(journal, '{"seq":999,"entry":{"r":{"participantId":"x","riskP');

		const second = await start(first.dataDir);
		const results = await call(second.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		expect(results.body.riskPoints.map((p: { responses: number }) => p.responses)).toEqual([1, 1]);
		// the snapshot now holds everything and the journal is empty
		expect(await readFile(journal, 'utf8')).toBe('');
		const snapshot = JSON.parse(await readFile(join(first.dataDir, 'workshops', `${workshop.id}.json`), 'utf8'));
		expect(snapshot.ratings).toHaveLength(2);
		const back = await joinAsMember(second.url, workshop.joinCode, { participantToken: member.participantToken });
		expect(back.participantId).toBe(member.participantId);
		back.socket.close();
	});

	it('skips only a journal line with a changed byte, keeps every later one, and keeps the damaged journal beside the data', async () => {
		const first = await start();
		const workshop = await createWorkshop(first.url, Array.from({ length: 15 }, (_, i) => `P${i + 1}`));
		const member = await joinAsMember(first.url, workshop.joinCode);
		for (const riskPointId of workshop.riskPointIds) {
			expect(await member.socket.emitWithAck('rate', { riskPointId, likelihood: 2, consequence: 4 })).toMatchObject({ ok: true });
		}
		member.socket.close();
		await first.kill();
		const journal = join(first.dataDir, 'workshops', `${workshop.id}.journal`);
		const bytes = await readFile(journal);
		// line 1 is the new member, lines 2-16 the ratings: change one byte of the first rating's line
		const inLine2 = bytes.indexOf(10) + 40;
		bytes[inLine2] = bytes[inLine2] === 0x61 ? 0x62 : 0x61;
		const { writeFile } = await import('node:fs/promises');
		await writeFile(journal, bytes);

		const second = await start(first.dataDir);
		const results = await call(second.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		const total = results.body.riskPoints.reduce((sum: number, p: { responses: number }) => sum + p.responses, 0);
		expect(total).toBe(14);
		expect(second.output()).toMatch(new RegExp(`${workshop.id}\\.journal: line 2 skipped`));
		const kept = (await readdir(join(first.dataDir, 'workshops'))).filter((name) => name.startsWith(`${workshop.id}.journal.damaged-`));
		expect(kept).toHaveLength(1);
		expect(await readFile(join(first.dataDir, 'workshops', kept[0]!))).toEqual(bytes);
	});

	it('sets aside a workshop file that is not valid JSON, says so to its facilitator, leaves it untouched, and serves the others', async () => {
		const first = await start();
		const good = await createWorkshop(first.url, ['A']);
		const broken = await createWorkshop(first.url, ['B']);
		await first.stop();
		const { writeFile } = await import('node:fs/promises');
		const brokenPath = join(first.dataDir, 'workshops', `${broken.id}.json`);
		await writeFile(brokenPath, '{"version":1,"workshop":');

		const second = await start(first.dataDir);
		expect((await call(second.url, `/api/workshops/${good.id}`, { key: good.facilitatorKey })).status).toBe(200);
		const refused = await call(second.url, `/api/workshops/${broken.id}`, { key: broken.facilitatorKey });
		expect(refused.status).toBe(503);
		expect(refused.body).toMatchObject({ code: 'error.workshop.unreadable', error: expect.stringContaining('set aside') });
		expect(second.output()).toContain(`${broken.id}.json is not valid JSON`);
		expect(second.output()).toContain(`Set aside workshop ${broken.id}`);
		expect(await readFile(brokenPath, 'utf8')).toBe('{"version":1,"workshop":');
	});
});
