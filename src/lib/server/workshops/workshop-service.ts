import type { ConsequenceTypes } from '../../domain/dsb-method';
import { UserError } from '../../domain/errors';
import { isWellFormedJoinCode, normalizeJoinCode } from '../../domain/join-code';
import type { RiskPoint, RiskPointInput, Scales } from '../../domain/types';
import type { Privacy } from '../../domain/privacy';
import type { AnswerUpdate, CreateWorkshopInput, RateInput, WorkshopPatch } from '../../protocol';
import { LiveWorkshop } from './live-workshop';
import { WorkshopCommits, type WorkshopChange } from './workshop-changes';
import { WorkshopMembers, type JoinedMember } from './workshop-members';
import { WorkshopKeys } from './workshop-keys';
import { PointTimers } from './point-timers';
import { applyRemote } from './remote-changes';
import { WorkshopLists } from './workshop-lists';
import { newWorkshopRecord, type CopyOf, type FromAssessment } from './new-workshop';
import { JoinGuard } from '../guards/join-guard';
import type { ParticipantRecord } from '../store/records';
import { RecordUnreadable, type WorkshopCollection, type WorkshopSummary } from '../store/store';
import { onDisk, storageFailure } from '../store/storage-errors';
import { hashSecret, newJoinCode, newSecret, randomId } from './secrets';
import { Residency } from './residency';
import { logOnce } from '../log';

export type { WorkshopChange } from './workshop-changes';
export type { JoinedMember } from './workshop-members';

export interface CreatedWorkshop {
	id: string;
	joinCode: string;
	facilitatorKey: string;
	joinUrl: string;
	facilitatorUrl: string;
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
	/** stores each change, then tells the socket layer */
	readonly #commits = new WorkshopCommits();
	readonly #timers: PointTimers;
	readonly #members: WorkshopMembers;
	readonly #lists: WorkshopLists;
	/** rotating the facilitator key and the projector link */
	readonly keys: WorkshopKeys;
	/** refuses new records when the store is full (MAX_DATA_MB) */
	readonly #checkSpace: () => void;

	constructor(store: WorkshopCollection, options: { checkSpace?: () => void; idleMs?: number } = {}) {
		this.#store = store;
		this.#checkSpace = options.checkSpace ?? (() => {});
		this.#timers = new PointTimers((id) => this.open(id), (workshop, patch) => this.update(workshop, patch));
		this.#members = new WorkshopMembers({
			commits: this.#commits,
			joinGuard: this.joinGuard,
			findJoinCode: (typed) => this.#findJoinCode(typed),
			open: (id) => this.open(id),
			lookUpJoinCode: (typed, address) => this.lookUpJoinCode(typed, address),
			checkSpace: () => this.#checkSpace()
		});
		this.keys = new WorkshopKeys(this.#commits);
		this.#lists = new WorkshopLists(this.#commits, () => this.#checkSpace());
		for (const [id, summary] of store.summaries) this.#idByJoinCode.set(summary.joinCode, id);
		// another process (same database) made or deleted a workshop
		store.onRemote = ({ id, deleted }) => {
			if (!deleted) {
				const summary = store.summaries.get(id);
				if (summary) this.#idByJoinCode.set(summary.joinCode, id);
				return;
			}
			for (const [code, known] of this.#idByJoinCode) if (known === id) this.#idByJoinCode.delete(code);
			this.#timers.clear(id);
			if (this.#resident.evict(id)) this.#commits.emit({ type: 'deleted', workshopId: id });
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
		workshop.file.onRemote = (update) => applyRemote(workshop, update, this.#commits, this.#timers);
		// others' changes are applied as they come while a connection here follows the workshop; else on its next open
		const id = workshop.settings.id;
		workshop.file.watched = () => this.#resident.isRetained(id);
		this.#timers.arm(workshop);
		return workshop;
	}

	/** Auto-reveal once every connected member has answered the current point (see PointTimers). */
	revealIfAllAnswered(workshop: LiveWorkshop, connected: ReadonlySet<string>): Promise<boolean> {
		return this.#timers.revealIfAllAnswered(workshop, connected);
	}

	onChange(listener: (change: WorkshopChange) => void): () => void {
		return this.#commits.onChange(listener);
	}

	#emit(change: WorkshopChange): void {
		this.#commits.emit(change);
	}

	#change(workshop: LiveWorkshop, change: () => void, tell: WorkshopChange['type'][] = ['workshop']): Promise<void> {
		return this.#commits.change(workshop, change, tell);
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
		from?: FromAssessment,
		copy?: CopyOf
	): Promise<CreatedWorkshop> {
		this.#checkSpace();
		const language = input.language ?? 'nb';
		const id = randomId();
		const facilitatorKey = from ? from.facilitatorKey(id) : newSecret();
		const record = newWorkshopRecord({ id, input, language, joinCode: this.#uniqueJoinCode(), facilitatorKeyHash: hashSecret(facilitatorKey), from, copy });
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

	/** The workshop a projector link's key opens: 401 without a key, 403 with a wrong (or revoked) one. */
	async authenticateProjector(id: string, projectorKey: string | null): Promise<LiveWorkshop> {
		const workshop = await this.open(id);
		if (!projectorKey) throw new UserError('error.auth.missingKey', {}, 401);
		if (!workshop.projectorKeyMatches(projectorKey)) throw new UserError('error.auth.wrongKey', {}, 403);
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
		this.#timers.clear(id);
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

	/** Scales, topic, the list of points and their wording (see WorkshopLists). */
	setScales(workshop: LiveWorkshop, scales: Scales): Promise<void> {
		return this.#lists.setScales(workshop, scales);
	}

	setConsequenceTypes(workshop: LiveWorkshop, consequenceTypes: ConsequenceTypes): Promise<void> {
		return this.#lists.setConsequenceTypes(workshop, consequenceTypes);
	}

	setPrivacy(workshop: LiveWorkshop, privacy: Privacy): Promise<void> {
		return this.#lists.setPrivacy(workshop, privacy);
	}

	setTopic(workshop: LiveWorkshop, topic: string): Promise<void> {
		return this.#lists.setTopic(workshop, topic);
	}

	editPointText(workshop: LiveWorkshop, riskPointId: string, text: string, at = new Date().toISOString(), fromAssessment = false): Promise<void> {
		return this.#lists.editPointText(workshop, riskPointId, text, at, fromAssessment);
	}

	setRiskPoints(workshop: LiveWorkshop, inputs: (RiskPointInput & { id?: string })[]): Promise<RiskPoint[]> {
		return this.#lists.setRiskPoints(workshop, inputs);
	}

	replaceRiskPoints(workshop: LiveWorkshop, riskPoints: RiskPoint[]): Promise<void> {
		return this.#lists.replaceRiskPoints(workshop, riskPoints);
	}

	appendRiskPoints(workshop: LiveWorkshop, riskPoints: RiskPoint[]): Promise<void> {
		return this.#lists.appendRiskPoints(workshop, riskPoints);
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
		this.#timers.arm(workshop);
	}

	/** A member joins with a code, or comes back with their token (see WorkshopMembers.join). */
	join(joinCode: string, participantToken: string | undefined, name: string | undefined, address = 'unknown'): Promise<JoinedMember> {
		return this.#members.join(joinCode, participantToken, name, address);
	}

	/** A new member's client has its token: stored and counted from now on (see WorkshopMembers.confirm). */
	confirmMember(workshop: LiveWorkshop, participant: ParticipantRecord): Promise<void> {
		return this.#members.confirm(workshop, participant);
	}

	/** Removes a member (see WorkshopMembers.remove for what happens to their answers). */
	removeMember(workshop: LiveWorkshop, participantId: string): Promise<void> {
		return this.#members.remove(workshop, participantId);
	}

	/** Stores a member's rating; resolves with the answer as stored once it is on disk. */
	rate(workshop: LiveWorkshop, participantId: string, input: RateInput): Promise<AnswerUpdate> {
		return this.#members.rate(workshop, participantId, input);
	}
}
