/**
 * Issue 24, "also": a rehearsal before the day. A copy of the workshop with simulated members who
 * join and answer, for trying the console and the projector; nothing of it is kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, createWorkshop, joinAsFacilitator, untilResults } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

const running: RunningServer[] = [];
async function start(dataDir?: string) {
	const server = await startServer({ dataDir });
	running.push(server);
	return server;
}
afterEach(async () => {
	await Promise.all(running.splice(0).map((server) => server.stop()));
});

describe('a rehearsal', () => {
	it('is a copy where simulated members join and answer, and leaves nothing when it ends', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag'], { open: false, title: 'Vestland' });
		const made = await call(server.url, `/api/workshops/${workshop.id}/rehearsal`, { method: 'POST', key: workshop.facilitatorKey });
		expect(made.status).toBe(201);
		const key = new URL(made.body.facilitatorUrl).hash.slice(5);
		const view = (await call(server.url, `/api/workshops/${made.body.id}`, { key })).body;
		expect(view).toMatchObject({ title: 'Øving: Vestland', status: 'open', rehearsal: true });
		expect(view.riskPoints.map((p: { text: string }) => p.text)).toEqual(['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag']);
		// simulated members join and answer by themselves
		const facilitator = await joinAsFacilitator(server.url, made.body.id, key);
		await untilResults(facilitator.socket, (results) => results.riskPoints.some((point) => point.responses >= 2));
		expect((await call(server.url, `/api/workshops/${made.body.id}/members`, { key })).body.members.length).toBeGreaterThan(1);
		// the real workshop is untouched
		expect((await call(server.url, `/api/workshops/${workshop.id}/members`, { key: workshop.facilitatorKey })).body.members).toEqual([]);
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).body.status).toBe('draft');
		// ended: gone, with everything the simulated members answered
		expect((await call(server.url, `/api/workshops/${made.body.id}`, { method: 'DELETE', key })).status).toBe(204);
		expect((await call(server.url, `/api/workshops/${made.body.id}`, { key })).status).toBe(404);
		facilitator.socket.close();
	});

	it('of a workshop by consequence type: the simulated members answer every type', async () => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['Langvarig strømbrudd', 'Flom'], { open: false, title: 'FylkesROS', method: 'perType' });
		const made = (await call(server.url, `/api/workshops/${workshop.id}/rehearsal`, { method: 'POST', key: workshop.facilitatorKey })).body;
		const key = new URL(made.facilitatorUrl).hash.slice(5);
		expect((await call(server.url, `/api/workshops/${made.id}`, { key })).body.consequenceTypes.types).toHaveLength(5);
		const facilitator = await joinAsFacilitator(server.url, made.id, key);
		const results = await untilResults(facilitator.socket, (shown) => shown.riskPoints.some((point) => point.responses >= 3));
		const answered = results.riskPoints.find((point) => point.responses >= 3)!;
		expect(answered.types).toHaveLength(5);
		expect(answered.types.reduce((sum, type) => sum + type.n + type.abstained + type.notRelevant, 0)).toBe(5 * answered.responses);
		facilitator.socket.close();
	});

	it('left over when the server stopped is deleted at the next start', async () => {
		const first = await start();
		const workshop = await createWorkshop(first.url, ['A'], { open: false });
		const made = (await call(first.url, `/api/workshops/${workshop.id}/rehearsal`, { method: 'POST', key: workshop.facilitatorKey })).body;
		const key = new URL(made.facilitatorUrl).hash.slice(5);
		await first.kill();
		const second = await start(first.dataDir);
		await expect.poll(async () => (await call(second.url, `/api/workshops/${made.id}`, { key })).status).toBe(404);
		expect((await call(second.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).status).toBe(200);
	});
});
