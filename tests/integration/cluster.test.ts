import { existsSync } from 'node:fs';
import { freePort, redisServerPath, startRedis } from '../helpers/redis';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberWorkshopView, Presence, ProjectorView } from '../../src/lib/protocol';
import type { WorkshopResults } from '../../src/lib/domain/results';
import { call, createWorkshop, joinAsFacilitator, joinAsMember, joinAsProjector, refusal, until } from '../helpers/clients';
import { untilResults } from '../helpers/clients';
import { startServer, storedWorkshop, type RunningServer, usesPostgres } from '../helpers/server';

/**
 * Two server processes sharing socket.io rooms through Debian's redis-server on loopback
 * (docs/scaling.md): a workshop lives in the process that created it (its owner); members,
 * facilitators and projectors may connect to either process, and the other one forwards joins and
 * ratings to the owner and delivers the owner's updates. `.ci/run` installs redis-server; without
 * it this file is skipped, saying so.
 */
if (!redisServerPath) console.warn('cluster.test.ts skipped: redis-server is not installed (apt-get install redis-server; .ci/run does)');

// lowdb only: several processes forwarding to the owner of a workshop (issue 15 replaces it)
describe.skipIf(!redisServerPath || usesPostgres())('several processes sharing rooms through Redis', () => {
	let redis: Awaited<ReturnType<typeof startRedis>>;
	let owner: RunningServer;
	let other: RunningServer;

	beforeAll(async () => {
		redis = await startRedis();
		const env = { REDIS_URL: redis.url };
		[owner, other] = await Promise.all([startServer({ env }), startServer({ env })]);
	});

	afterAll(async () => {
		await Promise.all([owner?.stop(), other?.stop()]);
		redis?.stop();
	});

	it('lets members, facilitator and projector use either process; the owner stores and sends the updates', async () => {
		expect(owner.output()).toMatch(/Sharing socket.io rooms with other processes/);
		const workshop = await createWorkshop(owner.url, ['Barns behov kartlegges ikke', 'Vedtak begrunnes ikke'], { anonymous: false });
		const [a, b] = workshop.riskPointIds as [string, string];
		// the workshop is in the owner's store only, but either process answers for it
		expect(existsSync(join(owner.dataDir, 'workshops', `${workshop.id}.json`))).toBe(true);
		expect(existsSync(join(other.dataDir, 'workshops', `${workshop.id}.json`))).toBe(false);
		const viaOther = await call(other.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey });
		expect(viaOther.status).toBe(200);
		expect(viaOther.body.joinCode).toBe(workshop.joinCode);
		const joinPage = await fetch(`${other.url}/join/${workshop.joinCode}`);
		expect(joinPage.status).toBe(200);
		expect(await joinPage.text()).toContain('<title>');
		expect((await call(other.url, `/api/workshops/${workshop.id}`, { key: 'wrong' })).status).toBe(403);
		expect((await call(other.url, '/api/workshops/nosuchworkshop')).status).toBe(404);

		const facilitator = await joinAsFacilitator(owner.url, workshop.id, workshop.facilitatorKey);
		const remoteFacilitator = await joinAsFacilitator(other.url, workshop.id, workshop.facilitatorKey);
		expect(remoteFacilitator.view.title).toBe('Test');
		expect(remoteFacilitator.results.riskPoints).toHaveLength(2);
		const projector = await joinAsProjector(other.url, workshop.id);
		expect(projector.view.points.map((point) => point.id)).toEqual([a, b]);

		// a member joins through the other process: the owner adds it and counts it as connected
		const joined = until<Presence>(facilitator.socket, 'presence', (presence) => presence.names.includes('Kari'));
		const member = await joinAsMember(other.url, workshop.joinCode, { name: 'Kari' });
		expect(member.view.riskPoints.map((point) => point.id)).toEqual([a, b]);
		expect((await joined).connected).toBe(1);

		// a rating through the other process is stored by the owner and reaches everyone
		const results = untilResults(facilitator.socket, (r) => r.riskPoints.find((p) => p.id === a)?.responses === 1);
		const remoteResults = untilResults(remoteFacilitator.socket, (r) => r.riskPoints.find((p) => p.id === a)?.responses === 1);
		const shown = until<ProjectorView>(projector.socket, 'projector', (view) => view.points.find((p) => p.id === a)?.responses === 1);
		const ownView = until<{ riskPointId: string; likelihood: number }>(member.socket, 'answer', (answer) => answer.riskPointId === a && answer.likelihood === 4);
		expect(await member.socket.emitWithAck('rate', { riskPointId: a, likelihood: 4, consequence: 3 })).toMatchObject({ ok: true });
		await Promise.all([results, remoteResults, shown, ownView]);
		const stored = await storedWorkshop(owner.dataDir, workshop.id);
		expect(stored.ratings.map((r) => [r.participantId, r.riskPointId, r.likelihood])).toEqual([[member.participantId, a, 4]]);

		// refusals come from the owner, in the member's terms
		const outOfRange = await member.socket.emitWithAck('rate', { riskPointId: b, likelihood: 9, consequence: 3 });
		expect(outOfRange).toMatchObject({ ok: false, code: 'error.rate.outOfRange' });
		await call(owner.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'closed' } });
		expect(await member.socket.emitWithAck('rate', { riskPointId: b, likelihood: 2, consequence: 2 })).toMatchObject({
			ok: false,
			code: 'error.rate.closed'
		});
		expect((await refusal(other.url, { workshopId: workshop.id, facilitatorKey: 'x'.repeat(43) })).data?.code).toBe('error.auth.wrongKey');
		expect((await refusal(other.url, { joinCode: 'ZZZZZZ' })).data?.code).toBe('error.join.unknownCode');
		// joining through a process that does not hold the code is not a wrong guess: more joins from
		// one address than the join guard forgives (10) all get in
		await call(owner.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'open' } });
		for (let i = 0; i < 12; i++) (await joinAsMember(other.url, workshop.joinCode)).socket.close();
		await call(owner.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'closed' } });

		// the member comes back through the owner with its token: same member, same answers
		const left = until<Presence>(facilitator.socket, 'presence', (presence) => presence.connected === 0);
		member.socket.close();
		await left;
		await call(owner.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'open' } });
		const back = await joinAsMember(owner.url, workshop.joinCode, { participantToken: member.participantToken });
		expect(back.participantId).toBe(member.participantId);
		expect(back.view.ratings[a]).toEqual({ likelihood: 4, consequence: 3 });

		// deleting the workshop on the owner disconnects the sockets on the other process too
		const gone = new Promise((done) => projector.socket.once('disconnect', done));
		expect((await call(owner.url, `/api/workshops/${workshop.id}`, { method: 'DELETE', key: workshop.facilitatorKey })).status).toBe(204);
		await gone;
		for (const socket of [facilitator.socket, remoteFacilitator.socket, projector.socket, back.socket]) socket.close();
	});

	it('keeps an assessment and its workshops together in the process that created it, whichever process is asked', async () => {
		const created = await call(other.url, '/api/assessments', { method: 'POST', json: { title: 'Nav 2026', riskPoints: [{ text: 'A' }, { text: 'B' }] } });
		expect(created.status).toBe(201);
		const { id, ownerKey } = created.body as { id: string; ownerKey: string };
		// asked through the owner of nothing here: the request goes to the assessment's process
		const made = await call(owner.url, `/api/assessments/${id}/workshops`, { method: 'POST', key: ownerKey, json: { kind: 'national' } });
		expect(made.status).toBe(201);
		const workshopId = made.body.workshops[0].id as string;
		expect(existsSync(join(other.dataDir, 'workshops', `${workshopId}.json`))).toBe(true);
		expect(existsSync(join(owner.dataDir, 'workshops', `${workshopId}.json`))).toBe(false);
		const overview = await call(owner.url, `/api/assessments/${id}`, { key: ownerKey });
		expect(overview.status).toBe(200);
		expect(overview.body.workshops.map((w: { id: string }) => w.id)).toEqual([workshopId]);
		const page = await fetch(`${owner.url}/assessments/${id}`);
		expect(page.status).toBe(200);
		const csv = await fetch(`${owner.url}/api/assessments/${id}/export.csv`, { headers: { authorization: `Bearer ${ownerKey}` } });
		expect(csv.status).toBe(200);
	});
});

// lowdb only: several processes forwarding to the owner of a workshop (issue 15 replaces it) (the PostgreSQL run has tests/integration/postgres.test.ts)
describe.skipIf(usesPostgres())('several processes without Redis', () => {
	it('refuses to start, saying what to do, when REDIS_URL cannot be reached', async () => {
		const port = await freePort(); // nothing listens there
		await expect(startServer({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } })).rejects.toThrow(
			/exited with 1[\s\S]*Could not reach Redis at 127\.0\.0\.1:\d+ \(REDIS_URL\).*unset REDIS_URL to run a single process/
		);
	});
});
