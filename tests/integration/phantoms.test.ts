/**
 * Issue 23, item 11: a member exists only once its client has its token. A handshake that fails on
 * the way (long-polling: the server made the member, the answer with the token never arrived)
 * leaves no member behind and is never counted in "joined".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createWorkshop, joinAsFacilitator, joinAsMember } from '../helpers/clients';
import { startServer, storedWorkshop, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

/** A socket.io handshake over long-polling that sends its join and then goes away without reading the answer. */
async function failedPollingJoin(joinCode: string): Promise<void> {
	const base = `${server.url}/socket.io/?EIO=4&transport=polling`;
	const open = await (await fetch(base)).text();
	const sid = JSON.parse(open.slice(open.indexOf('{'))).sid as string;
	// the CONNECT packet with the join code: the server runs its auth (a member is made there)
	const sent = await fetch(`${base}&sid=${sid}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `40${JSON.stringify({ joinCode })}` });
	expect(sent.status).toBe(200);
	// ... and never polls for the answer: the token never reaches a client
}

describe('a join whose handshake failed on the way', () => {
	it('leaves no member behind, in the list, the counts or the store', async () => {
		const workshop = await createWorkshop(server.url, ['A']);
		for (let i = 0; i < 7; i++) await failedPollingJoin(workshop.joinCode);
		const real = await joinAsMember(server.url, workshop.joinCode);
		// the real member is counted once the client has the token
		await expect.poll(async () => (await call(server.url, `/api/workshops/${workshop.id}/members`, { key: workshop.facilitatorKey })).body.members.length).toBe(1);
		const members = (await call(server.url, `/api/workshops/${workshop.id}/members`, { key: workshop.facilitatorKey })).body.members as { id: string }[];
		expect(members.map((member) => member.id)).toEqual([real.participantId]);
		expect(await real.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 2, consequence: 2 })).toMatchObject({ ok: true });
		// "joined" on the console and the big screen counts the real member only
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		const presence = facilitator.presence;
		expect(presence.joined).toBe(1);
		// nothing of the failed joins was stored
		expect((await storedWorkshop(server.dataDir, workshop.id)).participants.map((member) => member.id)).toEqual([real.participantId]);
		real.socket.close();
		facilitator.socket.close();
	});
});
