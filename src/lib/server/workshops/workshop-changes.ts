import type { Rating } from '../../domain/types';
import type { AnswerUpdate } from '../../protocol';
import type { RecordEntry } from '../store/store';
import { onDisk } from '../store/storage-errors';
import type { LiveWorkshop } from './live-workshop';

/** What changed, for the socket layer to tell the right people. */
export type WorkshopChange =
	| { type: 'workshop'; workshopId: string }
	| { type: 'deleted'; workshopId: string }
	/** the first rating: the list and scales are locked (only the facilitator's view shows that) */
	| { type: 'locked'; workshopId: string }
	/**
	 * `added`: the member's first answer to the point's current round (not a change of one);
	 * `answer`: made through another process (its connections of this member here are told)
	 */
	| { type: 'rating'; workshopId: string; participantId: string; added: boolean; answer?: AnswerUpdate }
	| { type: 'participants'; workshopId: string }
	/** the facilitator key changed: facilitator connections with the old one are closed */
	| { type: 'rekeyed'; workshopId: string }
	/** the projector link changed: projector connections with the old one are closed */
	| { type: 'projectorRekeyed'; workshopId: string }
	/** a member was removed by the facilitator: their connections are closed */
	| { type: 'removed'; workshopId: string; participantId: string };

/**
 * How every change of a workshop is stored and then passed on: the one path the workshop
 * service and its parts (members, keys, timers) share, so that nothing is told before it is on disk.
 */
export class WorkshopCommits {
	readonly #listeners = new Set<(change: WorkshopChange) => void>();

	onChange(listener: (change: WorkshopChange) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	emit(change: WorkshopChange): void {
		for (const listener of this.#listeners) {
			try {
				listener(change);
			} catch (error) {
				// telling the screens failed; the change itself still goes to disk
				console.error(`Could not pass on a change (${change.type}) of workshop ${change.workshopId}:`, error);
			}
		}
	}

	/** Appends an entry (a member, a rating) to the workshop's store. */
	persist(workshop: LiveWorkshop, entry: RecordEntry): Promise<void> {
		return onDisk(`save workshop ${workshop.settings.id}`, () => workshop.file.persistEntry(entry));
	}

	/**
	 * A change of a workshop's settings: made on the workshop as stored (with several processes on
	 * one database, one change at a time per workshop, each on what the one before left), stored,
	 * then passed on (`tell`, 'workshop' unless said). Checks inside `change` run on that state too.
	 */
	async change(workshop: LiveWorkshop, change: () => void, tell: WorkshopChange['type'][] = ['workshop']): Promise<void> {
		const workshopId = workshop.settings.id;
		await onDisk(`save workshop ${workshopId}`, () => workshop.file.update(change));
		for (const type of tell) this.emit({ type, workshopId } as WorkshopChange);
	}
}

/** A rating as its member's screens get it. */
export function answerOf(rating: Rating): AnswerUpdate {
	const answer: AnswerUpdate = { riskPointId: rating.riskPointId, round: rating.round, likelihood: rating.likelihood, consequence: rating.consequence };
	if (rating.types) answer.types = rating.types;
	if (rating.knowledge) answer.knowledge = rating.knowledge;
	if (rating.comment) answer.comment = rating.comment;
	return answer;
}
