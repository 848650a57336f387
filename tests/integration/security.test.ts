import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { call, createWorkshop, joinAsMember, refusal } from '../helpers/clients';
import { isStored, setStoredUpdatedAt, startServer, storedText, type RunningServer } from '../helpers/server';
import { allowedOrigin } from '../../src/lib/server/realtime/socket-options';

const running: RunningServer[] = [];
async function start(options: Parameters<typeof startServer>[0] = {}) {
	const server = await startServer(options);
	running.push(server);
	return server;
}
afterEach(async () => {
	await Promise.all(running.splice(0).map((server) => server.stop()));
});

describe('security', () => {
	it('stores facilitator keys, owner keys and member tokens only as hashes, and keeps them out of the logs', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['A']);
		const member = await joinAsMember(server.url, workshop.joinCode, { name: 'Kari' });
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'X' } })).body;
		member.socket.close();
		expect(workshop.facilitatorKey).toMatch(/^[\w-]{43}$/); // 256 random bits
		expect(member.participantToken).toMatch(/^[\w-]{43}$/);
		const stored = await storedText(server.dataDir);
		// the store has the records (their hashes), not the secrets
		expect(stored).toContain(workshop.id);
		expect(stored).toContain('Kari');
		for (const secret of [workshop.facilitatorKey, member.participantToken, assessment.ownerKey]) {
			expect(stored).not.toContain(secret);
			expect(server.output()).not.toContain(secret);
		}
	});

	it('slows down join-code guessing per address: after 10 unknown codes, 429 for a minute, even for a right code', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['A']);
		const statuses: number[] = [];
		for (let i = 0; i < 11; i++) statuses.push((await call(server.url, `/api/join/ZZZZZ${'23456789AB'[i % 10]}`)).status);
		expect(statuses.slice(0, 10).every((status) => status === 404)).toBe(true);
		const blocked = await call(server.url, `/api/join/${workshop.joinCode}`);
		expect(blocked.status).toBe(429);
		expect(blocked.body.error).toMatch(/Wait \d+ seconds/);
		const socketRefusal = await refusal(server.url, { joinCode: workshop.joinCode });
		expect(socketRefusal.data?.code).toBe('error.join.tooMany');
	});

	it('serves pages with a Content-Security-Policy and strict headers, and API answers uncached', async () => {
		const server = await start();
		const page = await fetch(`${server.url}/`);
		const csp = page.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("default-src 'self'");
		expect(csp).toContain("script-src 'self'");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("object-src 'none'");
		expect(page.headers.get('x-frame-options')).toBe('DENY');
		expect(page.headers.get('x-content-type-options')).toBe('nosniff');
		expect(page.headers.get('referrer-policy')).toBe('same-origin');
		const api = await fetch(`${server.url}/api/join/ZZZZZZ`);
		expect(api.headers.get('cache-control')).toBe('no-store');
		expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
	});

	it("keeps SvelteKit's origin check: a cross-site form post is refused", async () => {
		const server = await start();
		const response = await fetch(`${server.url}/api/workshops`, {
			method: 'POST',
			headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
			body: '{"title":"x"}'
		});
		expect(response.status).toBe(403);
	});

	it('refuses a socket.io handshake from another site', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['A']);
		const socket = io(server.url, {
			auth: { joinCode: workshop.joinCode },
			transports: ['polling'],
			extraHeaders: { origin: 'https://evil.example' },
			reconnection: false,
			forceNew: true
		});
		const error = await new Promise<Error>((done) => socket.once('connect_error', done));
		expect(error.message).toMatch(/origin|xhr poll error|400|403/i);
		socket.close();
		expect(allowedOrigin(undefined, 'a:1')).toBe(true);
		expect(allowedOrigin('http://a:1', 'a:1')).toBe(true);
		expect(allowedOrigin('http://b:1', 'a:1')).toBe(false);
		expect(allowedOrigin('https://risiko.example.no', 'internal:3000', 'https://risiko.example.no')).toBe(true);
		expect(allowedOrigin('not a url', 'a:1')).toBe(false);
	});

	it('deletes a workshop with all its data from disk and disconnects its members', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['A']);
		const member = await joinAsMember(server.url, workshop.joinCode, { name: 'Kari' });
		await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 3, consequence: 3 });
		expect(await isStored(server.dataDir, 'workshops', workshop.id)).toBe(true);
		const gone = new Promise((done) => member.socket.once('disconnect', done));
		const wrongKey = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'DELETE', key: 'wrong' });
		expect(wrongKey.status).toBe(403);
		const deleted = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'DELETE', key: workshop.facilitatorKey });
		expect(deleted.status).toBe(204);
		await gone;
		expect(await isStored(server.dataDir, 'workshops', workshop.id)).toBe(false);
		expect(await storedText(server.dataDir)).not.toContain('Kari');
		expect((await call(server.url, `/api/join/${workshop.joinCode}`)).status).toBe(404);
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).status).toBe(404);
	});

	it('deletes an assessment with all its workshops', async () => {
		const server = await start();
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'X', riskPoints: [{ text: 'A' }] } })).body;
		const made = await call(server.url, `/api/assessments/${assessment.id}/workshops`, {
			method: 'POST',
			key: assessment.ownerKey,
			json: { preset: 'county-governors' }
		});
		const ids: string[] = made.body.workshops.map((w: { id: string }) => w.id);
		expect(await isStored(server.dataDir, 'assessments', assessment.id)).toBe(true);
		for (const id of ids) expect(await isStored(server.dataDir, 'workshops', id)).toBe(true);
		expect((await call(server.url, `/api/assessments/${assessment.id}`, { method: 'DELETE', key: assessment.ownerKey })).status).toBe(204);
		expect(await isStored(server.dataDir, 'assessments', assessment.id)).toBe(false);
		for (const id of ids) expect(await isStored(server.dataDir, 'workshops', id)).toBe(false);
	});

	it('deletes closed workshops after the retention period (RETENTION_DAYS)', async () => {
		const first = await start();
		const old = await createWorkshop(first.url, ['A']);
		const open = await createWorkshop(first.url, ['A']);
		await call(first.url, `/api/workshops/${old.id}`, { method: 'PATCH', key: old.facilitatorKey, json: { status: 'closed' } });
		await first.stop();
		// the closed one last changed 40 days ago
		await setStoredUpdatedAt(first.dataDir, old.id, new Date(Date.now() - 40 * 86_400_000).toISOString());

		const second = await start({ dataDir: first.dataDir, env: { RETENTION_DAYS: '30' } });
		await expect.poll(() => isStored(first.dataDir, 'workshops', old.id)).toBe(false);
		expect(await isStored(first.dataDir, 'workshops', open.id)).toBe(true);
		expect((await call(second.url, `/api/workshops/${open.id}`, { key: open.facilitatorKey })).status).toBe(200);
	});
});
