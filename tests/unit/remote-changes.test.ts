import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkshopSchema } from '../../src/lib/protocol';
import { LowdbStore } from '../../src/lib/server/store/lowdb/lowdb-store';
import { PointTimers } from '../../src/lib/server/workshops/point-timers';
import { applyRemote } from '../../src/lib/server/workshops/remote-changes';
import { facilitatorView } from '../../src/lib/server/workshops/views';
import { WorkshopCommits, type WorkshopChange } from '../../src/lib/server/workshops/workshop-changes';
import { WorkshopService } from '../../src/lib/server/workshops/workshop-service';

let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('what another process committed', () => {
	// Two processes on one database: one reveals the round once it has every answer, its own member's
	// answer still on its way to the database; the other reads the reveal first, that answer after it.
	it('shows an answer that arrives after its round was revealed in the revealed numbers, on every screen', async () => {
		dir = await mkdtemp(join(tmpdir(), 'remote-changes-'));
		const store = new LowdbStore(dir);
		await store.open();
		const service = new WorkshopService(store.workshops);
		const created = await service.create(createWorkshopSchema.parse({ title: 'To prosesser', language: 'nb' }), 'http://localhost');
		const workshop = service.get(created.id);
		await service.setRiskPoints(workshop, [{ text: 'A' }]);
		await service.update(workshop, { status: 'open' });
		const [point] = workshop.settings.riskPoints.map((p) => p.id) as [string];
		const members: string[] = [];
		for (const name of ['Here', 'There']) {
			const joined = await service.join(created.joinCode, undefined, name);
			if (joined.pending) await service.confirmMember(joined.workshop, joined.pending);
			members.push(joined.participantId);
		}
		await service.rate(workshop, members[0]!, { riskPointId: point, likelihood: 2, consequence: 3 });
		await service.update(workshop, { revealed: [point] });
		expect(facilitatorView(workshop).revealed[point]?.[0]?.responses).toBe(1);

		const commits = new WorkshopCommits();
		const changes: WorkshopChange[] = [];
		commits.onChange((change) => changes.push(change));
		const timers = new PointTimers(
			async () => workshop,
			async () => {}
		);
		const late = { participantId: members[1]!, riskPointId: point, round: 1, likelihood: 4, consequence: 5, at: new Date().toISOString() } as const;
		applyRemote(workshop, { entries: [{ r: late }] }, commits, timers);

		expect(workshop.tallyFor(point, 1)?.responses).toBe(2);
		// the revealed numbers are part of the workshop's view: it is sent again, now with both answers
		expect(changes.map((change) => change.type)).toContain('workshop');
		expect(facilitatorView(workshop).revealed[point]?.[0]?.responses).toBe(2);
		await store.close();
	});
});
