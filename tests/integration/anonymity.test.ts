/**
 * Issue 23, item 1: in anonymous and counts-only workshops nothing the facilitator, another member
 * or the big screen can see or download ties an answer to a member better than chance. No
 * per-member answer counts; a distribution, its statistics and its flag only once MIN_GROUP
 * answers are in; removing a member who has answered changes no figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberWorkshopView, ProjectorView } from '../../src/lib/protocol';
import type { WorkshopResults } from '../../src/lib/domain/results';
import { call, createWorkshop, joinAsFacilitator, joinAsMember, joinAsProjector, untilProjector, until, type CreatedWorkshop, type Member } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

type Made = CreatedWorkshop & { riskPointIds: string[] };
const patch = (workshop: Made, json: unknown) => call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json });
const results = async (workshop: Made): Promise<WorkshopResults> => (await call(server.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey })).body;
const pointOf = (all: WorkshopResults, id: string) => all.riskPoints.find((point) => point.id === id)!;

/** A workshop in the privacy mode with `members` members; the first `answering` answer point A. */
async function workshopWith(privacy: 'anonymous' | 'counts' | 'named', members: number, answering: number) {
	const workshop = await createWorkshop(server.url, ['A', 'B'], { pacing: 'facilitator', anonymous: privacy !== 'named' });
	if (privacy === 'counts') await patch(workshop, { countsOnly: true });
	const joined: Member[] = [];
	for (let m = 0; m < members; m++) joined.push(await joinAsMember(server.url, workshop.joinCode, { name: `Medlem ${m + 1}` }));
	for (const [m, member] of joined.slice(0, answering).entries()) {
		expect(await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 1 + ((m * 2) % 5), consequence: 5 - ((m * 2) % 5) })).toMatchObject({ ok: true });
	}
	return { workshop, members: joined, close: () => joined.forEach((member) => member.socket.close()) };
}

describe.each(['anonymous', 'counts'] as const)('a %s workshop', (privacy) => {
	it('gives the facilitator no answer counts per member', async () => {
		const { workshop, close } = await workshopWith(privacy, 3, 2);
		const list = (await call(server.url, `/api/workshops/${workshop.id}/members`, { key: workshop.facilitatorKey })).body.members as { answers?: number | null }[];
		expect(list).toHaveLength(3);
		for (const member of list) expect(member.answers ?? null).toBeNull();
		close();
	});

	it('shows no distribution, statistics or flag of a round with fewer than MIN_GROUP (3) answers, on any screen or export', async () => {
		const { workshop, members, close } = await workshopWith(privacy, 4, 2);
		const [a] = workshop.riskPointIds as [string];
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		const projector = await joinAsProjector(server.url, workshop);
		// two answers, opposite ends of both scales: nothing but the count
		const live = pointOf(await results(workshop), a);
		expect(live.responses).toBe(2);
		expect(live.hidden).toBe(true);
		expect(live.likelihood.counts).toEqual([0, 0, 0, 0, 0]);
		expect(live.likelihood.mean).toBeNull();
		expect(live.score).toBeNull();
		expect(live.disagreement).toBe(false);
		expect(pointOf(facilitator.results, a).likelihood.counts).toEqual([0, 0, 0, 0, 0]);
		// shown to all with two answers: the panel and the big screen learn that it is too few, not the answers
		const shown = untilProjector(projector.socket, (view) => view.current?.revealed !== null && view.current?.revealed !== undefined);
		const memberShown = until<MemberWorkshopView>(members[3]!.socket, 'workshop', (view) => (view.revealed[a] ?? []).length > 0);
		expect((await patch(workshop, { revealed: [a] })).status).toBe(200);
		const revealed = (await shown).current!.revealed!;
		expect(revealed).toMatchObject({ responses: 2, tooFewToShow: true });
		expect(revealed.likelihood.counts).toEqual([0, 0, 0, 0, 0]);
		expect(revealed.cell).toBeNull();
		expect((await shown).matrixPoints).toEqual([]);
		expect((await memberShown).revealed[a]![0]!.likelihood.counts).toEqual([0, 0, 0, 0, 0]);
		// every export of the workshop, closed too
		expect((await patch(workshop, { status: 'closed' })).status).toBe(200);
		const json = (await call(server.url, `/api/workshops/${workshop.id}/export.json`, { key: workshop.facilitatorKey })).body;
		const exported = json.riskPoints.find((point: { id: string }) => point.id === a);
		expect(exported.score).toBeNull();
		expect(JSON.stringify(exported)).not.toMatch(/"counts":\[(?!0,0,0,0,0\])/);
		const csv = (await call(server.url, `/api/workshops/${workshop.id}/export.csv`, { key: workshop.facilitatorKey })).text;
		const row = csv.split('\n').find((line) => /(^|[;,])A([;,]|$)/.test(line))!;
		expect(row).not.toMatch(/[;,]3([;,.]|$)/); // mean likelihood (1 + 5) / 2 = 3
		facilitator.socket.close();
		projector.socket.close();
		close();
	});

	it('shows the distribution once the third answer is in', async () => {
		const { workshop, close } = await workshopWith(privacy, 3, 3);
		if (privacy === 'counts') await patch(workshop, { revealed: [workshop.riskPointIds[0]] });
		const point = pointOf(await results(workshop), workshop.riskPointIds[0]!);
		expect(point.hidden).toBe(false);
		expect(point.likelihood.counts).toEqual([1, 0, 1, 0, 1]);
		close();
	});

	it('removes a member who has answered without changing any figure, and keeps them out', async () => {
		const { workshop, members, close } = await workshopWith(privacy, 4, 4);
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		const before = await results(workshop);
		const gone = members[3]!;
		const disconnected = new Promise((done) => gone.socket.once('disconnect', done));
		expect((await call(server.url, `/api/workshops/${workshop.id}/members/${gone.participantId}`, { method: 'DELETE', key: workshop.facilitatorKey })).status).toBe(204);
		await disconnected;
		const after = await results(workshop);
		expect(after.riskPoints).toEqual(before.riskPoints);
		// the member list no longer has them, and their token no longer gets in
		const list = (await call(server.url, `/api/workshops/${workshop.id}/members`, { key: workshop.facilitatorKey })).body.members as { id: string }[];
		expect(list.map((member) => member.id)).not.toContain(gone.participantId);
		await expect(joinAsMember(server.url, workshop.joinCode, { participantToken: gone.participantToken })).rejects.toMatchObject({ data: { code: 'error.member.removed' } });
		facilitator.socket.close();
		close();
	});
});

describe('a named workshop', () => {
	it('shows each member’s answer count and a distribution of one answer, and removes a member with their answers', async () => {
		const { workshop, members, close } = await workshopWith('named', 2, 1);
		const list = (await call(server.url, `/api/workshops/${workshop.id}/members`, { key: workshop.facilitatorKey })).body.members as { answers: number }[];
		expect(list.map((member) => member.answers)).toEqual([1, 0]);
		expect(pointOf(await results(workshop), workshop.riskPointIds[0]!).likelihood.counts).toEqual([1, 0, 0, 0, 0]);
		expect((await call(server.url, `/api/workshops/${workshop.id}/members/${members[0]!.participantId}`, { method: 'DELETE', key: workshop.facilitatorKey })).status).toBe(204);
		expect(pointOf(await results(workshop), workshop.riskPointIds[0]!).responses).toBe(0);
		close();
	});
});
