/**
 * A county's risk and vulnerability analysis by DSB's method (issue 27), run end to end: eight
 * members rate twenty events for likelihood and five consequence types, in two rounds; the
 * facilitator records the knowledge base of some; and every export (JSON, CSV, workbook, PDF)
 * carries the figures a computation in this file makes on its own from the answers given.
 */
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkshopResults } from '../../src/lib/domain/results';
import type { TypeAnswer } from '../../src/lib/domain/types';
import { call, createWorkshop, joinAsMember, type Member } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

const MEMBERS = 8;
const EVENTS = Array.from({ length: 20 }, (_, i) => `Hendelse ${i + 1}: ${['Langvarig strømbrudd', 'Flom', 'Skogbrann', 'Pandemi', 'Dataangrep'][i % 5]} i region ${Math.floor(i / 5) + 1}`);
const TYPES = ['Liv og helse', 'Natur og kulturmiljø', 'Økonomi', 'Samfunnsstabilitet', 'Styringsevne'];

/** A small deterministic generator: the same answers every run. */
function generator(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

interface Answer {
	likelihood: number | null;
	types: TypeAnswer[];
}

/** Member m's answer to event e in a round: mostly levels near the event's own, now and then "don't know" or "not relevant". */
function answerOf(random: () => number, event: number): Answer {
	const around = (centre: number) => Math.min(5, Math.max(1, centre + Math.round((random() - 0.5) * 2.4)));
	const likelihood = random() < 0.06 ? null : around(1 + (event % 5));
	const types = TYPES.map((_, type): TypeAnswer => {
		const draw = random();
		// nature is "not relevant" for most members on most events; governance now and then
		if (type === 1 && event % 4 !== 0 && draw < 0.7) return 'na';
		if (type === 4 && draw < 0.15) return 'na';
		if (draw > 0.93) return null;
		return around(1 + ((event + type) % 5));
	});
	return { likelihood, types };
}

// ---- the independent computation: plain arithmetic on the answers, nothing from src/ ----
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
function median(values: number[]): number | null {
	if (!values.length) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = (sorted.length - 1) / 2;
	return (sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2;
}
/** A member's overall consequence: the mean of their levels over the types (weights 1), to the nearest level, halves up. */
function memberOverall(types: TypeAnswer[]): number | null {
	const levels = types.filter((value): value is number => typeof value === 'number');
	return levels.length ? Math.floor(mean(levels)! + 0.5) : null;
}
function expected(answers: Answer[]) {
	const types = TYPES.map((_, index) => {
		const given = answers.map((answer) => answer.types[index]!);
		const levels = given.filter((value): value is number => typeof value === 'number');
		const notRelevant = given.filter((value) => value === 'na').length;
		return { mean: mean(levels), median: median(levels), notRelevant, relevant: notRelevant * 2 <= levels.length + notRelevant, levels };
	});
	const overall = mean(answers.map((answer) => memberOverall(answer.types)).filter((value): value is number => value !== null));
	const likelihood = mean(answers.map((answer) => answer.likelihood).filter((value): value is number => value !== null));
	return { types, overall, likelihood, score: overall === null || likelihood === null ? null : overall * likelihood };
}
/** Agreement from the spread: the share within one level of the median; >= 80 % strong (1), >= 50 % medium (2), else weak (3); none below 3 levels. */
function agreement(levels: number[]): 1 | 2 | 3 | null {
	if (levels.length < 3) return null;
	const middle = median(levels)!;
	const share = levels.filter((level) => Math.abs(level - middle) <= 1).length / levels.length;
	return share >= 0.8 ? 1 : share >= 0.5 ? 2 : 3;
}
/** As the PDF prints a figure: two decimals, a decimal comma. */
const two = (value: number) => (Math.round(value * 100) / 100).toFixed(2).replace('.', ',');
/** As the CSV writes a figure: a whole number as it is, else two decimals; a decimal comma. */
const csvTwo = (value: number) => (Number.isInteger(value) ? String(value) : two(value));

describe('a fylkesROS workshop by consequence type', () => {
	it('runs 8 members through 20 events, five types and a second round, and every export carries the same figures as an independent computation', async () => {
		const workshop = await createWorkshop(server.url, EVENTS, { title: 'FylkesROS Testfylke', method: 'perType' });
		const key = { key: workshop.facilitatorKey };
		const members: Member[] = [];
		for (let m = 0; m < MEMBERS; m++) members.push(await joinAsMember(server.url, workshop.joinCode));

		const given: Answer[][][] = [[], []]; // [round][event][member]
		const rateAll = async (round: 0 | 1) => {
			for (const [m, member] of members.entries()) {
				const random = generator(1000 * (round + 1) + m);
				for (const [e, riskPointId] of workshop.riskPointIds.entries()) {
					const answer = answerOf(random, e);
					((given[round]![e] ??= [])[m] = answer);
					// one message, one acknowledgement, five types
					const ack = await member.socket.emitWithAck('rate', { riskPointId, likelihood: answer.likelihood, consequence: null, types: answer.types });
					expect(ack, `member ${m} event ${e} round ${round + 1}`).toMatchObject({ ok: true, answer: { types: answer.types, consequence: memberOverall(answer.types) } });
				}
			}
		};
		await rateAll(0);
		const second = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', ...key, json: { newRound: 'all' } });
		expect(second.status).toBe(200);
		await rateAll(1);

		// the knowledge base of three events: data and understanding for the types, one agreement overridden
		const row = (data: 1 | 2 | 3, understanding: 1 | 2 | 3, override: 1 | 2 | 3 | null = null) => ({ data, understanding, agreement: override, agreementReason: override ? 'Drøftet i plenum' : '', note: '' });
		const bases = {
			0: [row(1, 2), row(2, 2), row(3, 3), row(2, 1, 1), row(1, 1)],
			7: [row(2, 2), row(2, 2), row(2, 2), row(2, 2), row(2, 2)],
			13: [row(3, 3), row(1, 1), row(2, 3), row(1, 2), row(3, 2, 3)]
		} as Record<number, ReturnType<typeof row>[]>;
		for (const [event, types] of Object.entries(bases)) {
			const saved = await call(server.url, `/api/workshops/${workshop.id}`, {
				method: 'PATCH',
				...key,
				json: { knowledgeBase: { riskPointId: workshop.riskPointIds[Number(event)], types, sensitivity: `Følsomt for varighet (${event})` } }
			});
			expect(saved.status, saved.text).toBe(200);
		}

		// the independent figures per event (the second round: every member answered it)
		const truth = workshop.riskPointIds.map((_, e) => {
			const figures = expected(given[1]![e]!);
			const base = bases[e];
			const typeUncertainty = base
				? figures.types.map((type, index) => {
						const agreed = base[index]!.agreement ?? agreement(type.levels);
						return type.relevant && agreed ? (base[index]!.data + base[index]!.understanding + agreed) / 3 : null;
					})
				: null;
			const assessed = typeUncertainty?.filter((value): value is number => value !== null) ?? [];
			return { ...figures, typeUncertainty, uncertainty: assessed.length ? mean(assessed) : null };
		});

		// JSON
		const json = await call(server.url, `/api/workshops/${workshop.id}/export.json`, key);
		const results = json.body as WorkshopResults & { consequenceTypes: { types: { name: string }[]; rule: string }; scales: { likelihood: { descriptions: string[] } } };
		expect(results.consequenceTypes.types.map((type) => type.name)).toEqual(TYPES);
		expect(results.consequenceTypes.rule).toBe('weightedMean');
		expect(results.scales.likelihood.descriptions[0]).toContain('1000 år');
		for (const [e, id] of workshop.riskPointIds.entries()) {
			const point = results.riskPoints.find((one) => one.id === id)!;
			const want = truth[e]!;
			expect(point.round, `event ${e}`).toBe(2);
			expect(point.likelihood.mean).toBeCloseTo(want.likelihood!, 12);
			expect(point.consequence.mean).toBeCloseTo(want.overall!, 12);
			expect(point.score).toBeCloseTo(want.score!, 12);
			point.types.forEach((type, index) => {
				const t = want.types[index]!;
				expect(type.notRelevant, `event ${e} type ${index}`).toBe(t.notRelevant);
				expect(type.relevant, `event ${e} type ${index}`).toBe(t.relevant);
				if (t.mean === null) expect(type.mean).toBeNull();
				else expect(type.mean).toBeCloseTo(t.mean, 12);
				expect(type.median).toBe(t.median);
			});
			if (want.typeUncertainty) {
				want.typeUncertainty.forEach((value, index) => (value === null ? expect(point.uncertainty!.types[index]).toBeNull() : expect(point.uncertainty!.types[index]).toBeCloseTo(value, 12)));
				expect(point.uncertainty!.event).toBeCloseTo(want.uncertainty!, 12);
			} else expect(point.uncertainty?.event ?? null).toBeNull();
		}
		// the ranking by overall risk: highest score first
		const scores = results.riskPoints.map((point) => point.score ?? -1);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));

		// CSV (semicolons, decimal commas, two decimals)
		const csv = await call(server.url, `/api/workshops/${workshop.id}/export.csv`, key);
		const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((line) => line.split(';'));
		const header = lines[0]!;
		const at = (name: string) => {
			const index = header.indexOf(name);
			expect(index, name).toBeGreaterThanOrEqual(0);
			return index;
		};
		for (const [e] of workshop.riskPointIds.entries()) {
			const want = truth[e]!;
			const line = lines.find((cells) => cells[2] === EVENTS[e])!;
			expect(line, EVENTS[e]).toBeTruthy();
			expect(line[at('Samlet konsekvens snitt')]).toBe(csvTwo(want.overall!));
			TYPES.forEach((name, index) => {
				const t = want.types[index]!;
				expect(line[at(`${name}: snitt`)], `${EVENTS[e]} ${name}`).toBe(t.relevant && t.mean !== null ? csvTwo(t.mean) : '');
				expect(line[at(`${name}: ikke relevant (svar)`)]).toBe(String(t.notRelevant));
			});
			expect(line[at('Usikkerhet (1 lav – 3 høy)')]).toBe(want.uncertainty === null ? '' : csvTwo(want.uncertainty));
			expect(line[at('Sensitivitet')]).toBe(bases[e] ? `Følsomt for varighet (${e})` : '');
		}

		// the workbook: its sheet per consequence type, figures at full precision
		const xlsx = await fetch(`${server.url}/api/workshops/${workshop.id}/export.xlsx`, { headers: { authorization: `Bearer ${workshop.facilitatorKey}` } });
		expect(xlsx.status).toBe(200);
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(await xlsx.arrayBuffer());
		const sheet = book.getWorksheet('Per konsekvenstype')!;
		expect(sheet, book.worksheets.map((one) => one.name).join(', ')).toBeTruthy();
		const sheetHeader = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
		const column = (name: string) => sheetHeader.indexOf(name) + 1;
		for (const [e] of workshop.riskPointIds.entries()) {
			const want = truth[e]!;
			const found = [...Array(EVENTS.length).keys()].map((i) => sheet.getRow(i + 2)).find((one) => one.getCell(column('Risikopunkt')).value === EVENTS[e])!;
			expect(found, EVENTS[e]).toBeTruthy();
			expect(found.getCell(column('Samlet konsekvens snitt')).value).toBeCloseTo(want.overall!, 9);
			expect(found.getCell(column('Risikoskår')).value).toBeCloseTo(want.score!, 9);
			expect(found.getCell(column('Økonomi: snitt')).value ?? null).toEqual(want.types[2]!.relevant && want.types[2]!.mean !== null ? expect.closeTo(want.types[2]!.mean, 9) : null);
			if (want.uncertainty !== null) expect(found.getCell(column('Usikkerhet (1 lav – 3 høy)')).value).toBeCloseTo(want.uncertainty, 9);
		}
		// the frequency intervals and each type's guidance below the table
		const texts = [...Array(sheet.rowCount).keys()].flatMap((i) => (sheet.getRow(i + 1).values as unknown[]).map(String));
		expect(texts.some((text) => text.includes('Sjeldnere enn én gang i løpet av 1000 år'))).toBe(true);
		expect(texts.some((text) => text.includes('5–25 dødsfall'))).toBe(true);

		// the PDF: the advisers' table, a row per event in rank order
		const pdf = await fetch(`${server.url}/api/workshops/${workshop.id}/export.pdf`, { headers: { authorization: `Bearer ${workshop.facilitatorKey}` } });
		expect(pdf.status).toBe(200);
		const { text } = await extractText(await getDocumentProxy(new Uint8Array(await pdf.arrayBuffer())), { mergePages: true });
		const flat = text.replace(/\s+/g, ' ');
		expect(flat).toContain('Risiko per hendelse og konsekvenstype');
		expect(flat).toContain('Følsomt for varighet (13)');
		// the scales and the matrix hold the overall consequence, and say so
		expect(flat).toContain('Nivå Sannsynlighet Samlet konsekvens');
		expect(flat).toContain('Sannsynlighet \\ Samlet konsekvens');
		const top = results.riskPoints[0]!;
		const topTruth = truth[workshop.riskPointIds.indexOf(top.id)]!;
		const printedTypes = topTruth.types.map((type) => (type.relevant && type.mean !== null ? two(type.mean) : type.relevant ? '–' : 'i.r.'));
		expect(flat).toContain(`${top.code} ${top.text} ${two(topTruth.likelihood!)} ${printedTypes.join(' ')} ${two(topTruth.overall!)}`);
		for (const member of members) member.socket.close();
	}, 120_000);

	it("keeps an office's types, thresholds and intervals for next year in a template", async () => {
		const created = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'FylkesROS 2027', method: 'perType', riskPoints: [{ text: 'Flom' }, { text: 'Skred' }] } })).body;
		const owner = { key: created.ownerKey };
		const overview = (await call(server.url, `/api/assessments/${created.id}`, owner)).body;
		const types = structuredClone(overview.consequenceTypes);
		types.rule = 'highest';
		types.types[0].scale.descriptions = ['Ingen', '1–4 døde', '5–25 døde', '26–100 døde', 'Over 100 døde'];
		const scales = structuredClone(overview.scales);
		scales.likelihood.descriptions[0] = 'Sjeldnere enn én gang i 500 år';
		expect((await call(server.url, `/api/assessments/${created.id}`, { method: 'PATCH', ...owner, json: { consequenceTypes: types, scales } })).status).toBe(200);
		const template = (await call(server.url, `/api/assessments/${created.id}/template`, { method: 'POST', ...owner, json: { title: 'FylkesROS-mal' } })).body;
		// the creation form lists it as a template by type (and choosing it chooses that method)
		const listed = (await call(server.url, '/api/templates', owner)).body.templates;
		expect(listed).toEqual([expect.objectContaining({ id: template.id, title: 'FylkesROS-mal', points: 2, method: 'perType' })]);

		const next = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'FylkesROS 2031', method: 'perType', templateId: template.id, templateKey: created.ownerKey } })).body;
		const nextOverview = (await call(server.url, `/api/assessments/${next.id}`, { key: next.ownerKey })).body;
		expect(nextOverview.consequenceTypes).toEqual(types);
		expect(nextOverview.scales.likelihood.descriptions[0]).toBe('Sjeldnere enn én gang i 500 år');
		expect(nextOverview.riskPoints.map((point: { text: string }) => point.text)).toEqual(['Flom', 'Skred']);
		// the same list for a supervision panel (one consequence): the list, not the types or intervals
		const single = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Tilsyn', method: 'single', templateId: template.id, templateKey: created.ownerKey } })).body;
		const singleOverview = (await call(server.url, `/api/assessments/${single.id}`, { key: single.ownerKey })).body;
		expect(singleOverview.consequenceTypes).toBeNull();
		expect(singleOverview.scales.likelihood.labels[0]).toBe('Svært lite sannsynlig');
		expect(singleOverview.riskPoints).toHaveLength(2);
	});
});
