import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '../../src/lib/protocol';
import { call, createWorkshop, joinAsMember, type ClientSocket, type Member } from '../helpers/clients';
import { readJournal } from '../../src/lib/server/store/lowdb/journal';
import { startServer, storedWorkshop, storedWorkshopText, type RunningServer, usesPostgres } from '../helpers/server';

const running: RunningServer[] = [];
async function start(dataDir?: string) {
	const server = await startServer({ dataDir });
	running.push(server);
	return server;
}
afterEach(async () => {
	await Promise.all(running.splice(0).map((server) => server.stop()));
});

/** Sets the most a process may write into any one file (soft RLIMIT_FSIZE): a full disk, as the kernel reports it. */
const limitFileSize = (pid: number, bytes: string) =>
	new Promise<void>((done, fail) =>
		execFile('prlimit', ['--pid', String(pid), `--fsize=${bytes}:`], (error) => (error ? fail(error) : done()))
	);

const storedRatings = async (dataDir: string, workshopId: string) => (await storedWorkshop(dataDir, workshopId)).ratings;

// lowdb only: the files: disk full, unwritable folder, file handles, the journal, one file per workshop (the PostgreSQL run has tests/integration/postgres.test.ts)
describe.skipIf(usesPostgres())('faults', () => {
	it('keeps every acknowledged rating of 200 members through kill -9, and the members carry on with their tokens', async () => {
		const first = await start();
		const workshop = await createWorkshop(first.url, Array.from({ length: 10 }, (_, i) => `Punkt ${i + 1}`));
		const members: Member[] = [];
		for (let i = 0; i < 200; i++) members.push(await joinAsMember(first.url, workshop.joinCode));
		const acknowledged = new Set<string>();
		let stop = false;
		// every member rates its points one after another; the server dies in the middle of it
		const rating = members.map(async (member, m) => {
			for (const [p, riskPointId] of workshop.riskPointIds.entries()) {
				if (stop) return;
				const ack = await member.socket
					.timeout(3000)
					.emitWithAck('rate', { riskPointId, likelihood: ((m + p) % 5) + 1, consequence: 3 })
					.catch(() => null);
				if (ack?.ok) acknowledged.add(`${member.participantId}:${riskPointId}`);
				else return;
			}
		});
		// kill while ratings are in full flow: once a fifth of them are acknowledged
		while (acknowledged.size < 400) await new Promise((done) => setTimeout(done, 5));
		await first.kill();
		stop = true;
		await Promise.all(rating);
		for (const member of members) member.socket.close();
		expect(acknowledged.size).toBeGreaterThan(0);
		expect(acknowledged.size).toBeLessThan(2000);

		// every file parses: a write cut short leaves at most a .tmp beside an intact file
		for (const name of await readdir(join(first.dataDir, 'workshops'))) {
			if (!name.endsWith('.json')) continue;
			const text = await readFile(join(first.dataDir, 'workshops', name), 'utf8');
			expect(() => JSON.parse(text), name).not.toThrow();
		}
		const stored = await storedRatings(first.dataDir, workshop.id);
		const kept = new Set(stored.map((r) => `${r.participantId}:${r.riskPointId}`));
		for (const key of acknowledged) expect(kept.has(key), key).toBe(true);
		expect(kept.size).toBe(stored.length); // one rating per member and point

		// restart: everyone comes back with the token and finishes
		const second = await start(first.dataDir);
		const back = await Promise.all(
			members.map((member) => joinAsMember(second.url, workshop.joinCode, { participantToken: member.participantToken }))
		);
		back.forEach((member, i) => expect(member.participantId).toBe(members[i]!.participantId));
		await Promise.all(
			back.map(async (member, m) => {
				for (const [p, riskPointId] of workshop.riskPointIds.entries()) {
					if (member.view.ratings[riskPointId]) continue;
					const ack = await member.socket.emitWithAck('rate', { riskPointId, likelihood: ((m + p) % 5) + 1, consequence: 3 });
					expect(ack).toMatchObject({ ok: true });
				}
				member.socket.close();
			})
		);
		const results = await call(second.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		expect(results.body.riskPoints.every((p: { responses: number }) => p.responses === 200)).toBe(true);
	}, 60_000);

	it('writes only the workshop that changed: a rating never rewrites another workshop file', async () => {
		const server = await start();
		const workshops = [];
		for (let i = 0; i < 5; i++) workshops.push(await createWorkshop(server.url, ['A', 'B']));
		// a workshop is its snapshot and its journal: the last time either changed
		const changedAt = async (id: string) => {
			const times = await Promise.all(
				['json', 'journal'].map((ext) => stat(join(server.dataDir, 'workshops', `${id}.${ext}`)).then((s) => s.mtimeMs, () => 0))
			);
			return Math.max(...times);
		};
		const before = await Promise.all(workshops.map((w) => changedAt(w.id)));
		await new Promise((done) => setTimeout(done, 30));
		const member = await joinAsMember(server.url, workshops[2]!.joinCode);
		for (const riskPointId of workshops[2]!.riskPointIds) {
			expect(await member.socket.emitWithAck('rate', { riskPointId, likelihood: 3, consequence: 3 })).toMatchObject({ ok: true });
		}
		member.socket.close();
		const after = await Promise.all(workshops.map((w) => changedAt(w.id)));
		expect(after.map((time, i) => time !== before[i])).toEqual([false, false, true, false, false]);
	});

	it('refuses ratings while the data directory cannot be written, damages nothing, and recovers', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['A', 'B'], { anonymous: false });
		const [a, b] = workshop.riskPointIds as [string, string];
		const member = await joinAsMember(server.url, workshop.joinCode);
		expect(await member.socket.emitWithAck('rate', { riskPointId: a, likelihood: 2, consequence: 2 })).toMatchObject({ ok: true });
		const directory = join(server.dataDir, 'workshops');
		const before = await storedWorkshopText(server.dataDir, workshop.id);

		// the directory becomes unwritable: a file stands where it was (this fails even for root)
		const moved = `${directory}.away`;
		await rename(directory, moved);
		await writeFile(directory, 'not a directory');
		const refused = await member.socket.emitWithAck('rate', { riskPointId: b, likelihood: 5, consequence: 5 });
		expect(refused).toMatchObject({ ok: false, code: 'error.storage.readOnly' });
		expect((refused as { error: string }).error).toMatch(/skrive|write/i);
		const changed = await member.socket.emitWithAck('rate', { riskPointId: a, likelihood: 4, consequence: 4 });
		expect(changed.ok).toBe(false);
		// memory went back to what is on disk: the facilitator does not see the refused ratings
		const during = await call(server.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		const pointA = during.body.riskPoints.find((p: { id: string }) => p.id === a);
		expect(pointA.likelihood.mean).toBe(2);
		expect(during.body.riskPoints.find((p: { id: string }) => p.id === b).responses).toBe(0);

		// space returns
		await rm(directory);
		await rename(moved, directory);
		expect(await storedWorkshopText(server.dataDir, workshop.id)).toBe(before);
		expect(await member.socket.emitWithAck('rate', { riskPointId: b, likelihood: 5, consequence: 5 })).toMatchObject({ ok: true });
		const stored = await storedRatings(server.dataDir, workshop.id);
		expect(stored.map((r) => [r.riskPointId, r.likelihood]).sort()).toEqual([
			[a, 2],
			[b, 5]
		].sort());
		member.socket.close();
	});

	it('refuses ratings while the disk is full, leaves no torn line behind, and keeps every acknowledged rating', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['A', 'B', 'C']);
		const [a, b, c] = workshop.riskPointIds as [string, string, string];
		const member = await joinAsMember(server.url, workshop.joinCode);
		expect(await member.socket.emitWithAck('rate', { riskPointId: a, likelihood: 2, consequence: 2 })).toMatchObject({ ok: true });
		const journal = join(server.dataDir, 'workshops', `${workshop.id}.journal`);
		const size = (await stat(journal)).size;

		// the disk fills up: the kernel lets the server write no file past 40 more bytes (prlimit
		// --fsize, a real short write and EFBIG from the kernel), so the next rating's line is cut short
		await limitFileSize(server.child.pid!, String(size + 40));
		const refused = await member.socket.emitWithAck('rate', { riskPointId: b, likelihood: 5, consequence: 5 });
		expect(refused).toMatchObject({ ok: false, code: 'error.storage.full' });
		expect((refused as { error: string }).error).toMatch(/full/i);
		expect((await stat(journal)).size).toBe(size + 40); // part of the refused line is on disk
		expect((await storedRatings(server.dataDir, workshop.id)).map((r) => r.riskPointId)).toEqual([a]);
		expect(server.output()).toMatch(/Could not .*disk full/);

		// space returns: the next line goes over the torn one
		await limitFileSize(server.child.pid!, 'unlimited');
		expect(await member.socket.emitWithAck('rate', { riskPointId: c, likelihood: 4, consequence: 4 })).toMatchObject({ ok: true });
		expect(await readJournal(journal)).toMatchObject({ damaged: [], tornTail: false });
		member.socket.close();

		// and after kill -9, the server reads back exactly what was acknowledged
		await server.kill();
		const again = await start(server.dataDir);
		const results = await call(again.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		const responses = Object.fromEntries(results.body.riskPoints.map((p: { id: string; responses: number }) => [p.id, p.responses]));
		expect(responses).toEqual({ [a]: 1, [b]: 0, [c]: 1 });
	});

	it('tells the facilitator "too many open files" when the process runs out of file handles, not "disk full", and recovers', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['A', 'B']);
		const key = workshop.facilitatorKey;
		// a connection kept alive from before: the server need not accept a new one
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { key })).status).toBe(200);
		// the process may hold no file handle above its standard ones: saving the settings (a new
		// snapshot file) fails with EMFILE
		const pid = server.child.pid!;
		await new Promise<void>((done, fail) => execFile('prlimit', ['--pid', String(pid), '--nofile=3:'], (error) => (error ? fail(error) : done())));
		const refused = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key, json: { title: 'Nytt navn' } });
		await new Promise<void>((done, fail) => execFile('prlimit', ['--pid', String(pid), '--nofile=4096:'], (error) => (error ? fail(error) : done())));
		expect(refused.status).toBe(503);
		expect(refused.body).toMatchObject({ code: 'error.storage.files', error: expect.stringMatching(/too many files open/i) });
		expect(refused.body.error).not.toMatch(/full/i);
		const saved = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key, json: { title: 'Nytt navn' } });
		expect(saved.status).toBe(200);
		expect(saved.body.title).toBe('Nytt navn');
	});

	it('ends with exactly one rating per point when the network drops mid-rating and the member resends', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['A', 'B', 'C']);
		const member = await joinAsMember(server.url, workshop.joinCode);
		// send, and cut the connection before the ack can arrive
		for (const riskPointId of workshop.riskPointIds) member.socket.emit('rate', { riskPointId, likelihood: 3, consequence: 3 }, () => {});
		member.socket.io.engine.close();
		await new Promise((done) => setTimeout(done, 200));
		member.socket.close();
		// back with the token: the client resends what it never saw acknowledged
		const back = await joinAsMember(server.url, workshop.joinCode, { participantToken: member.participantToken });
		for (const riskPointId of workshop.riskPointIds) {
			expect(await back.socket.emitWithAck('rate', { riskPointId, likelihood: 3, consequence: 4 })).toMatchObject({ ok: true });
		}
		back.socket.close();
		const stored = await storedRatings(server.dataDir, workshop.id);
		expect(stored.filter((r) => r.participantId === member.participantId)).toHaveLength(3);
		const results = await call(server.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		expect(results.body.riskPoints.map((p: { responses: number }) => p.responses)).toEqual([1, 1, 1]);
	});

	it('rate-limits a connection that floods bad messages, disconnects it, and keeps serving the others', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, Array.from({ length: 20 }, (_, i) => `Punkt ${i + 1}`));
		const abuser = await joinAsMember(server.url, workshop.joinCode);
		const honest = await joinAsMember(server.url, workshop.joinCode);
		const closed = new Promise<string>((done) => abuser.socket.once('disconnect', (reason) => done(reason)));
		// 1,000 messages a second: malformed payloads and unknown events, without waiting for acks
		const flood = setInterval(() => {
			for (let i = 0; i < 10; i++) {
				const raw = abuser.socket as unknown as { emit: (event: string, ...args: unknown[]) => void };
				raw.emit('rate', { riskPointId: 42, likelihood: 'x' });
				raw.emit('nonsense', 'x'.repeat(100));
			}
		}, 10);
		const acks: Ack[] = [];
		for (const riskPointId of workshop.riskPointIds) {
			acks.push(await honest.socket.timeout(2000).emitWithAck('rate', { riskPointId, likelihood: 2, consequence: 2 }));
		}
		const reason = await closed;
		clearInterval(flood);
		expect(reason).toBe('io server disconnect');
		expect(acks.every((ack) => ack.ok)).toBe(true);

		// a member rating faster than any person can is told to slow down, not cut off at once
		const fast = io(server.url, { auth: { joinCode: workshop.joinCode }, transports: ['websocket'], forceNew: true }) as ClientSocket;
		fast.on('participant', (_who, received) => received?.());
		await new Promise((done) => fast.once('workshop', done));
		const burst = await Promise.all(
			Array.from({ length: 80 }, (_, i) =>
				fast.emitWithAck('rate', { riskPointId: workshop.riskPointIds[i % 20]!, likelihood: 1, consequence: 1 })
			)
		);
		expect(burst.filter((ack) => ack.ok).length).toBeGreaterThanOrEqual(60);
		expect(burst.filter((ack) => !ack.ok).every((ack) => (ack as { code: string }).code === 'error.rate.tooFast')).toBe(true);
		expect(fast.connected).toBe(true);
		fast.close();
		honest.socket.close();
	});
});
