import type { TypeAnswer } from '../../domain/types';
import { UserError } from '../../domain/errors';
import { translate } from '../../i18n/translate';
import type { LiveWorkshop } from './live-workshop';
import type { WorkshopService } from './workshop-service';

/** Simulated members in a rehearsal, and how long one may run before it is deleted by itself. */
export const REHEARSAL = { members: 8, maxMinutes: 120, secondsBetweenAnswers: [1.5, 6] as const };

/**
 * A rehearsal before the day (as Mentimeter's preview): a copy of a workshop – its list, scales,
 * privacy and pace – with simulated members who join and answer while the facilitator tries the
 * console and the projector. Nothing of it is kept: it is deleted when the facilitator ends it,
 * after REHEARSAL.maxMinutes, and at the next start of the server if it was still there.
 */
export class Rehearsals {
	readonly #service: WorkshopService;
	/** rehearsal id → its simulation, stopped when it ends */
	readonly #running = new Map<string, { stop: () => void }>();

	constructor(service: WorkshopService) {
		this.#service = service;
		service.onChange((change) => {
			if (change.type === 'deleted') this.#stop(change.workshopId);
		});
	}

	/** Deletes rehearsals left over from a run that stopped (nothing of them is kept). */
	async sweep(): Promise<number> {
		let deleted = 0;
		for (const [id, summary] of this.#service.summaries) {
			if (summary.kind !== 'rehearsal') continue;
			await this.#service.delete(await this.#service.open(id)).catch(() => {});
			deleted++;
		}
		return deleted;
	}

	/** Starts a rehearsal of a workshop: a copy, open, with simulated members. Answers its console's link. */
	async start(of: LiveWorkshop, origin: string): Promise<{ id: string; facilitatorUrl: string }> {
		if (of.settings.kind === 'rehearsal') throw new UserError('error.rehearsal.ofRehearsal', {}, 409);
		if (of.settings.riskPoints.length === 0) throw new UserError('error.workshop.noPoints', {}, 409);
		const { language, scales, anonymous, countsOnly, pacing, title, consequenceTypes } = of.settings;
		const created = await this.#service.create({ title: translate(language, 'rehearsal.title', { title }), language, scales, anonymous, countsOnly }, origin, undefined, {
			kind: 'rehearsal',
			riskPoints: of.settings.riskPoints,
			scales,
			consequenceTypes
		});
		const rehearsal = await this.#service.open(created.id);
		await this.#service.update(rehearsal, { status: 'open', pacing });
		this.#simulate(rehearsal);
		return { id: created.id, facilitatorUrl: created.facilitatorUrl };
	}

	/** Simulated members join and answer now and then, around a level each point "has", until the rehearsal ends. */
	#simulate(rehearsal: LiveWorkshop): void {
		const id = rehearsal.settings.id;
		const timers = new Set<ReturnType<typeof setTimeout>>();
		const stopped = { value: false };
		const later = (seconds: number, run: () => Promise<void> | void) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				if (!stopped.value) void Promise.resolve(run()).catch(() => {});
			}, seconds * 1000);
			timer.unref?.();
			timers.add(timer);
		};
		const level = () => 1 + Math.floor(Math.random() * 5);
		// by consequence type: a level per type, and now and then a type that is not relevant for the point
		const typeCount = rehearsal.settings.consequenceTypes?.types.length ?? 0;
		const truth = new Map(
			rehearsal.settings.riskPoints.map((point) => [point.id, { likelihood: level(), consequence: level(), types: Array.from({ length: typeCount }, () => (Math.random() < 0.2 ? null : level())) }])
		);
		const near = (level: number) => Math.min(5, Math.max(1, level + Math.round((Math.random() - 0.5) * 2.4)));
		const typesNear = (types: (number | null)[]) => types.map((type): TypeAnswer => (type === null ? (Math.random() < 0.8 ? 'na' : near(3)) : Math.random() < 0.05 ? null : near(type)));
		const [least, most] = REHEARSAL.secondsBetweenAnswers;
		const pause = () => least + Math.random() * (most - least);
		for (let m = 0; m < REHEARSAL.members; m++) {
			later(0.5 + m * 0.7, async () => {
				const joined = await this.#service.join(rehearsal.settings.joinCode, undefined, translate(rehearsal.settings.language, 'rehearsal.member', { number: m + 1 }), `rehearsal:${id}`);
				if (joined.pending) await this.#service.confirmMember(joined.workshop, joined.pending);
				const answer = async () => {
					const workshop = this.#service.get(id);
					if (workshop.settings.status === 'closed') return;
					const point =
						workshop.settings.pacing === 'facilitator'
							? workshop.riskPoint(workshop.settings.currentRiskPointId ?? '')
							: workshop.settings.riskPoints.find((candidate) => !workshop.hasAnswered(joined.participantId, candidate.id));
					if (point && !workshop.hasAnswered(joined.participantId, point.id) && !workshop.isRevealed(point.id, workshop.currentRound(point.id))) {
						const level = truth.get(point.id)!;
						const types = typeCount > 0 ? { consequence: null, types: typesNear(level.types) } : { consequence: near(level.consequence) };
						await this.#service.rate(workshop, joined.participantId, { riskPointId: point.id, likelihood: near(level.likelihood), ...types }).catch(() => {});
					}
					later(pause(), answer);
				};
				later(pause(), answer);
			});
		}
		// the rehearsal ends by itself after a while
		later(REHEARSAL.maxMinutes * 60, async () => this.#service.delete(await this.#service.open(id)));
		this.#service.retain(id);
		this.#running.set(id, {
			stop: () => {
				stopped.value = true;
				for (const timer of timers) clearTimeout(timer);
				this.#service.release(id);
			}
		});
	}

	#stop(id: string): void {
		this.#running.get(id)?.stop();
		this.#running.delete(id);
	}
}
