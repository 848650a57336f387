/**
 * Issue 23, items 4 and 5: every key can be rotated (a standalone workshop's, a workshop of an
 * assessment's, the owner's, the projector link's); rotating refuses the old key at once on HTTP
 * and closes the sockets that used it. The projector link is a capability of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { call, createWorkshop, joinAsFacilitator, refusal, type ClientSocket } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

const closed = (socket: ClientSocket) => new Promise<void>((done) => socket.once('disconnect', () => done()));
const keyOf = (url: string) => new URL(url).hash.replace('#key=', '');

/** A projector's socket with the key of a projector link; resolves once its first view is in. */
function projector(workshopId: string, projectorKey: string): Promise<ClientSocket> {
	const socket: ClientSocket = io(server.url, { auth: { projectorFor: workshopId, projectorKey }, transports: ['websocket'], forceNew: true, reconnection: false });
	return new Promise((done, fail) => {
		socket.once('projector', () => done(socket));
		socket.once('connect_error', fail);
	});
}

describe('a standalone workshop', () => {
	it('gets a new facilitator key: the old one is refused at once and its sockets are closed', async () => {
		const workshop = await createWorkshop(server.url, ['A']);
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		const gone = closed(facilitator.socket);
		const rotated = await call(server.url, `/api/workshops/${workshop.id}/key`, { method: 'POST', key: workshop.facilitatorKey });
		expect(rotated.status).toBe(200);
		const fresh = keyOf(rotated.body.facilitatorUrl);
		expect(fresh).not.toBe(workshop.facilitatorKey);
		expect(fresh).toMatch(/^[\w-]{43}$/);
		await gone;
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).status).toBe(403);
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { key: fresh })).status).toBe(200);
		expect((await refusal(server.url, { workshopId: workshop.id, facilitatorKey: workshop.facilitatorKey })).data?.code).toBe('error.auth.wrongKey');
		(await joinAsFacilitator(server.url, workshop.id, fresh)).socket.close();
	});

	it('has a projector link of its own: no projector without its key, and a revoked link stops at once', async () => {
		const workshop = await createWorkshop(server.url, ['A']);
		expect((await refusal(server.url, { projectorFor: workshop.id })).data?.code).toBe('error.auth.missingKey');
		const link = await call(server.url, `/api/workshops/${workshop.id}/projector`, { key: workshop.facilitatorKey });
		expect(link.status).toBe(200);
		expect(link.body.projectorUrl).toMatch(new RegExp(`/project/${workshop.id}#key=[\\w-]{43}$`));
		const first = keyOf(link.body.projectorUrl);
		expect(first).not.toBe(workshop.facilitatorKey);
		// the same link every time until it is revoked
		expect((await call(server.url, `/api/workshops/${workshop.id}/projector`, { key: workshop.facilitatorKey })).body.projectorUrl).toBe(link.body.projectorUrl);
		const screen = await projector(workshop.id, first);
		// the projector's key opens nothing else
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { key: first })).status).toBe(403);
		const gone = closed(screen);
		const revoked = await call(server.url, `/api/workshops/${workshop.id}/projector`, { method: 'POST', key: workshop.facilitatorKey });
		expect(revoked.status).toBe(200);
		const second = keyOf(revoked.body.projectorUrl);
		expect(second).not.toBe(first);
		await gone;
		expect((await refusal(server.url, { projectorFor: workshop.id, projectorKey: first })).data?.code).toBe('error.auth.wrongKey');
		(await projector(workshop.id, second)).close();
	});
});

describe('an assessment', () => {
	async function assessmentWithTwo() {
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Nasjonal', riskPoints: [{ text: 'A' }] } })).body;
		const made = await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'regional', title: 'Agder' } });
		const other = await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'regional', title: 'Vestland' } });
		return { assessment, agder: made.body.workshops[0], vestland: other.body.workshops[0] } as {
			assessment: { id: string; ownerKey: string };
			agder: { id: string; facilitatorKey: string };
			vestland: { id: string; facilitatorKey: string };
		};
	}

	it('gives a workshop whose link leaked a new key (not the same one again); the old one is refused and its sockets closed', async () => {
		const { assessment, agder, vestland } = await assessmentWithTwo();
		const facilitator = await joinAsFacilitator(server.url, agder.id, agder.facilitatorKey);
		const gone = closed(facilitator.socket);
		const rotated = await call(server.url, `/api/assessments/${assessment.id}/workshops/${agder.id}/key`, { method: 'POST', key: assessment.ownerKey });
		expect(rotated.status).toBe(200);
		const link = rotated.body.workshops.find((w: { id: string }) => w.id === agder.id).facilitatorUrl;
		const fresh = keyOf(link);
		expect(fresh).not.toBe(agder.facilitatorKey);
		await gone;
		expect((await call(server.url, `/api/workshops/${agder.id}`, { key: agder.facilitatorKey })).status).toBe(403);
		expect((await call(server.url, `/api/workshops/${agder.id}`, { key: fresh })).status).toBe(200);
		// the other workshop's key is untouched
		expect((await call(server.url, `/api/workshops/${vestland.id}`, { key: vestland.facilitatorKey })).status).toBe(200);
		// a workshop of an assessment gets its new key from the owner, not by itself
		expect((await call(server.url, `/api/workshops/${agder.id}/key`, { method: 'POST', key: fresh })).status).toBe(409);
	});

	it('gets a new owner key: the old one and every workshop key derived from it are refused, templates follow', async () => {
		const { assessment, agder } = await assessmentWithTwo();
		const owner = { key: assessment.ownerKey };
		expect((await call(server.url, `/api/assessments/${assessment.id}/template`, { method: 'POST', ...owner, json: { title: 'Mal' } })).status).toBe(201);
		const facilitator = await joinAsFacilitator(server.url, agder.id, agder.facilitatorKey);
		const gone = closed(facilitator.socket);
		const rotated = await call(server.url, `/api/assessments/${assessment.id}/key`, { method: 'POST', ...owner });
		expect(rotated.status).toBe(200);
		const ownerKey = rotated.body.ownerKey as string;
		expect(ownerKey).not.toBe(assessment.ownerKey);
		expect(rotated.body.assessmentUrl).toContain(`#key=${ownerKey}`);
		await gone;
		expect((await call(server.url, `/api/assessments/${assessment.id}`, owner)).status).toBe(403);
		expect((await call(server.url, `/api/workshops/${agder.id}`, { key: agder.facilitatorKey })).status).toBe(403);
		const overview = (await call(server.url, `/api/assessments/${assessment.id}`, { key: ownerKey })).body;
		for (const workshop of overview.workshops) {
			expect(workshop.facilitatorUrl).not.toContain(ownerKey);
			expect((await call(server.url, `/api/workshops/${workshop.id}`, { key: keyOf(workshop.facilitatorUrl) })).status).toBe(200);
		}
		expect((await call(server.url, '/api/templates', { key: ownerKey })).body.templates).toHaveLength(1);
		expect((await call(server.url, '/api/templates', owner)).body.templates ?? []).toHaveLength(0);
	});
});
