/**
 * Strength of knowledge (issue 13, item 17): an optional third question per point in a workshop
 * that asks it. It is counted beside the score, kept through a crash, shown in every export, and
 * never changes a score, level or rank.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkshopResults } from '../../src/lib/domain/results';
import { call, createWorkshop, joinAsMember } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

const servers: RunningServer[] = [];
afterAll(async () => {
	for (const server of servers) await server.stop().catch(() => undefined);
});
async function start(dataDir?: string) {
	const server = await startServer({ dataDir });
	servers.push(server);
	return server;
}

const POINTS = ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag', 'Vedtak er mangelfullt begrunnet'];
/** [likelihood, consequence, knowledge] per member per point */
const ANSWERS: [number, number, 'strong' | 'moderate' | 'weak' | null][][] = [
	[[4, 5, 'strong'], [3, 3, 'weak'], [2, 2, null]],
	[[5, 5, 'strong'], [2, 4, 'weak'], [2, 3, 'moderate']],
	[[4, 4, 'moderate'], [3, 3, 'weak'], [1, 2, 'strong']]
];

async function rateAll(url: string, workshop: Awaited<ReturnType<typeof createWorkshop>>, withKnowledge: boolean, asked: boolean) {
	for (const member of ANSWERS) {
		const joined = await joinAsMember(url, workshop.joinCode);
		for (const [index, [likelihood, consequence, knowledge]] of member.entries()) {
			const payload = withKnowledge ? { riskPointId: workshop.riskPointIds[index]!, likelihood, consequence, knowledge } : { riskPointId: workshop.riskPointIds[index]!, likelihood, consequence };
			const ack = await joined.socket.emitWithAck('rate', payload);
			expect(ack).toMatchObject({ ok: true });
			// the ack gives the answer as stored: the strength only where the workshop asks it
			expect((ack as { answer?: { knowledge?: string } }).answer?.knowledge).toBe(asked && knowledge ? knowledge : undefined);
		}
		joined.socket.close();
	}
}

const byText = (results: WorkshopResults, text: string) => results.riskPoints.find((point) => point.text === text)!;

describe('strength of knowledge', () => {
	it('is asked only where the workshop asks it, counted beside the score and never changes it', async () => {
		const server = await start();
		const asking = await createWorkshop(server.url, POINTS, { title: 'Med kunnskap' });
		const plain = await createWorkshop(server.url, POINTS, { title: 'Uten kunnskap' });
		const set = await call(server.url, `/api/workshops/${asking.id}`, { method: 'PATCH', key: asking.facilitatorKey, json: { askKnowledge: true } });
		expect(set.status).toBe(200);
		expect(set.body.askKnowledge).toBe(true);

		// a member sees the question where it is asked
		const looking = await joinAsMember(server.url, asking.joinCode);
		expect(looking.view.askKnowledge).toBe(true);
		// a strength that is not one of the three is refused with the reason, and nothing is stored
		const bad = await looking.socket.emitWithAck('rate', { riskPointId: asking.riskPointIds[0]!, likelihood: 3, consequence: 3, knowledge: 'sure' as never });
		expect(bad).toMatchObject({ ok: false, code: 'error.invalidInput' });
		looking.socket.close();

		await rateAll(server.url, asking, true, true);
		// the other workshop does not ask: a strength sent anyway is not stored
		await rateAll(server.url, plain, true, false);

		const withKnowledge = (await call(server.url, `/api/workshops/${asking.id}/results`, { key: asking.facilitatorKey })).body as WorkshopResults;
		const without = (await call(server.url, `/api/workshops/${plain.id}/results`, { key: plain.facilitatorKey })).body as WorkshopResults;
		expect(withKnowledge.asksKnowledge).toBe(true);
		expect(without.asksKnowledge).toBe(false);
		expect(byText(withKnowledge, POINTS[0]!).knowledge).toEqual({ strong: 2, moderate: 1, weak: 0 });
		expect(byText(withKnowledge, POINTS[1]!).knowledge).toEqual({ strong: 0, moderate: 0, weak: 3 });
		expect(byText(withKnowledge, POINTS[2]!).knowledge).toEqual({ strong: 1, moderate: 1, weak: 0 });
		for (const text of POINTS) expect(byText(without, text).knowledge).toEqual({ strong: 0, moderate: 0, weak: 0 });
		// the same answers score, rank and level the same with or without the question
		for (const text of POINTS) {
			const a = byText(withKnowledge, text);
			const b = byText(without, text);
			expect([a.score, a.rank, a.level, a.cell]).toEqual([b.score, b.rank, b.level, b.cell]);
		}

		// exports: three count columns in the CSV, the counts beside each point in the PDF
		const csv = await call(server.url, `/api/workshops/${asking.id}/export.csv?delimiter=semicolon`, { key: asking.facilitatorKey });
		const [header, ...rows] = csv.text.replace('\uFEFF', '').trim().split('\r\n');
		const columns = header!.split(';');
		const at = columns.indexOf('Kunnskap sterk (antall)');
		expect(columns.slice(at, at + 3)).toEqual(['Kunnskap sterk (antall)', 'Kunnskap middels (antall)', 'Kunnskap svak (antall)']);
		const first = rows.map((row) => row.split(';')).find((cells) => cells.includes(POINTS[0]!))!;
		expect(first.slice(at, at + 3)).toEqual(['2', '1', '0']);
		const plainCsv = await call(server.url, `/api/workshops/${plain.id}/export.csv`, { key: plain.facilitatorKey });
		expect(plainCsv.text).not.toContain('Kunnskap');
		const pdf = await fetch(`${server.url}/api/workshops/${asking.id}/export.pdf`, { headers: { authorization: `Bearer ${asking.facilitatorKey}` } });
		const { text } = await extractText(await getDocumentProxy(new Uint8Array(await pdf.arrayBuffer())), { mergePages: true });
		const flat = text.replace(/\s+/g, ' ');
		expect(flat).toContain('Kunnskap: sterk 2, middels 1, svak 0');
		expect(flat).toContain('Styrken på kunnskapen:');
	}, 60_000);

	it('is kept through kill -9 and restart, and a member can change or clear it', async () => {
		const first = await start();
		const workshop = await createWorkshop(first.url, POINTS, { anonymous: false });
		await call(first.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { askKnowledge: true } });
		const member = await joinAsMember(first.url, workshop.joinCode);
		const [a, b] = workshop.riskPointIds;
		expect(await member.socket.emitWithAck('rate', { riskPointId: a!, likelihood: 3, consequence: 4, knowledge: 'weak' })).toMatchObject({ ok: true });
		expect(await member.socket.emitWithAck('rate', { riskPointId: a!, likelihood: 3, consequence: 4, knowledge: 'strong' })).toMatchObject({ ok: true });
		expect(await member.socket.emitWithAck('rate', { riskPointId: b!, likelihood: 2, consequence: 2, knowledge: 'moderate' })).toMatchObject({ ok: true });
		expect(await member.socket.emitWithAck('rate', { riskPointId: b!, likelihood: 2, consequence: 2, knowledge: null })).toMatchObject({ ok: true });
		member.socket.close();
		await first.kill();

		const second = await start(first.dataDir);
		const results = (await call(second.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey })).body as WorkshopResults;
		expect(byText(results, POINTS[0]!).knowledge).toEqual({ strong: 1, moderate: 0, weak: 0 });
		expect(byText(results, POINTS[1]!).knowledge).toEqual({ strong: 0, moderate: 0, weak: 0 });
		const back = await joinAsMember(second.url, workshop.joinCode, { participantToken: member.participantToken });
		expect(back.view.ratings[a!]).toEqual({ likelihood: 3, consequence: 4, knowledge: 'strong' });
		expect(back.view.ratings[b!]).toEqual({ likelihood: 2, consequence: 2 });
		back.socket.close();
	}, 60_000);
});
