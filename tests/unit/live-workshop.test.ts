import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkshopSchema } from '../../src/lib/protocol';
import { LowdbStore } from '../../src/lib/server/store/lowdb/lowdb-store';
import { WorkshopService } from '../../src/lib/server/workshops/workshop-service';

/** A member as the member's page makes one: joined, then confirmed once the client has the token. */
async function joinConfirmed(service: WorkshopService, ...args: Parameters<WorkshopService['join']>) {
	const joined = await service.join(...args);
	if (joined.pending) await service.confirmMember(joined.workshop, joined.pending);
	return joined;
}
import { LiveWorkshop } from '../../src/lib/server/workshops/live-workshop';

let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("a member's answers by point and round", () => {
	it('finds each round’s answer, for members who answered the first round, only a later one, or changed an answer; the same after the workshop is loaded again', async () => {
		dir = await mkdtemp(join(tmpdir(), 'live-workshop-'));
		const store = new LowdbStore(dir);
		await store.open();
		const service = new WorkshopService(store.workshops);
		const created = await service.create(createWorkshopSchema.parse({ title: 'Runder', language: 'nb' }), 'http://localhost');
		const workshop = service.get(created.id);
		await service.setRiskPoints(workshop, [{ text: 'A' }, { text: 'B' }]);
		await service.update(workshop, { status: 'open' });
		const [a, b] = workshop.settings.riskPoints.map((point) => point.id) as [string, string];
		const early = (await joinConfirmed(service, created.joinCode, undefined, 'Tidlig')).participantId;
		const late = (await joinConfirmed(service, created.joinCode, undefined, 'Sen')).participantId;

		await service.rate(workshop, early, { riskPointId: a, likelihood: 2, consequence: 2 });
		await service.rate(workshop, early, { riskPointId: a, likelihood: 3, consequence: 3 }); // changed: replaces
		await service.rate(workshop, early, { riskPointId: b, likelihood: 1, consequence: 1 });
		await service.update(workshop, { revealed: [a] });
		await service.update(workshop, { newRound: [a] });
		await service.rate(workshop, early, { riskPointId: a, likelihood: 4, consequence: 4 });
		// joined late: answers round 2 of A only, and B
		await service.rate(workshop, late, { riskPointId: a, likelihood: 5, consequence: 5 });
		await service.rate(workshop, late, { riskPointId: b, likelihood: 2, consequence: 3 });

		const check = (live: LiveWorkshop) => {
			expect(live.rating(early, a, 1)).toMatchObject({ likelihood: 3, round: 1 });
			expect(live.rating(early, a, 2)).toMatchObject({ likelihood: 4, round: 2 });
			expect(live.rating(late, a, 1)).toBeUndefined();
			expect(live.rating(late, a, 2)).toMatchObject({ likelihood: 5, round: 2 });
			expect(live.rating(early, a, 3)).toBeUndefined();
			expect(live.ownAnswers(early)).toEqual({ [a]: { likelihood: 4, consequence: 4 }, [b]: { likelihood: 1, consequence: 1 } });
			expect(live.ownAnswers(early, 1)).toEqual({ [a]: { likelihood: 3, consequence: 3 } });
			expect(live.ownAnswers(late, 1)).toEqual({});
			expect(live.membersDone()).toBe(2);
			expect(live.answeringMembers()).toBe(2);
			expect(live.record.ratings).toHaveLength(5);
			expect(live.tallyFor(a, 1)?.responses).toBe(1);
			expect(live.tallyFor(a, 2)?.responses).toBe(2);
			// the early member changed from round 1 (3,3) to (4,4); the late one had no round 1 answer
			expect(live.tallyFor(a, 2)?.changed).toBe(1);
		};
		check(workshop);
		// indexes rebuilt from the stored data
		check(new LiveWorkshop(workshop.file));
	});
});
