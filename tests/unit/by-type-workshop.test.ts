import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkshopSchema, quickRating, rateSchema } from '../../src/lib/protocol';
import { LowdbStore } from '../../src/lib/server/store/lowdb/lowdb-store';
import { WorkshopService } from '../../src/lib/server/workshops/workshop-service';
import { UserError } from '../../src/lib/domain/errors';
import { overallConsequence, defaultConsequenceTypesSetting } from '../../src/lib/domain/dsb-method';
import { resultsOf } from '../../src/lib/domain/workshop-results';
import type { TypeAnswer } from '../../src/lib/domain/types';
import { pointsForType } from '../../src/lib/domain/type-matrix';

let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

async function byTypeWorkshop() {
	dir = await mkdtemp(join(tmpdir(), 'by-type-'));
	const store = new LowdbStore(dir);
	await store.open();
	const service = new WorkshopService(store.workshops);
	const created = await service.create(createWorkshopSchema.parse({ title: 'FylkesROS', language: 'nb', method: 'perType' }), 'http://localhost');
	const workshop = service.get(created.id);
	await service.setRiskPoints(workshop, [{ text: 'Langvarig strømbrudd' }, { text: 'Flom' }]);
	await service.update(workshop, { status: 'open' });
	const members: string[] = [];
	for (const name of ['A', 'B', 'C', 'D']) {
		const joined = await service.join(created.joinCode, undefined, name);
		if (joined.pending) await service.confirmMember(joined.workshop, joined.pending);
		members.push(joined.participantId);
	}
	const [power, flood] = workshop.settings.riskPoints.map((point) => point.id) as [string, string];
	return { service, workshop, members, power, flood, store };
}

describe('a workshop by consequence type (DSB)', () => {
	it('starts with the frequency categories, the five DSB types and the weighted mean', async () => {
		const { workshop } = await byTypeWorkshop();
		expect(workshop.settings.scales.likelihood.labels[0]).toBe('A Svært lav');
		expect(workshop.settings.scales.likelihood.descriptions?.[4]).toContain('Oftere enn én gang i løpet av 10 år');
		expect(workshop.settings.consequenceTypes?.types.map((type) => type.name)).toEqual(['Liv og helse', 'Natur og kulturmiljø', 'Økonomi', 'Samfunnsstabilitet', 'Styringsevne']);
		expect(workshop.settings.consequenceTypes?.rule).toBe('weightedMean');
	});

	it('stores the answer per type in one rating, with the overall combined by the server', async () => {
		const { service, workshop, members, power } = await byTypeWorkshop();
		// Rogaland's published example: medium, large, medium, medium, very small -> "Totalt: Middels"
		const ack = await service.rate(workshop, members[0]!, { riskPointId: power, likelihood: 4, consequence: 5, types: [3, 4, 3, 3, 1] });
		expect(ack).toBeDefined();
		const stored = workshop.rating(members[0]!, power, 1)!;
		expect(stored.types).toEqual([3, 4, 3, 3, 1]);
		expect(stored.consequence).toBe(3); // 2.8 to the nearest level; the member's own 5 is ignored
		expect(workshop.ownAnswers(members[0]!)[power]).toMatchObject({ likelihood: 4, consequence: 3, types: [3, 4, 3, 3, 1] });
	});

	it('refuses an answer without every type, with a level off the scale, or with types in a one-consequence workshop', async () => {
		const { service, workshop, members, power } = await byTypeWorkshop();
		const refusal = async (types: TypeAnswer[] | undefined) => {
			try {
				await service.rate(workshop, members[0]!, { riskPointId: power, likelihood: 2, consequence: null, ...(types ? { types } : {}) });
			} catch (error) {
				return error as UserError;
			}
			throw new Error('not refused');
		};
		expect((await refusal(undefined)).key).toBe('error.rate.typeCount');
		expect((await refusal([1, 2, 3])).key).toBe('error.rate.typeCount');
		expect((await refusal([1, 2, 3, 4, 6])).key).toBe('error.rate.outOfRange');
		expect(workshop.record.ratings).toHaveLength(0);

		const single = await service.create(createWorkshopSchema.parse({ title: 'Tilsyn', language: 'nb' }), 'http://localhost');
		const one = service.get(single.id);
		await service.setRiskPoints(one, [{ text: 'X' }]);
		await service.update(one, { status: 'open' });
		const member = (await service.join(single.joinCode, undefined, 'M')).participantId;
		await expect(service.rate(one, member, { riskPointId: one.settings.riskPoints[0]!.id, likelihood: 1, consequence: 1, types: [1, 1, 1, 1, 1] })).rejects.toMatchObject({ key: 'error.rate.notByType' });
	});

	it('counts each type apart, "not relevant" and "don\'t know" included, and ranks by the overall', async () => {
		const { service, workshop, members, power, flood } = await byTypeWorkshop();
		const answers: [string, number, TypeAnswer[]][] = [
			[power, 4, [3, 'na', 3, 4, 2]],
			[power, 5, [4, 'na', 2, 4, null]],
			[power, 4, [3, 2, 3, 5, 2]],
			[flood, 2, [2, 4, 4, 2, 'na']],
			[flood, 3, [2, 4, 5, 1, 'na']],
			[flood, 2, [null, 3, 4, 2, 'na']]
		];
		for (const [index, [point, likelihood, types]] of answers.entries()) {
			await service.rate(workshop, members[index % 3]!, { riskPointId: point, likelihood, consequence: null, types });
		}
		const results = workshop.results();
		const powerResult = results.riskPoints.find((point) => point.id === power)!;
		expect(powerResult.types).toHaveLength(5);
		expect(powerResult.types[0]).toMatchObject({ n: 3, mean: 10 / 3, notRelevant: 0, relevant: true });
		// nature: two of three said "not relevant": not relevant for the event
		expect(powerResult.types[1]).toMatchObject({ n: 1, notRelevant: 2, relevant: false });
		expect(powerResult.types[4]).toMatchObject({ n: 2, abstained: 1 });
		// the overall is each member's own, combined and rounded: (3+3+4+2)/4=3, (4+2+4)/3=3.33->3, (3+2+3+5+2)/5=3
		const overall = (types: TypeAnswer[]) => overallConsequence(types, defaultConsequenceTypesSetting('nb'));
		expect(answers.filter(([point]) => point === power).map(([, , types]) => overall(types))).toEqual([3, 3, 3]);
		expect(powerResult.consequence.mean).toBe(3);
		expect(powerResult.score).toBeCloseTo((13 / 3) * 3);
		expect(results.riskPoints[0]!.id).toBe(power);
		// the same from the workshop's data alone (a worker building a report)
		expect(resultsOf(workshop.data(true)).riskPoints.find((point) => point.id === power)!.types).toEqual(powerResult.types);
	});

	it('locks the types at the first answer, and keeps them through a reload', async () => {
		const { service, workshop, members, power, store } = await byTypeWorkshop();
		const types = structuredClone(workshop.settings.consequenceTypes!);
		types.types[0]!.scale.descriptions = ['Ingen døde', '1–4 døde', '5–25 døde', '26–100 døde', 'Over 100 døde'];
		types.rule = 'highest';
		await service.update(workshop, { consequenceTypes: types });
		expect(workshop.settings.consequenceTypes?.rule).toBe('highest');
		await service.rate(workshop, members[0]!, { riskPointId: power, likelihood: 3, consequence: null, types: [2, 'na', 4, 1, null] });
		expect(workshop.rating(members[0]!, power, 1)!.consequence).toBe(4);
		await expect(service.update(workshop, { consequenceTypes: types })).rejects.toMatchObject({ key: 'error.scales.locked' });

		const again = new WorkshopService(store.workshops);
		const reread = await again.open(workshop.settings.id);
		expect(reread.settings.consequenceTypes?.types[0]!.scale.descriptions?.[2]).toBe('5–25 døde');
		expect(reread.rating(members[0]!, power, 1)).toMatchObject({ types: [2, 'na', 4, 1, null], consequence: 4 });
	});

	it('reads answers per type on the hot path and by the schema alike, and refuses anything else', () => {
		const payload = { riskPointId: 'p1', likelihood: 2, consequence: null, types: [1, 'na', null, 5, 3] };
		expect(quickRating(payload)).toEqual(rateSchema.parse(payload));
		for (const types of [[1, 'nope'], 'na', [1.5], new Array(9).fill(1)]) {
			expect(quickRating({ ...payload, types })).toBeNull();
			expect(rateSchema.safeParse({ ...payload, types }).success).toBe(false);
		}
	});

	it('records the knowledge base per type; agreement comes from the spread unless overridden with a reason; the uncertainty follows', async () => {
		const { service, workshop, members, power } = await byTypeWorkshop();
		// life and health: 3,3,3 (strong agreement); economy: 1,3,5 (a third within one of the median: weak)
		const given: TypeAnswer[][] = [
			[3, 'na', 1, 2, null],
			[3, 'na', 3, 2, null],
			[3, 2, 5, 4, null]
		];
		for (const [index, types] of given.entries()) await service.rate(workshop, members[index]!, { riskPointId: power, likelihood: 3, consequence: null, types });
		const row = (data: 1 | 2 | 3 | null, understanding: 1 | 2 | 3 | null, agreement: 1 | 2 | 3 | null = null, agreementReason = '') => ({ data, understanding, agreement, agreementReason, note: '' });
		await expect(service.update(workshop, { knowledgeBase: { riskPointId: power, types: [row(1, 1)], sensitivity: '' } })).rejects.toMatchObject({ key: 'error.knowledgeBase.typeCount' });
		await expect(
			service.update(workshop, { knowledgeBase: { riskPointId: power, types: [row(1, 1, 3), row(1, 1), row(1, 1), row(1, 1), row(1, 1)], sensitivity: '' } })
		).rejects.toMatchObject({ key: 'error.knowledgeBase.reason' });

		await service.update(workshop, {
			knowledgeBase: {
				riskPointId: power,
				types: [row(1, 2), row(3, 3), row(2, 3), row(2, 2, 1, 'Uenigheten gjaldt varighet, ikke nivå'), row(null, 1)],
				sensitivity: 'Varighet over en uke gir store konsekvenser for liv og helse.'
			}
		});
		const point = workshop.results().riskPoints.find((result) => result.id === power)!;
		expect(point.uncertainty?.agreementFromSpread).toEqual([1, null, 3, 2, null]);
		expect(point.uncertainty?.agreement).toEqual([1, null, 3, 1, null]);
		// life: (1+2+1)/3; nature: not relevant (2 of 3 said so); economy: (2+3+3)/3; stability: (2+2+1)/3 with the override; governance: data not assessed
		expect(point.uncertainty?.types).toEqual([4 / 3, null, 8 / 3, 5 / 3, null]);
		expect(point.uncertainty?.event).toBeCloseTo((4 / 3 + 8 / 3 + 5 / 3) / 3);
		expect(point.notes.knowledgeBase?.sensitivity).toContain('Varighet');
		// notes written afterwards keep the knowledge base
		await service.update(workshop, { notes: { riskPointId: power, discussion: 'Drøftet', measures: '' } });
		expect(workshop.notes(power).knowledgeBase?.types[3]?.agreementReason).toBe('Uenigheten gjaldt varighet, ikke nivå');
	});

	it('places points in the matrix of one type by the likelihood against that type, leaving out those it is not relevant for', async () => {
		const { service, workshop, members, power, flood } = await byTypeWorkshop();
		for (const member of members.slice(0, 3)) {
			await service.rate(workshop, member, { riskPointId: power, likelihood: 4, consequence: null, types: [2, 'na', 5, 3, 1] });
			await service.rate(workshop, member, { riskPointId: flood, likelihood: 2, consequence: null, types: [1, 4, 2, 2, 1] });
		}
		const points = workshop.results().riskPoints;
		const economy = pointsForType(points, 2, workshop.settings.matrix);
		expect(economy.find((point) => point.id === power)).toMatchObject({ cell: { likelihood: 4, consequence: 5 }, score: 20, level: 'high' });
		expect(economy.find((point) => point.id === flood)).toMatchObject({ cell: { likelihood: 2, consequence: 2 }, score: 4, level: 'low' });
		// nature: not relevant for the power cut (every member said so), so only the flood is placed
		expect(pointsForType(points, 1, workshop.settings.matrix).map((point) => point.id)).toEqual([flood]);
		expect(pointsForType(points, null, workshop.settings.matrix)).toEqual(points);
	});
});
