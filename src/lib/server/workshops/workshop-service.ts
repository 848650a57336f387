import { UserError } from '../../domain/errors';
import { dictionary } from '../../domain/ids';
import { isWellFormedJoinCode, normalizeJoinCode } from '../../domain/join-code';
import { checkRiskPointInputs, finalizeRiskPoints, withEditedText } from '../../domain/risk-points';
import { defaultMatrix, defaultScales } from '../../domain/scales';
import { DEFAULT_CONSENSUS_THRESHOLD } from '../../domain/consensus';
import { DEFAULT_FLAG_RULE, DEFAULT_MIN_ANSWERS } from '../../domain/results';
import type { Rating, RiskMatrix, RiskPoint, RiskPointInput, Scales } from '../../domain/types';
import type { AnswerUpdate, CreateWorkshopInput, RateInput, WorkshopPatch } from '../../protocol';
import { LiveWorkshop } from './live-workshop';
import { JoinGuard } from '../guards/join-guard';
import type { WorkshopRecord } from '../store/records';
import { RecordUnreadable, type RecordEntry, type RemoteUpdate, type WorkshopCollection, type WorkshopSummary } from '../store/store';
import { onDisk, storageFailure } from '../store/storage-errors';
import { hashSecret, newJoinCode, newSecret, randomId } from './secrets';
import { Residency } from './residency';
import { logOnce } from '../log';
import type { ExportSource } from '../export/assessment-export';

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
	/** a member was removed by the facilitator: their connections are closed */
	| { type: 'removed'; workshopId: string; participantId: string };

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

/** Settings that belong to the assessment a workshop is part of, not to the workshop. */
const ASSESSMENT_OWNS = ['scales', 'anonymous', 'countsOnly'] as const;

/**
 * The one place that changes workshops. HTTP routes and socket handlers both call it, so each
 * rule is written once; every change is stored before the promise it returns resolves.
 * Workshops are read from the store on first use and dropped from memory when nobody has used
 * them for a while (Residency), so memory follows the workshops in use, not those stored.
 */
export class WorkshopService {
	readonly #store: WorkshopCollection;
	readonly #resident: Residency<LiveWorkshop>;
	readonly #idByJoinCode = new Map<string, string>();
	readonly #listeners = new Set<(change: WorkshopChange) => void>();
	/** refuses new records when the store is full (MAX_DATA_MB) */
	readonly #checkSpace: () => void;

	constructor(store: WorkshopCollection, options: { checkSpace?: () => void; idleMs?: number } = {}) {
		this.#store = store;
		this.#checkSpace = options.checkSpace ?? (() => {});
		for (const [id, summary] of store.summaries) this.#idByJoinCode.set(summary.joinCode, id);
		// another process (same database) made or deleted a workshop
		store.onRemote = ({ id, deleted }) => {
			if (!deleted) {
				const summary = store.summaries.get(id);
				if (summary) this.#idByJoinCode.set(summary.joinCode, id);
				return;
			}
			for (const [code, known] of this.#idByJoinCode) if (known === id) this.#idByJoinCode.delete(code);
			clearTimeout(this.#timers.get(id));
			this.#timers.delete(id);
			if (this.#resident.evict(id)) this.#emit({ type: 'deleted', workshopId: id });
		};
		this.#resident = new Residency<LiveWorkshop>({
			what: 'workshop',
			idleMs: options.idleMs,
			load: async (id) => this.#wire(new LiveWorkshop(await store.open(id))),
			settled: (workshop) => workshop.file.settled(),
			dispose: (workshop) => workshop.file.close()
		});
	}

	#wire(workshop: LiveWorkshop): LiveWorkshop {
		workshop.file.onRevert = () => {
			workshop.reindex();
			this.#emit({ type: 'workshop', workshopId: workshop.settings.id });
		};
		workshop.file.onRemote = (update) => this.#applyRemote(workshop, update);
		// others' changes are applied as they come while a connection here follows the workshop; else on its next open
		const id = workshop.settings.id;
		workshop.file.watched = () => this.#resident.isRetained(id);
		this.#armTimer(workshop);
		return workshop;
	}

	/**
	 * What another process committed to a workshop this one keeps (PostgreSQL): taken into memory
	 * and passed on like a change made here, so this process's connections see it.
	 */
	#applyRemote(workshop: LiveWorkshop, update: RemoteUpdate<WorkshopRecord>): void {
		const workshopId = workshop.settings.id;
		if ('record' in update) {
			const { previous } = update;
			workshop.reindex();
			if (previous.workshop.facilitatorKeyHash !== workshop.settings.facilitatorKeyHash) this.#emit({ type: 'rekeyed', workshopId });
			for (const member of previous.participants) {
				const gone = !workshop.participant(member.id) || (workshop.isRemoved(member.id) && !previous.workshop.removedMembers.includes(member.id));
				if (gone) this.#emit({ type: 'removed', workshopId, participantId: member.id });
			}
			this.#armTimer(workshop);
			this.#emit({ type: 'workshop', workshopId });
			return;
		}
		const first = !workshop.hasRatings;
		let members = false;
		for (const entry of update.entries) {
			if ('p' in entry) {
				if (!workshop.participant(entry.p.id)) {
					workshop.addParticipant(entry.p);
					members = true;
				}
				continue;
			}
			const { participantId, riskPointId, round } = entry.r;
			const added = round === workshop.currentRound(riskPointId) && !workshop.rating(participantId, riskPointId, round);
			workshop.putRating(entry.r);
			this.#emit({ type: 'rating', workshopId, participantId, added, answer: answerOf(entry.r) });
		}
		if (members) this.#emit({ type: 'participants', workshopId });
		if (first && workshop.hasRatings) this.#emit({ type: 'locked', workshopId });
	}

	/** per workshop, the pending reveal of its running point timer */
	readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

	/** (Re)sets the reveal at the end of the current point's timer, after any change of it. */
	#armTimer(workshop: LiveWorkshop): void {
		const id = workshop.settings.id;
		clearTimeout(this.#timers.get(id));
		this.#timers.delete(id);
		const endsAt = workshop.settings.timerEndsAt;
		if (!endsAt) return;
		const timer = setTimeout(() => {
			this.#timers.delete(id);
			void this.#timeUp(id, endsAt);
		}, Math.max(0, Date.parse(endsAt) - Date.now()));
		timer.unref?.();
		this.#timers.set(id, timer);
	}

	/** The time is up: the current round is shown to all (unless the facilitator moved on meanwhile). */
	async #timeUp(id: string, endsAt: string): Promise<void> {
		try {
			const workshop = await this.open(id);
			const { timerEndsAt, currentRiskPointId } = workshop.settings;
			if (timerEndsAt !== endsAt || !currentRiskPointId) return;
			await this.update(workshop, { revealed: [currentRiskPointId] });
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
		await this.update(workshop, { revealed: [currentRiskPointId] });
		return true;
	}

	onChange(listener: (change: WorkshopChange) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#emit(change: WorkshopChange): void {
		for (const listener of this.#listeners) {
			try {
				listener(change);
			} catch (error) {
				// telling the screens failed; the change itself still goes to disk
				console.error(`Could not pass on a change (${change.type}) of workshop ${change.workshopId}:`, error);
			}
		}
	}

	#persist(workshop: LiveWorkshop, entry: RecordEntry): Promise<void> {
		return onDisk(`save workshop ${workshop.settings.id}`, () => workshop.file.persistEntry(entry));
	}

	/**
	 * A change of a workshop's settings: made on the workshop as stored (with several processes on
	 * one database, one change at a time per workshop, each on what the one before left), stored,
	 * then passed on (`tell`, 'workshop' unless said). Checks inside `change` run on that state too.
	 */
	async #change(workshop: LiveWorkshop, change: () => void, tell: WorkshopChange['type'][] = ['workshop']): Promise<void> {
		const workshopId = workshop.settings.id;
		await onDisk(`save workshop ${workshopId}`, () => workshop.file.update(change));
		for (const type of tell) this.#emit({ type, workshopId } as WorkshopChange);
	}

	#uniqueJoinCode(): string {
		for (;;) {
			const code = newJoinCode();
			if (!this.#idByJoinCode.has(code)) return code;
		}
	}

	/** Join attempts: unknown codes per address and over all, new members per workshop and address. */
	readonly joinGuard = new JoinGuard();

	/** Every stored workshop's summary, by id (none is read for it). */
	get summaries(): ReadonlyMap<string, WorkshopSummary> {
		return this.#store.summaries;
	}

	/** Resolves when no workshop in memory has a write under way (graceful shutdown: every acknowledgement out). */
	settled(): Promise<void> {
		return this.#resident.settled();
	}

	/** True when the store holds the workshop. */
	has(id: string): boolean {
		return this.#store.summaries.has(id) || this.#store.unreadable.has(id);
	}

	/** The workshop if it is in memory now; a 404 otherwise (for code that runs while its sockets keep it there). */
	get(id: string): LiveWorkshop {
		const workshop = this.#resident.loaded(id);
		if (!workshop) throw new UserError('error.workshop.notFound', {}, 404);
		return workshop;
	}

	/**
	 * The workshop, read from the store if need be and up to date with what other processes on the
	 * same database committed: 404 when there is none, 503 when it cannot be read.
	 */
	async open(id: string): Promise<LiveWorkshop> {
		// made by another process a moment ago (same database), before its notice arrived?
		if (!this.has(id) && !(await this.#store.discover(id).catch(() => false))) throw new UserError('error.workshop.notFound', {}, 404);
		try {
			const workshop = await this.#resident.open(id);
			// the database away for a moment: what is in memory is served (writes say "try again" on their own)
			await workshop.file.refresh().catch((error: Error) => logOnce(`refresh:${error.message}`, `Could not bring workshop ${id} up to date:`, error.message));
			return workshop;
		} catch (error) {
			if (error instanceof RecordUnreadable) throw new UserError('error.workshop.unreadable', { id }, 503);
			if (!(error as NodeJS.ErrnoException).code) throw error;
			console.error(`Could not read workshop ${id}:`, (error as Error).message);
			throw storageFailure(error);
		}
	}

	/** Keeps a workshop in memory while a connection uses it (release() when it ends). */
	retain(id: string): void {
		this.#resident.retain(id);
	}

	release(id: string): void {
		this.#resident.release(id);
	}

	/** Workshops that could not be read: set aside, with the reason, for the operator and their facilitators. */
	unreadable(): ReadonlyMap<string, string> {
		return this.#resident.unreadable;
	}

	/**
	 * A new workshop in draft; `origin` makes the links absolute. A workshop of an assessment takes
	 * the assessment's list, scales and matrix (`from`) and the key derived for it from the owner key.
	 */
	async create(
		input: CreateWorkshopInput,
		origin: string,
		from?: {
			assessmentId: string;
			kind: 'national' | 'regional';
			topic: string;
			riskPoints: RiskPoint[];
			scales: Scales;
			matrix: RiskMatrix;
			facilitatorKey: (workshopId: string) => string;
		}
	): Promise<CreatedWorkshop> {
		this.#checkSpace();
		const language = input.language ?? 'nb';
		const id = randomId();
		const facilitatorKey = from ? from.facilitatorKey(id) : newSecret();
		const now = new Date().toISOString();
		const record: WorkshopRecord = {
			version: 1,
			workshop: {
				id,
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
				anonymous: (input.anonymous ?? true) || (input.countsOnly ?? false),
				countsOnly: input.countsOnly ?? false,
				consensusThreshold: DEFAULT_CONSENSUS_THRESHOLD,
				flagRule: DEFAULT_FLAG_RULE,
				minAnswers: DEFAULT_MIN_ANSWERS,
				askKnowledge: input.askKnowledge ?? false,
				report: { topN: 10, caseNumber: '', draft: false },
				rounds: dictionary(),
				revealed: dictionary(),
				notes: dictionary(),
				assessmentId: from?.assessmentId ?? null,
				kind: from?.kind ?? 'standalone',
				pointSeconds: 0,
				autoReveal: false,
				timerEndsAt: null,
				topic: from?.topic ?? '',
				removedMembers: [],
				joinClosed: false,
				keyGeneration: 0,
				projectorKeyHash: '',
				projectorGeneration: 0
			},
			participants: [],
			ratings: [],
			journalSeq: 0
		};
		const file = await onDisk('create a workshop file', () => this.#store.create(record));
		const workshop = this.#resident.add(id, this.#wire(new LiveWorkshop(file)));
		const { joinCode } = workshop.settings;
		this.#idByJoinCode.set(joinCode, id);
		return {
			id,
			joinCode,
			facilitatorKey,
			joinUrl: `${origin}/join/${joinCode}`,
			facilitatorUrl: `${origin}/facilitate/${id}#key=${facilitatorKey}`
		};
	}

	/** The workshop a facilitator key opens: 401 without a key, 403 with a wrong one. */
	async authenticate(id: string, facilitatorKey: string | null): Promise<LiveWorkshop> {
		const workshop = await this.open(id);
		if (!facilitatorKey) throw new UserError('error.auth.missingKey', {}, 401);
		if (!workshop.keyMatches(facilitatorKey)) throw new UserError('error.auth.wrongKey', {}, 403);
		return workshop;
	}

	/** The id of the workshop behind a join code, however the member typed it, or undefined. */
	idOfJoinCode(typed: string): string | undefined {
		const code = normalizeJoinCode(typed);
		return isWellFormedJoinCode(code) ? this.#idByJoinCode.get(code) : undefined;
	}

	/** idOfJoinCode, and where the store is shared, a workshop another process made a moment ago. */
	async #findJoinCode(typed: string): Promise<string | undefined> {
		const known = this.idOfJoinCode(typed);
		if (known) return known;
		const code = normalizeJoinCode(typed);
		if (!isWellFormedJoinCode(code)) return undefined;
		const found = await this.#store.discoverJoinCode(code).catch(() => null);
		if (found) this.#idByJoinCode.set(code, found);
		return found ?? undefined;
	}

	/** The workshop behind a join code (no guessing limit: for pages the code is already known to). */
	async byJoinCode(typed: string): Promise<LiveWorkshop> {
		const id = await this.#findJoinCode(typed);
		if (!id) throw new UserError('error.join.unknownCode', { code: typed.trim().slice(0, 20) }, 404);
		return this.open(id);
	}

	/** The workshop behind a code typed by someone at `address`; guessing codes is slowed down. */
	async lookUpJoinCode(typed: string, address: string): Promise<LiveWorkshop> {
		this.joinGuard.checkAddress(address);
		if (!(await this.#findJoinCode(typed))) this.joinGuard.recordFailure(address);
		return this.byJoinCode(typed);
	}

	/** Deletes a workshop: gone from memory and from disk; its sockets are told and closed. */
	async delete(workshop: LiveWorkshop): Promise<void> {
		const { id, joinCode } = workshop.settings;
		clearTimeout(this.#timers.get(id));
		this.#timers.delete(id);
		this.#resident.drop(id);
		this.#idByJoinCode.delete(joinCode);
		await onDisk(`delete workshop ${id}`, async () => {
			await workshop.file.settled(); // let a write under way finish first
			await this.#store.remove(id);
		});
		this.#emit({ type: 'deleted', workshopId: id });
	}

	/** Deletes standalone workshops closed for longer than `days` (the retention period), from their summaries. */
	async deleteExpired(days: number, now = Date.now()): Promise<string[]> {
		const limit = now - days * 24 * 60 * 60 * 1000;
		const expired = [...this.summaries]
			.filter(([, w]) => w.status === 'closed' && !w.assessmentId && Date.parse(w.updatedAt) < limit)
			.map(([id]) => id);
		for (const id of expired) await this.delete(await this.open(id));
		return expired;
	}

	/** Gives the workshop another facilitator key (its hash); connections with the old key are closed. */
	async setKeyHash(workshop: LiveWorkshop, facilitatorKeyHash: string): Promise<void> {
		await this.#change(
			workshop,
			() => {
				workshop.settings.facilitatorKeyHash = facilitatorKeyHash;
				workshop.touch();
			},
			['rekeyed']
		);
	}

	/** The assessment's scales changed (before any answer): its workshops take them. */
	async setScales(workshop: LiveWorkshop, scales: Scales): Promise<void> {
		await this.#change(workshop, () => {
			if (workshop.hasRatings) throw new UserError('error.scales.locked', {}, 409);
			workshop.settings.scales = scales;
			workshop.touch();
		});
	}

	/** The assessment's title changed: its workshops show the new topic. */
	async setTopic(workshop: LiveWorkshop, topic: string): Promise<void> {
		if (workshop.settings.topic === topic) return;
		await this.#change(workshop, () => {
			workshop.settings.topic = topic;
			workshop.touch();
		});
	}

	/**
	 * Fixes a point's wording (a typo seen during the session), also after rating began: the old
	 * text is kept with the time. In a workshop of an assessment the assessment's owner does it
	 * for all its workshops (AssessmentService.editPointText).
	 */
	async editPointText(workshop: LiveWorkshop, riskPointId: string, text: string, at = new Date().toISOString(), fromAssessment = false): Promise<void> {
		if (workshop.settings.assessmentId && !fromAssessment) throw new UserError('error.list.fromAssessment', {}, 409);
		if (!workshop.riskPoint(riskPointId)) throw new UserError('error.rate.unknownPoint', {}, 404);
		if (workshop.riskPoint(riskPointId)!.text === text) return;
		await this.#change(workshop, () => {
			const point = workshop.riskPoint(riskPointId);
			if (!point) throw new UserError('error.rate.unknownPoint', {}, 404);
			if (point.text !== text) workshop.setRiskPoints(withEditedText(workshop.settings.riskPoints, riskPointId, text, at));
		});
	}

	/** Replaces the list of risk points; refused once anyone has rated. */
	async setRiskPoints(workshop: LiveWorkshop, inputs: (RiskPointInput & { id?: string })[]) {
		if (workshop.settings.assessmentId) throw new UserError('error.list.fromAssessment', {}, 409);
		this.#checkSpace();
		checkRiskPointInputs(inputs);
		let riskPoints: RiskPoint[] = [];
		await this.#change(workshop, () => {
			if (workshop.hasRatings) throw new UserError('error.list.locked', {}, 409);
			const keep = new Set(workshop.settings.riskPoints.map((point) => point.id));
			riskPoints = finalizeRiskPoints(
				inputs.map((input) => ({ ...input, id: input.id && keep.has(input.id) ? input.id : undefined })),
				() => randomId(6)
			);
			workshop.setRiskPoints(riskPoints);
		});
		return riskPoints;
	}

	/** Puts the assessment's list (ids and codes as they are) in one of its workshops, before any rating. */
	async replaceRiskPoints(workshop: LiveWorkshop, riskPoints: RiskPoint[]): Promise<void> {
		await this.#change(workshop, () => {
			if (workshop.hasRatings) throw new UserError('error.list.locked', {}, 409);
			workshop.setRiskPoints(riskPoints);
		});
	}

	/** Appends points added to the assessment's list (allowed after rating has started). */
	async appendRiskPoints(workshop: LiveWorkshop, riskPoints: RiskPoint[]): Promise<void> {
		const missing = () => {
			const known = new Set(workshop.settings.riskPoints.map((point) => point.id));
			return riskPoints.filter((point) => !known.has(point.id));
		};
		if (missing().length === 0) return;
		await this.#change(workshop, () => {
			const added = missing();
			if (added.length) workshop.setRiskPoints([...workshop.settings.riskPoints, ...added]);
		});
	}

	/**
	 * Applies a facilitator's change: status, pacing, current point, reveal, new round, notes,
	 * settings. In a workshop of an assessment, the scales and anonymity are the assessment's.
	 */
	async update(workshop: LiveWorkshop, patch: WorkshopPatch): Promise<void> {
		if (workshop.settings.assessmentId) {
			const owned = ASSESSMENT_OWNS.find((setting) => setting in patch && patch[setting as keyof WorkshopPatch] !== undefined);
			if (owned) throw new UserError('error.workshop.ownedByAssessment', { setting: owned }, 409);
		}
		workshop.checkPatch(patch);
		await this.#change(workshop, () => {
			// checked again on the workshop as stored: another process may have moved it on meanwhile
			workshop.checkPatch(patch);
			workshop.applyPatch(patch, () =>
				workshop
					.results()
					.riskPoints.filter((point) => point.disagreement)
					.map((point) => point.id)
			);
		});
		this.#armTimer(workshop);
	}

	/**
	 * A member joins with a code. A known token resumes the same member (and their answers) and is
	 * never held back by the guessing limits; an unknown or missing one makes a new member, within
	 * the limits on new members per address and per workshop.
	 */
	async join(joinCode: string, participantToken: string | undefined, name: string | undefined, address = 'unknown'): Promise<JoinedMember> {
		const id = participantToken ? await this.#findJoinCode(joinCode) : undefined;
		if (id && participantToken) {
			const workshop = await this.open(id);
			const known = workshop.participantByTokenHash(hashSecret(participantToken));
			if (known && workshop.isRemoved(known.id)) throw new UserError('error.member.removed', {}, 403);
			if (known) {
				if (name !== undefined && name !== known.name && !workshop.settings.countsOnly) {
					await this.#change(
						workshop,
						() => {
							const member = workshop.participant(known.id);
							if (member) member.name = name;
						},
						['participants']
					);
				}
				return { workshop, participantId: known.id, participantToken, name: workshop.participant(known.id)?.name ?? known.name };
			}
		}
		const workshop = await this.lookUpJoinCode(joinCode, address);
		if (workshop.settings.joinClosed) throw new UserError('error.join.closed', {}, 409);
		this.joinGuard.checkNewMember(workshop.settings.id, workshop.record.participants.length, address);
		this.#checkSpace();
		const token = newSecret();
		const participant = {
			id: randomId(),
			tokenHash: hashSecret(token),
			// a counts-only workshop keeps no names
			name: workshop.settings.countsOnly ? '' : (name ?? ''),
			joinedAt: new Date().toISOString()
		};
		workshop.addParticipant(participant);
		this.#emit({ type: 'participants', workshopId: workshop.settings.id });
		await this.#persist(workshop, { p: participant });
		return { workshop, participantId: participant.id, participantToken: token, name: participant.name };
	}

	/**
	 * Removes a member (a fake or duplicate one); their connections are closed and their token stops
	 * working. In a named workshop their answers go with them. In anonymous and counts-only workshops
	 * their answers stay where they are: taking them out would change the figures by exactly what
	 * they answered. A new round of the points concerned is then rated without them.
	 */
	async removeMember(workshop: LiveWorkshop, participantId: string): Promise<void> {
		const known = () => workshop.participant(participantId) && !workshop.isRemoved(participantId);
		if (!known()) throw new UserError('error.member.notFound', {}, 404);
		await this.#change(workshop, () => {
			if (!known()) throw new UserError('error.member.notFound', {}, 404);
			if (workshop.settings.anonymous) workshop.markRemoved(participantId);
			else workshop.removeParticipant(participantId);
		}, []);
		this.#emit({ type: 'removed', workshopId: workshop.settings.id, participantId });
		this.#emit({ type: 'workshop', workshopId: workshop.settings.id });
	}

	/** Stores a member's rating; resolves with the answer as stored once it is on disk (so the ack can go out). */
	async rate(workshop: LiveWorkshop, participantId: string, input: RateInput): Promise<AnswerUpdate> {
		workshop.checkRating(input);
		if (!workshop.participant(participantId) || workshop.isRemoved(participantId)) throw new UserError('error.member.removed', {}, 403);
		const first = !workshop.hasRatings;
		const added = !workshop.hasAnswered(participantId, input.riskPointId);
		const rating = workshop.applyRating(participantId, input, new Date().toISOString());
		const answer = answerOf(rating);
		await this.#persist(workshop, { r: rating });
		// told once stored: no screen shows an answer that a crash or a failed write could take back
		this.#emit({ type: 'rating', workshopId: workshop.settings.id, participantId, added });
		// the first rating locks the list and scales: the facilitator's screen must know
		if (first) this.#emit({ type: 'locked', workshopId: workshop.settings.id });
		return answer;
	}
}

/** A rating as its member's screens get it. */
function answerOf(rating: Rating): AnswerUpdate {
	const answer: AnswerUpdate = { riskPointId: rating.riskPointId, round: rating.round, likelihood: rating.likelihood, consequence: rating.consequence };
	if (rating.knowledge) answer.knowledge = rating.knowledge;
	if (rating.comment) answer.comment = rating.comment;
	return answer;
}

/**
 * What the report of a workshop on its own is made from (export/assessment-export.ts): the
 * workshop as a report of one, with its own minimum answers and report settings; a version that
 * names this state of the workshop, for the cache of built reports.
 */
export function workshopExportSource(workshop: LiveWorkshop): { source: () => ExportSource; version: string } {
	const settings = workshop.settings;
	const version = `workshop|${settings.id}|${workshop.instance}.${workshop.version}`;
	const source = (): ExportSource => ({
		assessment: {
			id: settings.id,
			title: settings.title,
			description: '',
			language: settings.language,
			scales: settings.scales,
			matrix: settings.matrix,
			riskPoints: settings.riskPoints,
			analysis: { topN: settings.report.topN, minAnswers: settings.minAnswers },
			report: { caseNumber: settings.report.caseNumber, draft: settings.report.draft },
			createdAt: settings.createdAt
		},
		weighting: 'workshop',
		workshops: [
			{
				id: settings.id,
				title: settings.title,
				kind: settings.kind,
				status: settings.status,
				members: workshop.record.participants.length,
				answering: workshop.answeringMembers(),
				scoring: settings.scoring,
				data: workshop.data(true)
			}
		],
		exportedAt: new Date().toISOString(),
		standalone: true
	});
	return { source, version };
}
