/**
 * Issue 23, items 4 and 7: what one connection may cost, whatever its role. Projector screens are
 * capped per address and per workshop; a socket that stops reading is dropped once its unsent data
 * passes the bound; projector and facilitator sockets that send messages they should not, or
 * binary data, are closed like a member's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { call, createWorkshop, joinAsFacilitator, joinAsMember, joinAsProjector, projectorKeyOf, refusal, type ClientSocket } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

const running: RunningServer[] = [];
async function start(env: Record<string, string> = {}) {
	const server = await startServer({ env });
	running.push(server);
	return server;
}
afterEach(async () => {
	await Promise.all(running.splice(0).map((server) => server.stop()));
});

const closed = (socket: ClientSocket) => new Promise<string>((done) => socket.once('disconnect', (reason) => done(reason)));

/** A projector socket from an address (behind ADDRESS_HEADER), resolved with how it went. */
function projectorFrom(url: string, workshopId: string, projectorKey: string, address: string): Promise<{ socket: ClientSocket; code?: string }> {
	const socket: ClientSocket = io(url, { auth: { projectorFor: workshopId, projectorKey }, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { 'x-forwarded-for': address } });
	return new Promise((done) => {
		socket.once('projector', () => done({ socket }));
		socket.once('connect_error', (error) => done({ socket, code: (error as Error & { data?: { code?: string } }).data?.code }));
	});
}

describe('projector screens', () => {
	it('are capped per workshop and per address, and a closed screen frees its place', async () => {
		const server = await start({ ADDRESS_HEADER: 'x-forwarded-for', MAX_PROJECTORS_PER_WORKSHOP: '3', MAX_PROJECTORS_PER_ADDRESS: '2' });
		const one = await createWorkshop(server.url, ['A']);
		const two = await createWorkshop(server.url, ['A']);
		const key = await projectorKeyOf(server.url, one);
		// per address: the third from 10.0.0.1 is refused, also for another workshop
		const first = await projectorFrom(server.url, one.id, key, '10.0.0.1');
		const second = await projectorFrom(server.url, one.id, key, '10.0.0.1');
		expect([first.code, second.code]).toEqual([undefined, undefined]);
		expect((await projectorFrom(server.url, one.id, key, '10.0.0.1')).code).toBe('error.projector.tooMany');
		expect((await projectorFrom(server.url, two.id, await projectorKeyOf(server.url, two), '10.0.0.1')).code).toBe('error.projector.tooMany');
		// per workshop: three in all
		const third = await projectorFrom(server.url, one.id, key, '10.0.0.2');
		expect(third.code).toBeUndefined();
		expect((await projectorFrom(server.url, one.id, key, '10.0.0.3')).code).toBe('error.projector.tooMany');
		// members are not projectors: a hall behind one address still joins
		const members = await Promise.all([1, 2, 3, 4].map(() => joinAsMember(server.url, one.joinCode)));
		for (const member of members) member.socket.close();
		first.socket.close();
		await expect.poll(async () => (await projectorFrom(server.url, one.id, key, '10.0.0.3')).code).toBeUndefined();
		for (const screen of [second, third]) screen.socket.close();
	});
});

describe('a socket that stops reading', () => {
	it('is dropped once its unsent data passes MAX_SOCKET_BACKLOG_KB, and an honest member is not slowed', async () => {
		const server = await start({ MAX_SOCKET_BACKLOG_KB: '256' });
		const points = Array.from({ length: 300 }, (_, i) => `Risikopunkt ${i + 1} med en lang nok tekst til å fylle resultatene, og litt til`);
		const workshop = await createWorkshop(server.url, points, { pacing: 'facilitator' });
		const slow = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		// stop reading: the connection's TCP socket is paused, as a client that hangs would
		const transport = slow.socket.io.engine.transport as unknown as { ws?: { _socket?: { pause: () => void; resume: () => void } } };
		transport.ws!._socket!.pause();
		const member = await joinAsMember(server.url, workshop.joinCode);
		// each change of the workshop sends the facilitators its whole view and results (some 200 KB here)
		for (let i = 0; i < 300 && !/stopped reading/.test(server.output()); i++) {
			await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { title: `Tittel ${i}` } });
		}
		await expect.poll(() => server.output(), { timeout: 10_000 }).toMatch(/Dropped a facilitator connection that stopped reading/);
		// the honest member is answered as ever
		expect(await member.socket.timeout(5000).emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 3, consequence: 3 })).toMatchObject({ ok: true });
		member.socket.close();
		transport.ws!._socket!.resume();
		slow.socket.close();
	}, 60_000);
});

describe('messages a role should not send', () => {
	it.each(['facilitator', 'projector'] as const)('close a %s socket after 50, like a member’s', async (role) => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['A']);
		const socket = role === 'facilitator' ? (await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey)).socket : (await joinAsProjector(server.url, workshop)).socket;
		const gone = closed(socket);
		for (let i = 0; i < 60; i++) (socket.emit as (event: string, ...args: unknown[]) => void)('whatever', 'x'.repeat(1000));
		expect(await gone).toBe('io server disconnect');
	});

	it.each(['member', 'facilitator'] as const)('close a %s socket that sends binary data', async (role) => {
		const server = await start();
		const workshop = await createWorkshop(server.url, ['A']);
		const socket = role === 'facilitator' ? (await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey)).socket : (await joinAsMember(server.url, workshop.joinCode)).socket;
		const gone = closed(socket);
		(socket.emit as (event: string, ...args: unknown[]) => void)('rate', new Uint8Array(8000));
		expect(await gone).toMatch(/transport close|server disconnect/);
		// the server goes on
		expect((await refusal(server.url, { joinCode: 'ZZZZZZ' })).data?.code).toBe('error.join.unknownCode');
	});
});
