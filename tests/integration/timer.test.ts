import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FacilitatorWorkshopView, MemberWorkshopView, ProjectorView } from '../../src/lib/protocol';
import { call, createWorkshop, joinAsFacilitator, joinAsMember, joinAsProjector, untilProjector, until, type CreatedWorkshop } from '../helpers/clients';
import { startServer, storedWorkshop, type RunningServer } from '../helpers/server';

let server: RunningServer;

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

const patch = (workshop: CreatedWorkshop, json: unknown) =>
	call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json });

const revealedNow = (view: MemberWorkshopView, id: string) => (view.revealed[id] ?? []).some((shown) => shown.round === (view.rounds[id] ?? 1));

describe('the point timer and automatic reveal', () => {
	it('shows the round to all when the time is up, and starts again on the next point', async () => {
		const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag'], { pacing: 'facilitator' });
		const [a, b] = workshop.riskPointIds as [string, string];
		const member = await joinAsMember(server.url, workshop.joinCode);
		const projector = await joinAsProjector(server.url, workshop);

		const timed = until<MemberWorkshopView>(member.socket, 'workshop', (view) => view.timer !== null);
		const started = Date.now();
		expect((await patch(workshop, { pointSeconds: 2 })).status).toBe(200);
		const view = await timed;
		// the timer starts at once on the point the panel is on, and everyone sees when it ends
		expect(view.timer!.seconds).toBe(2);
		expect(Date.parse(view.timer!.endsAt) - started).toBeGreaterThan(1500);
		expect(Date.parse(view.timer!.endsAt) - started).toBeLessThan(3000);
		expect(revealedNow(view, a)).toBe(false);

		// nobody answered: when the time is up, the round is shown anyway (with no answers) and the timer is gone
		const shown = await until<MemberWorkshopView>(member.socket, 'workshop', (next) => revealedNow(next, a));
		expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
		expect(shown.timer).toBeNull();
		const projected = await untilProjector(projector.socket, (next) => next.current?.revealed !== null);
		expect(projected.timer).toBeNull();

		// the next point gets a fresh timer; a stop command stops it
		const next = until<MemberWorkshopView>(member.socket, 'workshop', (v) => v.currentRiskPointId === b && v.timer !== null);
		await patch(workshop, { currentRiskPointId: b });
		expect((await next).timer!.seconds).toBe(2);
		const stopped = until<MemberWorkshopView>(member.socket, 'workshop', (v) => v.timer === null);
		await patch(workshop, { timer: 'stop' });
		await stopped;
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect((await storedWorkshop(server.dataDir, workshop.id)).workshop.revealed[b]).toBeUndefined();
		member.socket.disconnect();
		projector.socket.disconnect();
	});

	it('shows the round as soon as everyone connected has answered, and a reveal can be taken back', async () => {
		const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag'], { pacing: 'facilitator' });
		const [a] = workshop.riskPointIds as [string, string];
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		const members = await Promise.all([0, 1, 2].map(() => joinAsMember(server.url, workshop.joinCode)));
		const turnedOn = until<FacilitatorWorkshopView>(facilitator.socket, 'workshop', (view) => view.autoReveal);
		expect((await patch(workshop, { autoReveal: true })).status).toBe(200);
		await turnedOn;

		// two of three answered: nothing shown yet
		for (const member of members.slice(0, 2)) expect(await member.socket.emitWithAck('rate', { riskPointId: a, likelihood: 3, consequence: 4 })).toMatchObject({ ok: true });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((await storedWorkshop(server.dataDir, workshop.id)).workshop.revealed[a]).toBeUndefined();

		// the third answers: shown to all at once
		const shown = until<MemberWorkshopView>(members[0]!.socket, 'workshop', (view) => revealedNow(view, a));
		expect(await members[2]!.socket.emitWithAck('rate', { riskPointId: a, likelihood: 2, consequence: 4 })).toMatchObject({ ok: true });
		const view = await shown;
		expect(view.revealed[a]![0]!.responses).toBe(3);

		// undo: hidden again; the members may change their answers, and a changed answer does not reveal it again
		const hidden = until<MemberWorkshopView>(members[0]!.socket, 'workshop', (next) => !revealedNow(next, a));
		expect((await patch(workshop, { unrevealed: [a] })).status).toBe(200);
		expect((await hidden).revealed[a]).toBeUndefined();
		expect(await members[0]!.socket.emitWithAck('rate', { riskPointId: a, likelihood: 5, consequence: 5 })).toMatchObject({ ok: true });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((await storedWorkshop(server.dataDir, workshop.id)).workshop.revealed[a] ?? []).toEqual([]);

		// only those connected count: one leaves, a latecomer joins and answers, and that completes the room
		members[2]!.socket.disconnect();
		const late = await joinAsMember(server.url, workshop.joinCode);
		const again = until<MemberWorkshopView>(members[0]!.socket, 'workshop', (next) => revealedNow(next, a));
		expect(await late.socket.emitWithAck('rate', { riskPointId: a, likelihood: 4, consequence: 4 })).toMatchObject({ ok: true });
		expect((await again).revealed[a]!.at(-1)!.responses).toBe(4);
		for (const member of [...members, late]) member.socket.disconnect();
		facilitator.socket.disconnect();
	});

	it('keeps a running timer through a restart: the round is shown when its time is up', async () => {
		const own = await startServer();
		try {
			const workshop = await createWorkshop(own.url, ['Barnas behov blir ikke kartlagt'], { pacing: 'facilitator' });
			const [a] = workshop.riskPointIds as [string];
			expect((await call(own.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { pointSeconds: 3 } })).status).toBe(200);
			await own.kill();
			const again = await startServer({ dataDir: own.dataDir });
			try {
				// the workshop is read on first use; a member joining brings it back, and its timer with it
				const member = await joinAsMember(again.url, workshop.joinCode);
				expect(member.view.timer).not.toBeNull();
				const shown = await until<MemberWorkshopView>(member.socket, 'workshop', (view) => revealedNow(view, a));
				expect(shown.timer).toBeNull();
				member.socket.disconnect();
			} finally {
				await again.stop();
			}
		} finally {
			await own.stop();
		}
	});
});
