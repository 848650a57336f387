import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResults } from '../../src/lib/domain/results';
import type { ResultsDelta } from '../../src/lib/domain/results-delta';
import { defaultMatrix } from '../../src/lib/domain/scales';
import { tallyOf, type RatingAnswer } from '../../src/lib/domain/tally';
import type { Ack, MemberWorkshopView, Presence } from '../../src/lib/protocol';
import { call, createWorkshop, recordFrames, joinAsFacilitator, joinAsMember, until, type Member } from '../helpers/clients';
import { untilPresence, untilResults } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

const POINTS = [
	'Barnas behov blir ikke tilstrekkelig kartlagt',
	'Barn og unge får ikke et samordnet tjenestetilbud',
	'Den sosiale situasjonen og helsesituasjonen blir ikke kartlagt',
	'Personer får ikke tilbud om opplysning, råd og veiledning',
	'Vedtak om økonomisk stønad er mangelfullt begrunnet',
	'Nødhjelp gis ikke samme dag'
];
const MEMBERS = 20;

/** Member i's answer on point j: point 0 is hand-checked below, the others vary. */
function answerOf(member: number, point: number): RatingAnswer {
	if (point === 0) return { likelihood: (member % 5) + 1, consequence: member < 4 ? null : 5 };
	const likelihood = (member * 7 + point * 3) % 6; // 0 = don't know
	const consequence = (member * 5 + point) % 5;
	return { likelihood: likelihood === 0 ? null : likelihood > 5 ? 5 : likelihood, consequence: consequence + 1 };
}

let server: RunningServer;

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

describe('a live workshop over real sockets', () => {
	it('takes ratings from 20 members and ranks them exactly as the domain does', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Nasjonalt fagpanel' });
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		const members: Member[] = [];
		for (let i = 0; i < MEMBERS; i++) members.push(await joinAsMember(server.url, workshop.joinCode, { name: `Medlem ${i}` }));

		const allIn = untilResults(facilitator.socket, (results) =>
			results.riskPoints.every((point) => point.responses === MEMBERS)
		);
		const acks = await Promise.all(
			members.map(async (member, i) => {
				const replies: Ack[] = [];
				for (const [j, riskPointId] of workshop.riskPointIds.entries()) {
					replies.push(await member.socket.emitWithAck('rate', { riskPointId, ...answerOf(i, j) }));
				}
				return replies;
			})
		);
		expect(acks.flat().every((ack) => ack.ok)).toBe(true);

		const expected = buildResults({
			workshop: { id: workshop.id, title: 'Nasjonalt fagpanel', status: 'open' },
			scoring: 'product-of-means',
			matrix: defaultMatrix(),
			levelCount: 5,
			riskPoints: workshop.riskPointIds.map((id, j) => ({ id, code: `R${j + 1}`, text: POINTS[j]!, category: '', description: '' })),
			tallyFor: (id) => tallyOf(members.map((_, i) => answerOf(i, workshop.riskPointIds.indexOf(id))), 5),
			// anonymous by default: the privacy threshold, which 20 answers pass
			minGroup: 3
		});
		const http = await call(server.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		expect(http.status).toBe(200);
		expect(http.body).toEqual(expected);

		const live = await allIn;
		expect(live).toEqual(expected);

		// point R1 by hand: L = 1..5 four times each; C = 5 from 16 members, "don't know" from 4
		const r1 = live.riskPoints.find((point) => point.code === 'R1')!;
		expect(r1.likelihood).toMatchObject({ n: 20, mean: 3, median: 3, iqr: 2, counts: [4, 4, 4, 4, 4] });
		expect(r1.likelihood.sd).toBeCloseTo(Math.sqrt(40 / 19), 10);
		expect(r1.consequence).toMatchObject({ n: 16, abstained: 4, mean: 5, counts: [0, 0, 0, 0, 16] });
		expect(r1).toMatchObject({ score: 15, cell: { likelihood: 3, consequence: 5 }, level: 'high', disagreement: true });

		for (const member of members) member.socket.close();
		facilitator.socket.close();
	});

	it('lets a member join by the form before its script has loaded (a plain GET of /join?code=)', async () => {
		const workshop = await createWorkshop(server.url, ['A']);
		const typed = await fetch(`${server.url}/join?code=${workshop.joinCode.toLowerCase()}`, { redirect: 'manual' });
		expect(typed.status).toBe(303);
		expect(typed.headers.get('location')).toBe(`/join/${workshop.joinCode}`);
		const malformed = await fetch(`${server.url}/join?code=xx`);
		expect(malformed.status).toBe(200);
		const page = await malformed.text();
		expect(page).toContain('Koden har seks tegn (bokstaver og tall). Sjekk koden og prøv igjen.');
		expect(page).toContain('value="xx"');
	});

	it('shows the facilitator who is connected, with names when given', async () => {
		const workshop = await createWorkshop(server.url, ['A']);
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		expect(facilitator.presence).toEqual({ connected: 0, joined: 0, names: [], notAnswered: null, membersDone: 0, answers: 0 });
		const both = until<{ connected: number; names: string[] }>(facilitator.socket, 'presence', (p) => p.connected === 2);
		const kari = await joinAsMember(server.url, workshop.joinCode, { name: 'Kari' });
		const anonymous = await joinAsMember(server.url, workshop.joinCode);
		expect((await both).names).toEqual(['Kari']);
		const one = until<{ connected: number; joined: number }>(facilitator.socket, 'presence', (p) => p.connected === 1);
		kari.socket.close();
		expect((await one).joined).toBe(2);
		anonymous.socket.close();
		facilitator.socket.close();
	});

	it('tells the facilitator of a rating in one message: presence rides in the results update', async () => {
		const workshop = await createWorkshop(server.url, ['A']);
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		const here = untilPresence(facilitator.socket, (p) => p.connected === 1);
		const kari = await joinAsMember(server.url, workshop.joinCode, { name: 'Kari' });
		await here;
		const delta = until<ResultsDelta & { presence?: Presence }>(facilitator.socket, 'resultsDelta', (d) => d.points.length > 0);
		const ack = await kari.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 2, consequence: 4 });
		expect(ack.ok).toBe(true);
		const received = await delta;
		expect(received.points[0]!.responses).toBe(1);
		expect(received.presence).toMatchObject({ connected: 1, joined: 1, answers: 1, membersDone: 1 });
		kari.socket.close();
		facilitator.socket.close();
	});

	it('recognises a member who reconnects with the token, and a second rating replaces the first', async () => {
		const workshop = await createWorkshop(server.url, ['A', 'B'], { anonymous: false });
		const [a, b] = workshop.riskPointIds as [string, string];
		const first = await joinAsMember(server.url, workshop.joinCode, { name: 'Ola' });
		expect(await first.socket.emitWithAck('rate', { riskPointId: a, likelihood: 2, consequence: 3 })).toMatchObject({ ok: true });
		expect(await first.socket.emitWithAck('rate', { riskPointId: b, likelihood: null, consequence: 4 })).toMatchObject({ ok: true });
		first.socket.close();

		const again = await joinAsMember(server.url, workshop.joinCode, { participantToken: first.participantToken });
		expect(again.participantId).toBe(first.participantId);
		expect(again.view.ratings).toEqual({ [a]: { likelihood: 2, consequence: 3 }, [b]: { likelihood: null, consequence: 4 } });

		// what changed comes back, not the whole view: the ack carries the answer as stored, and so
		// does an `answer` event to the member's other connections
		const frames = recordFrames(again.socket);
		const elsewhere = await joinAsMember(server.url, workshop.joinCode, { participantToken: first.participantToken });
		const told = new Promise((done) => elsewhere.socket.once('answer', done));
		const ack = await again.socket.emitWithAck('rate', { riskPointId: a, likelihood: 5, consequence: 5 });
		expect(ack).toEqual({ ok: true, answer: { riskPointId: a, round: 1, likelihood: 5, consequence: 5 } });
		expect(await told).toEqual({ riskPointId: a, round: 1, likelihood: 5, consequence: 5 });
		await new Promise((done) => setTimeout(done, 50));
		expect(frames.some((frame) => frame.includes('"workshop"'))).toBe(false);
		expect(frames.reduce((bytes, frame) => bytes + frame.length, 0)).toBeLessThan(500);
		elsewhere.socket.close();

		const results = await call(server.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey });
		const pointA = results.body.riskPoints.find((p: { id: string }) => p.id === a);
		expect(pointA).toMatchObject({ responses: 1, score: 25 });
		again.socket.close();
	});

	it('follows the facilitator: members get the current point and status at once', async () => {
		const workshop = await createWorkshop(server.url, ['A', 'B', 'C'], { open: false });
		const member = await joinAsMember(server.url, workshop.joinCode);
		expect(member.view.status).toBe('draft');
		const paced = until<MemberWorkshopView>(member.socket, 'workshop', (v) => v.pacing === 'facilitator' && v.status === 'open');
		await call(server.url, `/api/workshops/${workshop.id}`, {
			method: 'PATCH',
			key: workshop.facilitatorKey,
			json: { status: 'open', pacing: 'facilitator' }
		});
		expect((await paced).currentRiskPointId).toBe(workshop.riskPointIds[0]);
		const moved = until<MemberWorkshopView>(member.socket, 'workshop', (v) => v.currentRiskPointId === workshop.riskPointIds[2]);
		await call(server.url, `/api/workshops/${workshop.id}`, {
			method: 'PATCH',
			key: workshop.facilitatorKey,
			json: { currentRiskPointId: workshop.riskPointIds[2] }
		});
		await moved;
		member.socket.close();
	});

	it('exports the ranked list as CSV for Excel and as JSON', async () => {
		const workshop = await createWorkshop(server.url, ['=HYPERLINK("http://x")', 'Barnas behov – æøå'], { title: 'Eksport', anonymous: false });
		const member = await joinAsMember(server.url, workshop.joinCode);
		await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[1]!, likelihood: 4, consequence: 3 });
		await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 1, consequence: 2 });
		member.socket.close();
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'closed' } });

		const csv = await fetch(`${server.url}/api/workshops/${workshop.id}/export.csv`, {
			headers: { authorization: `Bearer ${workshop.facilitatorKey}` }
		});
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(csv.headers.get('content-disposition')).toBe('attachment; filename="eksport.csv"');
		const bytes = new Uint8Array(await csv.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for Excel
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
		const lines = text.slice(1).split('\r\n');
		expect(lines[0]).toMatch(/^Rang;Kode;Risikopunkt;Kategori;Risikoskår;/);
		expect(lines[1]).toMatch(/^1;R2;Barnas behov – æøå;;12;Høy;/);
		expect(lines[2]).toMatch(/^2;R1;"'=HYPERLINK\(""http:\/\/x""\)";;2;Lav;/);

		const comma = await call(server.url, `/api/workshops/${workshop.id}/export.csv?delimiter=comma`, { key: workshop.facilitatorKey });
		expect(comma.text.split('\r\n')[0]).toMatch(/^Rang,Kode,/); // fetch's text() drops the BOM

		const json = await call(server.url, `/api/workshops/${workshop.id}/export.json`, { key: workshop.facilitatorKey });
		expect(json.body).toMatchObject({ workshop: { title: 'Eksport', status: 'closed' }, scoring: 'product-of-means' });
		expect(json.body.riskPoints.map((p: { code: string }) => p.code)).toEqual(['R2', 'R1']);
		expect(json.body.scales.likelihood.labels).toHaveLength(5);
	});
});
