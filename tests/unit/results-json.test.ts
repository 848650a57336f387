import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkshopSchema } from '../../src/lib/protocol';
import { LowdbStore } from '../../src/lib/server/store/lowdb/lowdb-store';
import { WorkshopService } from '../../src/lib/server/workshops/workshop-service';
import { memberView, memberViewJson } from '../../src/lib/server/workshops/views';
import { ResultsFeed } from '../../src/lib/server/realtime/results-feed';

/** A member as the member's page makes one: joined, then confirmed once the client has the token. */
async function joinConfirmed(service: WorkshopService, ...args: Parameters<WorkshopService['join']>) {
	const joined = await service.join(...args);
	if (joined.pending) await service.confirmMember(joined.workshop, joined.pending);
	return joined;
}
import { applyResultsDelta, receivedResults, type SentResults } from '../../src/lib/domain/results-delta';

/** A workshop in a fresh data folder, with its service. */
async function newWorkshop(title: string) {
	const dir = await mkdtemp(join(tmpdir(), 'results-json-'));
	const store = new LowdbStore(dir);
	await store.open();
	const service = new WorkshopService(store.workshops);
	const created = await service.create(createWorkshopSchema.parse({ title, language: 'nb' }), 'http://localhost');
	return { dir, service, created, workshop: service.get(created.id) };
}

describe('results and member views as JSON for live updates', () => {
	it('always say what results() and memberView() say, and deltas merged into the results sent before say it too, through ratings, changed answers, reveal, notes and a second round', async () => {
		const { dir, service, created, workshop } = await newWorkshop('Nasjonalt fagpanel');
		await service.setRiskPoints(workshop, [{ text: 'Barns behov kartlegges ikke' }, { text: 'Vedtak begrunnes ikke' }, { text: 'Ingen «oppfølging»' }]);
		await service.update(workshop, { status: 'open' });
		const [a, b, c] = workshop.settings.riskPoints.map((point) => point.id) as [string, string, string];
		const members: string[] = [];
		// a facilitator who got the results whole once and deltas since (as over the socket)
		const feed = new ResultsFeed();
		let merged = receivedResults(JSON.parse(feed.snapshot(workshop)) as SentResults);
		const same = () => {
			expect(receivedResults(JSON.parse(workshop.resultsJson()))).toEqual(workshop.results());
			const update = feed.update(workshop);
			if (update?.event === 'results') merged = receivedResults(JSON.parse(update.json));
			else if (update) merged = applyResultsDelta(merged, JSON.parse(update.json));
			expect(merged).toEqual(workshop.results());
			for (const member of members) expect(JSON.parse(memberViewJson(workshop, member))).toEqual(memberView(workshop, member));
		};

		same();
		for (let i = 0; i < 5; i++) members.push((await joinConfirmed(service, created.joinCode, undefined, `M${i}`)).participantId);
		for (const [i, member] of members.entries()) {
			await service.rate(workshop, member, { riskPointId: a, likelihood: (i % 5) + 1, consequence: 5 - (i % 5) });
			same();
			await service.rate(workshop, member, { riskPointId: b, likelihood: 4, consequence: i < 2 ? null : 4 });
			same();
		}
		// a changed answer moves the ranking
		await service.rate(workshop, members[0]!, { riskPointId: c, likelihood: 5, consequence: 5 });
		same();
		await service.rate(workshop, members[0]!, { riskPointId: a, likelihood: 1, consequence: 1 });
		same();
		await service.update(workshop, { notes: { riskPointId: a, discussion: 'Drøftet', measures: 'Tilsyn' } });
		same();
		await service.update(workshop, { revealed: [a] });
		same();
		await service.update(workshop, { newRound: [a] });
		same();
		await service.rate(workshop, members[1]!, { riskPointId: a, likelihood: 2, consequence: 2 });
		same();
		await service.update(workshop, { status: 'closed', title: 'Nytt navn' });
		same();
		await rm(dir, { recursive: true });
	});

	it('send the round a point\'s numbers come from once: null in its rounds, made again on receipt', async () => {
		const { dir, service, created, workshop } = await newWorkshop('Runder');
		await service.setRiskPoints(workshop, [{ text: 'Barns behov kartlegges ikke' }]);
		await service.update(workshop, { status: 'open' });
		const point = workshop.settings.riskPoints[0]!.id;
		const members: string[] = [];
		for (let i = 0; i < 3; i++) members.push((await joinConfirmed(service, created.joinCode, undefined, `M${i}`)).participantId);
		for (const [i, member] of members.entries()) await service.rate(workshop, member, { riskPointId: point, likelihood: i + 2, consequence: 4 });
		const sentRounds = () => (JSON.parse(workshop.resultsJson()) as SentResults).riskPoints[0]!.rounds;
		// one round: its figures are the point's own, and not sent twice
		expect(sentRounds()).toEqual([null]);
		const whole = JSON.stringify(workshop.results().riskPoints[0]);
		expect(JSON.stringify(JSON.parse(workshop.resultsJson()).riskPoints[0]).length).toBeLessThan(whole.length * 0.7);
		// a second round nobody has answered yet: the numbers still come from round 1, and round 2 is sent whole
		await service.update(workshop, { newRound: [point] });
		expect(sentRounds()[0]).toBeNull();
		expect(sentRounds()[1]).toMatchObject({ round: 2, responses: 0 });
		expect(receivedResults(JSON.parse(workshop.resultsJson()))).toEqual(workshop.results());
		// once it has answers, round 2 is the one left out
		await service.rate(workshop, members[0]!, { riskPointId: point, likelihood: 1, consequence: 1 });
		expect(sentRounds()[0]).toMatchObject({ round: 1, responses: 3 });
		expect(sentRounds()[1]).toBeNull();
		expect(receivedResults(JSON.parse(workshop.resultsJson()))).toEqual(workshop.results());
		await rm(dir, { recursive: true });
	});

	it('rank as results() does when many ratings move points up and down between updates, and when the list changes', async () => {
		const { dir, service, created, workshop } = await newWorkshop('Rangering');
		const list = (prefix: string) => Array.from({ length: 8 }, (_, i) => ({ text: `${prefix} ${i + 1}` }));
		const ranked = () => {
			const sent = receivedResults(JSON.parse(workshop.resultsJson()) as SentResults);
			expect(sent).toEqual(workshop.results());
			return sent.riskPoints.map((point) => point.id);
		};
		const listOrder = () => workshop.settings.riskPoints.map((point) => point.id);
		await service.setRiskPoints(workshop, list('Punkt'));
		expect(ranked()).toEqual(listOrder());
		// another list of the same length: the order kept from before no longer applies
		await service.setRiskPoints(workshop, list('Annet punkt'));
		expect(ranked()).toEqual(listOrder());
		await service.update(workshop, { status: 'open' });
		const members: string[] = [];
		for (let i = 0; i < 6; i++) members.push((await joinConfirmed(service, created.joinCode, undefined, `M${i}`)).participantId);
		// a fixed pseudo-random sequence: a few ratings between updates, as in a burst
		let seed = 7;
		const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
		const orders = new Set<string>();
		for (let step = 0; step < 60; step++) {
			for (let k = next(4); k >= 0; k--) {
				const point = workshop.settings.riskPoints[next(8)]!;
				await service.rate(workshop, members[next(6)]!, { riskPointId: point.id, likelihood: next(5) + 1, consequence: next(5) + 1 });
			}
			orders.add(ranked().join());
		}
		expect(orders.size).toBeGreaterThan(10); // the ranking did move
		// a point added after rating started (from the assessment's list) is ranked too
		const before = ranked();
		await service.appendRiskPoints(workshop, [{ id: 'added', code: '', text: 'Lagt til', category: '', description: '' }]);
		expect(ranked()).toEqual([...before, 'added']);
		await rm(dir, { recursive: true });
	});
});
