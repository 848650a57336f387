import { UserError } from '../../domain/errors';
import { isWellFormedJoinCode, normalizeJoinCode } from '../../domain/join-code';
import { checkRiskPointInputs, finalizeRiskPoints } from '../../domain/risk-points';
import { defaultMatrix, defaultScales } from '../../domain/scales';
import { DEFAULT_CONSENSUS_THRESHOLD } from '../../domain/consensus';
import type { RiskMatrix, RiskPoint, RiskPointInput, Scales } from '../../domain/types';
import type { CreateWorkshopInput, RateInput, WorkshopPatch } from '../../protocol';
import { LiveWorkshop } from './live-workshop';
import { JoinGuard } from '../guards/join-guard';
import type { JournalEntry } from '../store/journal';
import type { WorkshopRecord } from '../store/records';
import { hashSecret, newJoinCode, newSecret, randomId, secretMatches } from './secrets';
import { onDisk, type WorkshopStore } from '../store/record-file';

/** What changed, for the socket layer to tell the right people. */
export type WorkshopChange =
	| { type: 'workshop'; workshopId: string }
	| { type: 'deleted'; workshopId: string }
	/** the first rating: the list and scales are locked (only the facilitator's view shows that) */
	| { type: 'locked'; workshopId: string }
	| { type: 'rating'; workshopId: string; participantId: string }
	| { type: 'participants'; workshopId: string };

export interface CreatedWorkshop {
	id: string;
	joinCode: string;
	facilitatorKey: string;
	joinUrl: string;
	facilitatorUrl: string;
}

export interface JoinedMember {
	workshop: LiveWorkshop;
	participantId: string;
	participantToken: string;
	name: string;
}


/**
 * The one place that changes workshops. HTTP routes and socket handlers both call it, so each
 * rule is written once; every change is persisted before the promise it returns resolves.
 */
export class WorkshopService {
	readonly #store: WorkshopStore;
	readonly #workshops = new Map<string, LiveWorkshop>();
	readonly #byJoinCode = new Map<string, LiveWorkshop>();
	readonly #listeners = new Set<(change: WorkshopChange) => void>();

	constructor(store: WorkshopStore) {
		this.#store = store;
	}

	/** Loads every stored workshop; returns the files it could not read (left untouched). */
	async load() {
		const { files, problems } = await this.#store.loadAll();
		for (const file of files) this.#register(new LiveWorkshop(file));
		return problems;
	}

	#register(workshop: LiveWorkshop): void {
		this.#workshops.set(workshop.settings.id, workshop);
		this.#byJoinCode.set(workshop.settings.joinCode, workshop);
		workshop.file.onRevert = () => {
			workshop.reindex();
			this.#emit({ type: 'workshop', workshopId: workshop.settings.id });
		};
	}

	onChange(listener: (change: WorkshopChange) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#emit(change: WorkshopChange): void {
		for (const listener of this.#listeners) listener(change);
	}

	#persist(workshop: LiveWorkshop, entry?: JournalEntry): Promise<void> {
		return onDisk(`save workshop ${workshop.settings.id}`, () => (entry ? workshop.file.persistEntry(entry) : workshop.file.persist()));
	}

	#uniqueJoinCode(): string {
		for (;;) {
			const code = newJoinCode();
			if (!this.#byJoinCode.has(code)) return code;
		}
	}

	/** Join attempts: unknown codes per address, new members per workshop. */
	readonly joinGuard = new JoinGuard();

	/** The owner key hash of an assessment, so its owner may act as facilitator of its workshops. */
	assessmentOwnerHash: (assessmentId: string) => string | undefined = () => undefined;

	/** Every workshop in memory. */
	all(): LiveWorkshop[] {
		return [...this.#workshops.values()];
	}

	/**
	 * A new workshop in draft; `origin` makes the links absolute. A workshop of an assessment takes
	 * the assessment's list, scales and matrix (`from`).
	 */
	async create(
		input: CreateWorkshopInput,
		origin: string,
		from?: {
			assessmentId: string;
			kind: 'national' | 'regional';
			riskPoints: RiskPoint[];
			scales: Scales;
			matrix: RiskMatrix;
		}
	): Promise<CreatedWorkshop> {
		const language = input.language ?? 'nb';
		const facilitatorKey = newSecret();
		const now = new Date().toISOString();
		const record: WorkshopRecord = {
			version: 1,
			workshop: {
				id: randomId(),
				title: input.title,
				language,
				status: 'draft',
				pacing: 'self',
				scales: from?.scales ?? input.scales ?? defaultScales(language),
				matrix: from?.matrix ?? defaultMatrix(),
				scoring: 'product-of-means',
				riskPoints: from?.riskPoints ?? [],
				currentRiskPointId: null,
				joinCode: this.#uniqueJoinCode(),
				facilitatorKeyHash: hashSecret(facilitatorKey),
				createdAt: now,
				updatedAt: now,
				anonymous: input.anonymous ?? true,
				consensusThreshold: DEFAULT_CONSENSUS_THRESHOLD,
				rounds: {},
				revealed: {},
				notes: {},
				assessmentId: from?.assessmentId ?? null,
				kind: from?.kind ?? 'standalone'
			},
			participants: [],
			ratings: [],
			journalSeq: 0
		};
		const file = await onDisk('create a workshop file', () => this.#store.create(record));
		const workshop = new LiveWorkshop(file);
		this.#register(workshop);
		const { id, joinCode } = workshop.settings;
		return {
			id,
			joinCode,
			facilitatorKey,
			joinUrl: `${origin}/join/${joinCode}`,
			facilitatorUrl: `${origin}/facilitate/${id}#key=${facilitatorKey}`
		};
	}

	/** The workshop, or a 404 that says so. */
	/** True when this process holds the workshop. */
	has(id: string): boolean {
		return this.#workshops.has(id);
	}

	get(id: string): LiveWorkshop {
		const workshop = this.#workshops.get(id);
		if (!workshop) throw new UserError('error.workshop.notFound', {}, 404);
		return workshop;
	}

	/** The workshop a facilitator key opens: 401 without a key, 403 with a wrong one. */
	authenticate(id: string, facilitatorKey: string | null): LiveWorkshop {
		const workshop = this.get(id);
		if (!facilitatorKey) throw new UserError('error.auth.missingKey', {}, 401);
		if (secretMatches(facilitatorKey, workshop.settings.facilitatorKeyHash)) return workshop;
		const { assessmentId } = workshop.settings;
		const ownerHash = assessmentId ? this.assessmentOwnerHash(assessmentId) : undefined;
		if (ownerHash && secretMatches(facilitatorKey, ownerHash)) return workshop;
		throw new UserError('error.auth.wrongKey', {}, 403);
	}

	/** The workshop behind a join code, however the member typed it. */
	byJoinCode(typed: string): LiveWorkshop {
		const code = normalizeJoinCode(typed);
		const workshop = isWellFormedJoinCode(code) ? this.#byJoinCode.get(code) : undefined;
		if (!workshop) throw new UserError('error.join.unknownCode', { code: typed.trim().slice(0, 20) }, 404);
		return workshop;
	}

	/** The workshop behind a code typed by someone at `address`; guessing codes is slowed down. */
	lookUpJoinCode(typed: string, address: string): LiveWorkshop {
		this.joinGuard.checkAddress(address);
		try {
			return this.byJoinCode(typed);
		} catch (error) {
			this.joinGuard.recordFailure(address);
			throw error;
		}
	}

	/** Deletes a workshop: gone from memory and from disk; its sockets are told and closed. */
	async delete(workshop: LiveWorkshop): Promise<void> {
		const { id, joinCode } = workshop.settings;
		this.#workshops.delete(id);
		this.#byJoinCode.delete(joinCode);
		await onDisk(`delete workshop ${id}`, async () => {
			await workshop.file.settled(); // let a write under way finish first
			await this.#store.remove(id);
		});
		this.#emit({ type: 'deleted', workshopId: id });
	}

	/** Deletes standalone workshops closed for longer than `days` (the retention period). */
	async deleteExpired(days: number, now = Date.now()): Promise<string[]> {
		const limit = now - days * 24 * 60 * 60 * 1000;
		const expired = this.all().filter(
			(w) => w.settings.status === 'closed' && !w.settings.assessmentId && Date.parse(w.settings.updatedAt) < limit
		);
		for (const workshop of expired) await this.delete(workshop);
		return expired.map((w) => w.settings.id);
	}

	/** Replaces the list of risk points; refused once anyone has rated. */
	async setRiskPoints(workshop: LiveWorkshop, inputs: (RiskPointInput & { id?: string })[]) {
		if (workshop.settings.assessmentId) throw new UserError('error.list.fromAssessment', {}, 409);
		if (workshop.hasRatings) throw new UserError('error.list.locked', {}, 409);
		checkRiskPointInputs(inputs);
		const keep = new Set(workshop.settings.riskPoints.map((point) => point.id));
		const riskPoints = finalizeRiskPoints(
			inputs.map((input) => ({ ...input, id: input.id && keep.has(input.id) ? input.id : undefined })),
			() => randomId(6)
		);
		workshop.setRiskPoints(riskPoints);
		await this.#saveSettings(workshop);
		return riskPoints;
	}

	/** Puts the assessment's list (ids and codes as they are) in one of its workshops, before any rating. */
	async replaceRiskPoints(workshop: LiveWorkshop, riskPoints: RiskPoint[]): Promise<void> {
		if (workshop.hasRatings) throw new UserError('error.list.locked', {}, 409);
		workshop.setRiskPoints(riskPoints);
		await this.#saveSettings(workshop);
	}

	/** Appends points added to the assessment's list (allowed after rating has started). */
	async appendRiskPoints(workshop: LiveWorkshop, riskPoints: RiskPoint[]): Promise<void> {
		const known = new Set(workshop.settings.riskPoints.map((point) => point.id));
		const added = riskPoints.filter((point) => !known.has(point.id));
		if (added.length === 0) return;
		workshop.setRiskPoints([...workshop.settings.riskPoints, ...added]);
		await this.#saveSettings(workshop);
	}

	/** Applies a facilitator's change: status, pacing, current point, reveal, new round, notes, settings. */
	async update(workshop: LiveWorkshop, patch: WorkshopPatch): Promise<void> {
		workshop.checkPatch(patch);
		workshop.applyPatch(patch, () =>
			workshop
				.results()
				.riskPoints.filter((point) => point.disagreement)
				.map((point) => point.id)
		);
		await this.#saveSettings(workshop);
	}

	async #saveSettings(workshop: LiveWorkshop): Promise<void> {
		this.#emit({ type: 'workshop', workshopId: workshop.settings.id });
		await this.#persist(workshop);
	}

	/**
	 * A member joins with a code; a known token resumes the same member (and their answers),
	 * an unknown or missing one makes a new member.
	 */
	async join(
		joinCode: string,
		participantToken: string | undefined,
		name: string | undefined,
		address = 'unknown'
	): Promise<JoinedMember> {
		const workshop = this.lookUpJoinCode(joinCode, address);
		const known = participantToken ? workshop.participantByTokenHash(hashSecret(participantToken)) : undefined;
		if (known && participantToken) {
			if (name !== undefined && name !== known.name) {
				known.name = name;
				await this.#persist(workshop);
			}
			return { workshop, participantId: known.id, participantToken, name: known.name };
		}
		this.joinGuard.checkWorkshop(workshop.settings.id);
		const token = newSecret();
		const participant = {
			id: randomId(),
			tokenHash: hashSecret(token),
			name: name ?? '',
			joinedAt: new Date().toISOString()
		};
		workshop.addParticipant(participant);
		this.#emit({ type: 'participants', workshopId: workshop.settings.id });
		await this.#persist(workshop, { p: participant });
		return { workshop, participantId: participant.id, participantToken: token, name: participant.name };
	}

	/** Stores a member's rating; resolves once it is on disk (so the ack can go out). */
	async rate(workshop: LiveWorkshop, participantId: string, input: RateInput): Promise<void> {
		workshop.checkRating(input);
		const first = !workshop.hasRatings;
		const rating = workshop.applyRating(participantId, input, new Date().toISOString());
		this.#emit({ type: 'rating', workshopId: workshop.settings.id, participantId });
		// the first rating locks the list and scales: the facilitator's screen must know
		if (first) this.#emit({ type: 'locked', workshopId: workshop.settings.id });
		await this.#persist(workshop, { r: rating });
	}
}
