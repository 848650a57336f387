import type { WorkshopPatch } from '../../protocol';
import type { LiveWorkshop } from './live-workshop';

/**
 * The timer of the point being rated in facilitator pace: when it runs out the round is shown to
 * all; and auto-reveal, which shows it as soon as every connected member has answered.
 */
export class PointTimers {
	/** per workshop, the pending reveal of its running point timer */
	readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
	readonly #open: (id: string) => Promise<LiveWorkshop>;
	readonly #update: (workshop: LiveWorkshop, patch: WorkshopPatch) => Promise<void>;

	constructor(open: (id: string) => Promise<LiveWorkshop>, update: (workshop: LiveWorkshop, patch: WorkshopPatch) => Promise<void>) {
		this.#open = open;
		this.#update = update;
	}

	/** (Re)sets the reveal at the end of the current point's timer, after any change of it. */
	arm(workshop: LiveWorkshop): void {
		const id = workshop.settings.id;
		this.clear(id);
		const endsAt = workshop.settings.timerEndsAt;
		if (!endsAt) return;
		const timer = setTimeout(() => {
			this.#timers.delete(id);
			void this.#timeUp(id, endsAt);
		}, Math.max(0, Date.parse(endsAt) - Date.now()));
		timer.unref?.();
		this.#timers.set(id, timer);
	}

	/** The workshop is gone (deleted here or elsewhere): no reveal is pending. */
	clear(id: string): void {
		clearTimeout(this.#timers.get(id));
		this.#timers.delete(id);
	}

	/** The time is up: the current round is shown to all (unless the facilitator moved on meanwhile). */
	async #timeUp(id: string, endsAt: string): Promise<void> {
		try {
			const workshop = await this.#open(id);
			const { timerEndsAt, currentRiskPointId } = workshop.settings;
			if (timerEndsAt !== endsAt || !currentRiskPointId) return;
			await this.#update(workshop, { revealed: [currentRiskPointId] });
		} catch (error) {
			console.error(`Could not show the round of workshop ${id} when its timer ran out:`, error);
		}
	}

	/**
	 * Auto-reveal: shows the current point's round to all once every connected member has answered
	 * it (facilitator pace, where the facilitator has turned it on). Called after a new answer, not
	 * after a changed one, so a reveal the facilitator took back stays hidden. True when it did.
	 */
	async revealIfAllAnswered(workshop: LiveWorkshop, connected: ReadonlySet<string>): Promise<boolean> {
		const { autoReveal, pacing, status, currentRiskPointId } = workshop.settings;
		if (!autoReveal || pacing !== 'facilitator' || status !== 'open' || !currentRiskPointId || connected.size === 0) return false;
		if (workshop.isRevealed(currentRiskPointId, workshop.currentRound(currentRiskPointId))) return false;
		for (const participantId of connected) if (!workshop.hasAnswered(participantId, currentRiskPointId)) return false;
		await this.#update(workshop, { revealed: [currentRiskPointId] });
		return true;
	}
}
