import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FacilitatorWorkshopView, MemberWorkshopView, ProjectorView } from '../../src/lib/protocol';
import {
	call,
	createWorkshop,
	joinAsFacilitator,
	joinAsMember,
	joinAsProjector,
	untilProjector,
	recordFrames,
	until,
	type CreatedWorkshop
} from '../helpers/clients';
import { untilPresence, untilResults } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

const patch = (workshop: CreatedWorkshop, json: unknown) =>
	call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json });

/** Socket.io event frames ("42[...]") as [event, payload]. */
const events = (frames: string[]) =>
	frames.filter((frame) => frame.startsWith('2[')).map((frame) => JSON.parse(frame.slice(1)) as [string, unknown]);

describe('the reveal gate', () => {
	it('sends members and the projector no numbers of a round until the facilitator reveals it', async () => {
		const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag'], {
			pacing: 'facilitator'
		});
		const [a] = workshop.riskPointIds as [string, string];
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		const projector = await joinAsProjector(server.url, workshop);
		const members = await Promise.all(['Kari', 'Ola', 'Per'].map((name) => joinAsMember(server.url, workshop.joinCode, { name })));
		const frames = members.map((member) => recordFrames(member.socket));
		const projectorFrames = recordFrames(projector.socket);
		expect(members[0]!.view.currentRiskPointId).toBe(a);

		const threeAnswered = untilProjector(projector.socket, (view) => view.current?.responses === 3);
		const answers = [
			[4, 5],
			[2, 5],
			[4, 4]
		] as const;
		for (const [i, member] of members.entries()) {
			const ack = await member.socket.emitWithAck('rate', { riskPointId: a, likelihood: answers[i]![0], consequence: answers[i]![1] });
			expect(ack).toMatchObject({ ok: true });
		}
		const beforeReveal = await threeAnswered;
		expect(beforeReveal.current).toMatchObject({ id: a, round: 1, responses: 3, revealed: null });
		expect(beforeReveal.matrixPoints).toEqual([]);

		// on the wire, before reveal: members got only their own answers, never counts, means or others' answers
		for (const [i, memberFrames] of frames.entries()) {
			const sent = events(memberFrames);
			// acks at least (each with the member's own answer)
			expect(memberFrames.length).toBeGreaterThan(0);
			for (const [event, payload] of sent) {
				expect(['workshop', 'participant', 'answer']).toContain(event);
				// the answer event is this member's own answer as stored
				if (event === 'answer') expect(payload).toEqual({ riskPointId: a, round: 1, likelihood: answers[i]![0], consequence: answers[i]![1] });
				const view = payload as MemberWorkshopView;
				if (event === 'workshop') expect(view.revealed).toEqual({});
				if (event !== 'workshop') continue;
				// only this member's own answer, if any yet
				expect(Object.keys(view.ratings).filter((id) => id !== a)).toEqual([]);
				if (view.ratings[a]) expect(view.ratings[a]).toEqual({ likelihood: answers[i]![0], consequence: answers[i]![1] });
			}
			const text = memberFrames.join('\n');
			expect(text).not.toMatch(/"counts"|"mean"|"median"|"responses"|"names"|Kari|Ola|Per/);
		}
		const projectorText = projectorFrames.join('\n');
		expect(projectorText).not.toMatch(/"counts"|"mean"|"median"|Kari|Ola|Per|"participantId"/);

		// the facilitator sees the answers before reveal
		expect(facilitator.socket.connected).toBe(true);

		const revealedToMember = until<MemberWorkshopView>(members[0]!.socket, 'workshop', (view) => (view.revealed[a]?.length ?? 0) > 0);
		const revealedOnProjector = untilProjector(projector.socket, (view) => view.current?.revealed !== null);
		expect((await patch(workshop, { revealed: [a] })).status).toBe(200);
		const shown = (await revealedToMember).revealed[a]![0]!;
		expect(shown).toMatchObject({
			round: 1,
			responses: 3,
			likelihood: { counts: [0, 1, 0, 2, 0], n: 3, abstained: 0, mean: 10 / 3, median: 4 },
			consequence: { counts: [0, 0, 0, 1, 2], n: 3, abstained: 0, mean: 14 / 3, median: 5 },
			cell: { likelihood: 3, consequence: 5 }
		});
		const big = await revealedOnProjector;
		expect(big.current!.revealed).toEqual(shown);
		expect(big.matrixPoints).toEqual([
			expect.objectContaining({ id: a, code: 'R1', cell: { likelihood: 3, consequence: 5 }, round: 1 })
		]);
		// the revealed view still ties nothing to a member
		expect(JSON.stringify(big)).not.toMatch(/Kari|Ola|Per/);

		// answers are locked once the round is shown
		const late = await members[1]!.socket.emitWithAck('rate', { riskPointId: a, likelihood: 1, consequence: 1 });
		expect(late).toMatchObject({ ok: false, code: 'error.rate.revealed' });

		for (const member of members) member.socket.close();
		projector.socket.close();
		facilitator.socket.close();
	});

	it('refuses a projector for an unknown workshop with a clear error', async () => {
		const { io } = await import('socket.io-client');
		const socket = io(server.url, { auth: { projectorFor: 'nope' }, transports: ['websocket'], forceNew: true });
		const error = await new Promise<Error & { data?: { code?: string } }>((done) => socket.once('connect_error', done));
		expect(error.data?.code).toBe('error.workshop.notFound');
		socket.close();
	});
});

describe('a two-round workshop', () => {
	it('reruns the flagged points, keeps both rounds and reports how the spread changed', async () => {
		const workshop = await createWorkshop(server.url, ['Uenige', 'Enige']);
		const [split, agreed] = workshop.riskPointIds as [string, string];
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		const members = await Promise.all([0, 1, 2, 3].map(() => joinAsMember(server.url, workshop.joinCode)));
		const first = [
			[1, 5],
			[5, 1],
			[1, 5],
			[5, 1]
		] as const;
		const allIn = untilResults(facilitator.socket, (r) => r.riskPoints.every((p) => p.responses === 4));
		for (const [i, member] of members.entries()) {
			await member.socket.emitWithAck('rate', { riskPointId: split, likelihood: first[i]![0], consequence: first[i]![1] });
			await member.socket.emitWithAck('rate', { riskPointId: agreed, likelihood: 3, consequence: 3 });
		}
		const round1 = await allIn;
		expect(round1.riskPoints.find((p) => p.id === split)).toMatchObject({ disagreement: true, round: 1 });
		expect(round1.riskPoints.find((p) => p.id === agreed)).toMatchObject({ disagreement: false, consensus: { likelihood: 1, consequence: 1 } });

		// round 2 for the flagged points only: members see their round-1 answer and the group's distribution
		const secondRound = until<MemberWorkshopView>(members[0]!.socket, 'workshop', (view) => view.rounds[split] === 2);
		const started = await patch(workshop, { newRound: 'flagged' });
		expect(started.status).toBe(200);
		expect((started.body as FacilitatorWorkshopView).rounds).toEqual({ [split]: 2, [agreed]: 1 });
		const view = await secondRound;
		expect(view.rounds[agreed]).toBe(1);
		expect(view.ratings[split]).toBeUndefined();
		expect(view.ratings[agreed]).toEqual({ likelihood: 3, consequence: 3 });
		expect(view.previousRatings[split]).toEqual({ likelihood: 1, consequence: 5 });
		expect(view.revealed[split]).toEqual([
			expect.objectContaining({ round: 1, likelihood: expect.objectContaining({ counts: [2, 0, 0, 0, 2] }) })
		]);

		const second = [
			[2, 4],
			[3, 3],
			[1, 5],
			[3, 4]
		] as const;
		const round2In = untilResults(facilitator.socket, (r) => r.riskPoints.find((p) => p.id === split)?.responses === 4 && r.riskPoints.find((p) => p.id === split)?.round === 2);
		for (const [i, member] of members.entries()) {
			const ack = await member.socket.emitWithAck('rate', { riskPointId: split, likelihood: second[i]![0], consequence: second[i]![1] });
			expect(ack).toMatchObject({ ok: true });
		}
		const live = await round2In;
		const point = live.riskPoints.find((p) => p.id === split)!;
		expect(point.round).toBe(2);
		expect(point.currentRound).toBe(2);
		expect(point.rounds).toHaveLength(2);
		// round 1 L = 1,1,5,5 (IQR 4, consensus 0); round 2 L = 1,2,3,3 (IQR 1.25)
		expect(point.rounds[0]!.likelihood.iqr).toBe(4);
		expect(point.rounds[0]!.consensus.likelihood).toBe(0);
		expect(point.rounds[0]!.revealed).toBe(true);
		expect(point.likelihood.iqr).toBe(1.25);
		expect(point.likelihood.mean).toBe(2.25);
		expect(point.consensus.likelihood!).toBeGreaterThan(0.5);
		expect(point.changed).toBe(3); // member 2 kept 1/5
		expect(point.rounds[1]!.revealed).toBe(false);

		// the same over HTTP, and round 1 on request
		const http = await call(server.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		expect(http.body).toEqual(live);
		const asked = await call(server.url, `/api/workshops/${workshop.id}/results?round=1`, { key: workshop.facilitatorKey });
		expect(asked.body.riskPoints.find((p: { id: string }) => p.id === split)).toMatchObject({ round: 1, likelihood: { mean: 3 } });
		const wrongRound = await call(server.url, `/api/workshops/${workshop.id}/results?round=zero`, { key: workshop.facilitatorKey });
		expect(wrongRound.status).toBe(400);
		expect(wrongRound.body.error).toMatch(/round=latest/);

		// notes travel into results and exports
		const noted = await patch(workshop, { notes: { riskPointId: split, discussion: 'Ulik praksis mellom kontor', measures: '=Tilsyn med rutiner' } });
		expect(noted.status).toBe(200);
		const withNotes = await call(server.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		expect(withNotes.body.riskPoints.find((p: { id: string }) => p.id === split).notes).toEqual({
			discussion: 'Ulik praksis mellom kontor',
			measures: '=Tilsyn med rutiner'
		});
		const csv = await call(server.url, `/api/workshops/${workshop.id}/export.csv`, { key: workshop.facilitatorKey });
		const [header, ...rows] = csv.text.replace(/^\uFEFF/, '').split('\r\n');
		const columns = header!.split(';');
		expect(columns).toEqual(expect.arrayContaining(['Runde', 'Diskusjon', 'Tiltak', 'Endret svar fra forrige runde', 'Runde 1 sannsynlighet IQR']));
		const row = rows.find((line) => line.includes('Uenige'))!.split(';');
		const cell = (name: string) => row[columns.indexOf(name)];
		expect(cell('Runde')).toBe('2');
		expect(cell('Diskusjon')).toBe('Ulik praksis mellom kontor');
		expect(cell('Tiltak')).toBe("'=Tilsyn med rutiner");
		expect(cell('Endret svar fra forrige runde')).toBe('3');
		expect(cell('Runde 1 sannsynlighet IQR')).toBe('4');
		expect(cell('Sannsynlighet IQR')).toBe('1,25');

		// a third round works the same way
		expect((await patch(workshop, { newRound: [split] })).body.rounds[split]).toBe(3);

		for (const member of members) member.socket.close();
		facilitator.socket.close();
	});

	it('refuses a new round or reveal for an unknown point, and keeps the state', async () => {
		const workshop = await createWorkshop(server.url, ['A']);
		const before = await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey });
		for (const body of [{ newRound: ['nope'] }, { revealed: ['nope'] }, { notes: { riskPointId: 'nope', discussion: '', measures: '' } }]) {
			const refused = await patch(workshop, body);
			expect(refused.status).toBe(404);
			expect(refused.body.error).toBeTruthy();
		}
		const tooLong = await patch(workshop, { notes: { riskPointId: workshop.riskPointIds[0], discussion: 'x'.repeat(5001), measures: '' } });
		expect(tooLong.status).toBe(400);
		const after = await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey });
		expect(after.body.rounds).toEqual(before.body.rounds);
		expect(after.body.revealed).toEqual(before.body.revealed);
		expect(after.body.notes).toEqual({});
	});
});

describe('anonymity', () => {
	it('shows who has not answered only in a named workshop', async () => {
		const named = await createWorkshop(server.url, ['A', 'B'], { anonymous: false, pacing: 'facilitator' });
		const facilitator = await joinAsFacilitator(server.url, named.id, named.facilitatorKey);
		const bothHere = untilPresence(facilitator.socket, (p) => p.connected === 2);
		const kari = await joinAsMember(server.url, named.joinCode, { name: 'Kari' });
		const ola = await joinAsMember(server.url, named.joinCode, { name: 'Ola' });
		expect((await bothHere).notAnswered).toEqual({ names: ['Kari', 'Ola'], unnamed: 0 });
		const karisDone = untilPresence(facilitator.socket, (p) => p.notAnswered?.names.length === 1);
		await kari.socket.emitWithAck('rate', { riskPointId: named.riskPointIds[0]!, likelihood: 3, consequence: 3 });
		expect((await karisDone).notAnswered).toEqual({ names: ['Ola'], unnamed: 0 });
		// the workshop cannot become anonymous-then-named tricks: named -> anonymous is allowed
		expect((await patch(named, { anonymous: true })).status).toBe(200);
		kari.socket.close();
		ola.socket.close();
		facilitator.socket.close();
	});

	it('says only how many have not answered in an anonymous workshop, never who, and cannot be made named after ratings', async () => {
		const anonymous = await createWorkshop(server.url, ['A'], { pacing: 'facilitator' });
		const facilitator = await joinAsFacilitator(server.url, anonymous.id, anonymous.facilitatorKey);
		const here = untilPresence(facilitator.socket, (p) => p.connected === 1);
		const kari = await joinAsMember(server.url, anonymous.joinCode, { name: 'Kari' });
		expect((await here).notAnswered).toEqual({ names: [], unnamed: 1 });
		expect((await here).names).toEqual(['Kari']);
		const done = untilPresence(facilitator.socket, (p) => p.notAnswered?.unnamed === 0);
		await kari.socket.emitWithAck('rate', { riskPointId: anonymous.riskPointIds[0]!, likelihood: 3, consequence: 3 });
		expect((await done).notAnswered).toEqual({ names: [], unnamed: 0 });
		const refused = await patch(anonymous, { anonymous: false });
		expect(refused.status).toBe(409);
		expect(refused.body.code).toBe('error.anonymity.locked');
		const exported = await call(server.url, `/api/workshops/${anonymous.id}/export.json`, { key: anonymous.facilitatorKey });
		expect(exported.text).not.toMatch(/Kari|participantId/);
		kari.socket.close();
		facilitator.socket.close();
	});
});
