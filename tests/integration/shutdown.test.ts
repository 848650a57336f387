/**
 * Health, readiness and a graceful shutdown (issue 15, item 6): /healthz and /readyz for a load
 * balancer; on SIGTERM the process finishes the acknowledgements under way, closes its sockets a
 * group at a time so that clients reconnect (socket.io's "transport close", not a refusal), and exits 0 – every
 * acknowledged rating is stored, on lowdb and on PostgreSQL alike.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkshop, joinAsMember } from '../helpers/clients';
import { startServer, storedWorkshop, type RunningServer } from '../helpers/server';

const servers: RunningServer[] = [];
afterAll(async () => {
	for (const server of servers) await server.stop();
});

describe('health, readiness and shutdown', () => {
	it('answers /healthz and /readyz, and on SIGTERM finishes its acknowledgements and exits 0', async () => {
		const server = await startServer();
		servers.push(server);
		const health = await fetch(`${server.url}/healthz`);
		expect(health.status).toBe(200);
		expect(await health.text()).toBe('ok\n');
		const ready = await fetch(`${server.url}/readyz`);
		expect(ready.status).toBe(200);
		expect(await ready.json()).toMatchObject({ ready: true });

		const workshop = await createWorkshop(server.url, Array.from({ length: 10 }, (_, i) => `Risikopunkt ${i + 1}`));
		const members = await Promise.all(Array.from({ length: 20 }, () => joinAsMember(server.url, workshop.joinCode)));
		const reasons: string[] = [];
		const droppedAt: number[] = [];
		for (const member of members) member.socket.on('disconnect', (reason) => (reasons.push(reason), droppedAt.push(Date.now())));
		// 200 ratings under way when SIGTERM comes
		const acked: { participantId: string; riskPointId: string }[] = [];
		const sent = members.flatMap((member, m) =>
			workshop.riskPointIds.map((riskPointId) =>
				member.socket
					.timeout(5000)
					.emitWithAck('rate', { riskPointId, likelihood: 1 + (m % 5), consequence: 3 })
					.then((ack) => {
						if (ack.ok) acked.push({ participantId: member.participantId, riskPointId });
					})
					.catch(() => {})
			)
		);
		// SIGTERM once ratings are reaching the server (a fixed 20 ms was sometimes before the first one
		// arrived on a loaded machine: then nothing was under way and nothing acknowledged)
		await expect.poll(() => acked.length, { timeout: 5000, interval: 1 }).toBeGreaterThan(0);
		const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
		server.child.kill('SIGTERM');
		await Promise.all(sent);
		expect(await exited).toBe(0);
		expect(server.output()).toMatch(/SIGTERM: finishing the acknowledgements under way/);
		expect(acked.length).toBeGreaterThan(0);
		// the clients lost the connection and will reconnect by themselves (socket.io reconnects after
		// anything but a disconnect the server asked for: "io server disconnect")
		await expect.poll(() => reasons.length).toBe(20);
		for (const reason of reasons) expect(['transport close', 'transport error', 'ping timeout']).toContain(reason);
		// not in one wave: ten groups over SHUTDOWN_DRAIN_MS (1 s by default), nine waits of 100 ms between the first and the last
		expect(Math.max(...droppedAt) - Math.min(...droppedAt)).toBeGreaterThanOrEqual(700);
		for (const member of members) member.socket.disconnect();

		// every acknowledged rating is stored
		const stored = await storedWorkshop(server.dataDir, workshop.id);
		const keys = new Set(stored.ratings.map((r) => `${r.participantId}/${r.riskPointId}`));
		for (const rating of acked) expect(keys.has(`${rating.participantId}/${rating.riskPointId}`)).toBe(true);
	});

	it('says at start when a shutdown setting is not a number, and shuts down with the default', async () => {
		const server = await startServer({ env: { SHUTDOWN_GRACE_MS: 'soon', SHUTDOWN_DRAIN_MS: '-5' } });
		servers.push(server);
		// said on stderr, which may reach the test after the "listening" line on stdout
		await expect.poll(() => server.output()).toContain('SHUTDOWN_GRACE_MS=soon is not a number of 0 or more; using 0.');
		await expect.poll(() => server.output()).toContain('SHUTDOWN_DRAIN_MS=-5 is not a number of 0 or more; using 1000.');
		const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
		server.child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});
});
