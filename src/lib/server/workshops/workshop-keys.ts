import { UserError } from '../../domain/errors';
import type { LiveWorkshop } from './live-workshop';
import { deriveSecret, hashSecret, newSecret, secretMatches } from './secrets';
import type { WorkshopCommits } from './workshop-changes';

/**
 * The facilitator key of a workshop of an assessment, derived from the owner key and the
 * workshop's key generation: the owner's page can give each workshop's own link at any time
 * without any key being stored, a workshop's key opens that workshop only (the owner key never
 * leaves the owner's page), and a new generation gives a new key when a link has leaked.
 */
export const workshopKeyFor = (ownerKey: string, workshopId: string, generation = 0) =>
	deriveSecret(ownerKey, generation === 0 ? `workshop:${workshopId}` : `workshop:${workshopId}:${generation}`);

/**
 * The key of a workshop's projector link, derived from its facilitator key: whoever runs the
 * workshop can always give the link again; it shows only what the big screen shows, and a new
 * generation (or a new facilitator key) revokes it.
 */
export const projectorKeyFor = (facilitatorKey: string, generation: number) => deriveSecret(facilitatorKey, `projector:${generation}`);

/** Rotating a workshop's keys: a new key is refused nowhere, the old one everywhere at once. */
export class WorkshopKeys {
	readonly #commits: WorkshopCommits;

	constructor(commits: WorkshopCommits) {
		this.#commits = commits;
	}

	/**
	 * Gives the workshop a new facilitator key (and a projector key derived from it); connections
	 * with the old keys are closed. A workshop on its own gets a random key; a workshop of an
	 * assessment its next derived one, from the owner key (`ownerKey`), or the one of its current
	 * generation under a new owner key (`keepGeneration`).
	 */
	async rotate(workshop: LiveWorkshop, from: { ownerKey?: string; keepGeneration?: boolean } = {}): Promise<string> {
		const owned = workshop.settings.assessmentId !== null;
		if (owned && !from.ownerKey) throw new UserError('error.key.ownerRotates', {}, 409);
		let key = '';
		await this.#commits.change(
			workshop,
			() => {
				const settings = workshop.settings;
				const generation = from.keepGeneration ? settings.keyGeneration : settings.keyGeneration + 1;
				key = from.ownerKey ? workshopKeyFor(from.ownerKey, settings.id, generation) : newSecret();
				settings.keyGeneration = generation;
				settings.facilitatorKeyHash = hashSecret(key);
				settings.projectorKeyHash = hashSecret(projectorKeyFor(key, settings.projectorGeneration));
				workshop.touch();
			},
			['rekeyed', 'projectorRekeyed']
		);
		return key;
	}

	/** The key of the projector link (made from the facilitator key the request came with, kept as a hash the first time). */
	async projectorKey(workshop: LiveWorkshop, facilitatorKey: string): Promise<string> {
		const key = projectorKeyFor(facilitatorKey, workshop.settings.projectorGeneration);
		if (secretMatches(key, workshop.settings.projectorKeyHash)) return key;
		await this.#commits.change(workshop, () => {
			workshop.settings.projectorKeyHash = hashSecret(projectorKeyFor(facilitatorKey, workshop.settings.projectorGeneration));
			workshop.touch();
		}, []);
		return projectorKeyFor(facilitatorKey, workshop.settings.projectorGeneration);
	}

	/** Revokes the projector link: a new one, and the screens with the old one are disconnected. */
	async revokeProjector(workshop: LiveWorkshop, facilitatorKey: string): Promise<string> {
		await this.#commits.change(
			workshop,
			() => {
				const settings = workshop.settings;
				settings.projectorGeneration += 1;
				settings.projectorKeyHash = hashSecret(projectorKeyFor(facilitatorKey, settings.projectorGeneration));
				workshop.touch();
			},
			['projectorRekeyed']
		);
		return projectorKeyFor(facilitatorKey, workshop.settings.projectorGeneration);
	}
}
