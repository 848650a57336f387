import { UserError } from '../../domain/errors';
import { buildResults, type PointNotes, type ResultsInput, type WorkshopResults } from '../../domain/results';
import { checkAnswerValues, storedValues } from './answer-values';
import { applyPatch, checkPatch } from './workshop-patch';
import { LiveResults, type ResultsParts } from './live-results';
import type { PointTally, RatingAnswer } from '../../domain/tally';
import { countRating, resultsInputOf, talliesOf, tallyKey, type WorkshopData } from '../../domain/workshop-results';
import type { Rating, RiskPoint } from '../../domain/types';
import type { RateInput, WorkshopPatch } from '../../protocol';
import type { ParticipantRecord, WorkshopRecord, WorkshopSettings } from '../store/records';
import type { RecordHandle } from '../store/store';
import { dictionary } from '../../domain/ids';
import { secretMatches } from './secrets';
import { LIMITS } from '../guards/limits';
import type { WorkshopKind } from '../../domain/combined';

const NO_NOTES: PointNotes = { discussion: '', measures: '' };

/**
 * Where a member's answers to one point are in record.ratings: a number when there is only a
 * first-round answer (nearly always: one small number per answer instead of an array), else an
 * array by round.
 */
type RoundIndexes = number | (number | undefined)[];

function roundIndex(entry: RoundIndexes | undefined, round: number): number | undefined {
	if (typeof entry === 'number') return round === 1 ? entry : undefined;
	return entry?.[round];
}

function withRoundIndex(entry: RoundIndexes | undefined, round: number, index: number): RoundIndexes {
	if (round === 1 && (entry === undefined || typeof entry === 'number')) return index;
	const rounds = typeof entry === 'number' ? [undefined, entry] : (entry ?? []);
	rounds[round] = index;
	return rounds;
}

/**
 * One workshop in memory: its file's data plus the indexes that make a rating O(1) to apply and
 * results O(points x rounds) to compute. Only the workshop service calls the methods that change it.
 */
export class LiveWorkshop {
	readonly file: RecordHandle<WorkshopRecord>;
	static #loads = 0;
	/** unique per load into memory: with version, names one state of the workshop (for caches) */
	readonly instance = ++LiveWorkshop.#loads;
	/** bumped on every change, so views computed for one state can be reused */
	version = 0;
	/** bumped on changes other than ratings (what every member sees alike) */
	settingsVersion = 0;
	#participantsById = new Map<string, ParticipantRecord>();
	#participantsByTokenHash = new Map<string, ParticipantRecord>();
	/**
	 * participant id → point id → where the answers are in record.ratings: a member's answers
	 * without string keys, and without an array per answer (see RoundIndexes)
	 */
	#ratingIndex = new Map<string, Map<string, RoundIndexes>>();
	#tallies = new Map<string, PointTally>();
	#riskPointsById = new Map<string, RiskPoint>();
	/** bumped for a point on each of its ratings: with settingsVersion, says when its result changed */
	#pointVersions = new Map<string, number>();
	/** each point's latest result and its JSON up to the rank, for resultsJson() */
	readonly #live = new LiveResults();

	constructor(file: RecordHandle<WorkshopRecord>) {
		this.file = file;
		this.reindex();
	}

	get record(): WorkshopRecord {
		return this.file.data;
	}

	get settings(): WorkshopSettings {
		return this.file.data.workshop;
	}

	/** Rebuilds every index from the data (after a load or a revert). */
	reindex(): void {
		const { participants, ratings, workshop } = this.record;
		this.#participantsById = new Map(participants.map((p) => [p.id, p]));
		this.#participantsByTokenHash = new Map(participants.map((p) => [p.tokenHash, p]));
		this.#riskPointsById = new Map(workshop.riskPoints.map((p) => [p.id, p]));
		this.#ratingIndex = new Map();
		ratings.forEach((rating, index) => this.#setIndex(rating, index));
		this.#tallies = talliesOf(ratings);
		this.version++;
		this.settingsVersion++;
	}

	/** Adds (1) or removes (-1) a stored rating from its tally, including "changed since last round". */
	#count(rating: Rating, sign: 1 | -1): void {
		const previous = rating.round > 1 ? this.rating(rating.participantId, rating.riskPointId, rating.round - 1) : undefined;
		countRating(this.#tallies, rating, sign, previous);
	}

	tallyFor(riskPointId: string, round: number): PointTally | undefined {
		return this.#tallies.get(tallyKey(riskPointId, round));
	}

	/** The round a point is being rated in now. */
	currentRound(riskPointId: string): number {
		return this.settings.rounds[riskPointId] ?? 1;
	}

	isRevealed(riskPointId: string, round: number): boolean {
		return this.settings.revealed[riskPointId]?.includes(round) ?? false;
	}

	notes(riskPointId: string): PointNotes {
		return this.settings.notes[riskPointId] ?? NO_NOTES;
	}

	rating(participantId: string, riskPointId: string, round: number): Rating | undefined {
		const index = roundIndex(this.#ratingIndex.get(participantId)?.get(riskPointId), round);
		return index === undefined ? undefined : this.record.ratings[index];
	}

	/** Notes where a rating is in record.ratings. */
	#setIndex(rating: Rating, index: number): void {
		let points = this.#ratingIndex.get(rating.participantId);
		if (!points) this.#ratingIndex.set(rating.participantId, (points = new Map()));
		points.set(rating.riskPointId, withRoundIndex(points.get(rating.riskPointId), rating.round, index));
	}

	riskPoint(id: string): RiskPoint | undefined {
		return this.#riskPointsById.get(id);
	}

	participant(id: string): ParticipantRecord | undefined {
		return this.#participantsById.get(id);
	}

	participantByTokenHash(tokenHash: string): ParticipantRecord | undefined {
		return this.#participantsByTokenHash.get(tokenHash);
	}

	/** Its kind in results and reports: a rehearsal is a workshop on its own there. */
	get kind(): WorkshopKind {
		const kind = this.settings.kind;
		return kind === 'rehearsal' ? 'standalone' : kind;
	}

	/** The privacy threshold: a round's numbers show only from this many answers (anonymous and counts-only; 0 when named). */
	get minGroup(): number {
		return this.settings.anonymous ? LIMITS.minGroup : 0;
	}

	/** True when the key is this workshop's facilitator key. */
	keyMatches(facilitatorKey: string): boolean {
		return secretMatches(facilitatorKey, this.settings.facilitatorKeyHash);
	}

	/** True when the key is the key of this workshop's projector link ('' before one was made: none is). */
	projectorKeyMatches(projectorKey: string): boolean {
		return this.settings.projectorKeyHash !== '' && secretMatches(projectorKey, this.settings.projectorKeyHash);
	}

	/** Removes a member and every answer they gave; the tallies are rebuilt. */
	removeParticipant(participantId: string): void {
		const record = this.record;
		record.participants = record.participants.filter((p) => p.id !== participantId);
		record.ratings = record.ratings.filter((r) => r.participantId !== participantId);
		this.reindex();
		this.touch();
	}

	/** Marks a member removed but keeps their answers (anonymous and counts-only workshops: see WorkshopService.removeMember). */
	markRemoved(participantId: string): void {
		this.settings.removedMembers = [...this.settings.removedMembers, participantId];
		this.touch();
	}

	isRemoved(participantId: string): boolean {
		return this.settings.removedMembers.includes(participantId);
	}

	/** Members who have joined and were not removed. */
	get memberCount(): number {
		return this.record.participants.length - this.settings.removedMembers.length;
	}

	/** Members who have answered every point in its current round (self pace: done). */
	membersDone(): number {
		const points = this.settings.riskPoints;
		if (points.length === 0) return 0;
		let done = 0;
		for (const answered of this.#ratingIndex.values()) {
			if (answered.size < points.length) continue;
			if (points.every((point) => roundIndex(answered.get(point.id), this.currentRound(point.id)) !== undefined)) done++;
		}
		return done;
	}

	/** How far the workshop is: answers in each point's current round over members × points (0 to 1). */
	progress(): number {
		const points = this.settings.riskPoints;
		if (points.length === 0 || this.memberCount === 0) return 0;
		let answers = 0;
		for (const point of points) answers += this.tallyFor(point.id, this.currentRound(point.id))?.responses ?? 0;
		return Math.min(1, answers / (points.length * this.memberCount));
	}

	/** Members who gave at least one answer (not only joined). */
	answeringMembers(): number {
		return this.#ratingIndex.size;
	}

	get hasRatings(): boolean {
		return this.record.ratings.length > 0;
	}

	addParticipant(participant: ParticipantRecord): void {
		this.record.participants.push(participant);
		this.#participantsById.set(participant.id, participant);
		this.#participantsByTokenHash.set(participant.tokenHash, participant);
		this.version++;
	}

	setRiskPoints(riskPoints: RiskPoint[]): void {
		this.settings.riskPoints = riskPoints;
		this.#riskPointsById = new Map(riskPoints.map((p) => [p.id, p]));
		if (this.settings.currentRiskPointId && !this.#riskPointsById.has(this.settings.currentRiskPointId)) {
			this.settings.currentRiskPointId = riskPoints[0]?.id ?? null;
		}
		this.touch();
	}

	/** The views made once per change of settings are out of date, the settings not (an answer to a revealed round, from another process). */
	viewsChanged(): void {
		this.version++;
		this.settingsVersion++;
	}

	/** Marks a change of settings. */
	touch(): void {
		this.settings.updatedAt = new Date().toISOString();
		this.version++;
		this.settingsVersion++;
	}

	/** Checks a facilitator's change against the workshop's state (workshop-patch.ts); throws a UserError saying what is wrong. */
	checkPatch(patch: WorkshopPatch): void {
		checkPatch(this, patch);
	}

	/** Applies a checked change (workshop-patch.ts). `flagged` lists the points flagged for discussion, for newRound 'flagged'. */
	applyPatch(patch: WorkshopPatch, flagged: () => string[], now = Date.now()): void {
		applyPatch(this, patch, flagged, now);
	}

	/** Checks a rating against the workshop's state and scales; throws a UserError saying what is wrong. */
	checkRating(input: RateInput): void {
		if (this.settings.status === 'draft') throw new UserError('error.rate.notOpen', {}, 409);
		if (this.settings.status === 'closed') throw new UserError('error.rate.closed', {}, 409);
		if (!this.#riskPointsById.has(input.riskPointId)) throw new UserError('error.rate.unknownPoint', {}, 404);
		if (this.isRevealed(input.riskPointId, this.currentRound(input.riskPointId))) {
			throw new UserError('error.rate.revealed', {}, 409);
		}
		checkAnswerValues(this.settings, input);
	}

	/** Stores a member's answer for the point's current round, replacing an earlier one. */
	applyRating(participantId: string, input: RateInput, at: string): Rating {
		const round = this.currentRound(input.riskPointId);
		const values = storedValues(this.settings, input);
		// every property in one literal (no spread: a spread's properties go to a second object, 40
		// bytes more for each of the ratings a workshop keeps); the point's own id, not the message's copy
		const riskPointId = this.#riskPointsById.get(input.riskPointId)!.id;
		const rating: Rating = values.types
			? { participantId, riskPointId, round, likelihood: values.likelihood, consequence: values.consequence, types: values.types, at }
			: { participantId, riskPointId, round, likelihood: values.likelihood, consequence: values.consequence, at };
		// the strength of knowledge only where the workshop asks it (stored only when given: older files have none)
		if (input.knowledge && this.settings.askKnowledge) rating.knowledge = input.knowledge;
		const index = roundIndex(this.#ratingIndex.get(participantId)?.get(input.riskPointId), round);
		// a reason given stays with the answer until the member changes it ('' removes it)
		const comment = input.comment !== undefined ? input.comment.trim() : index === undefined ? '' : (this.record.ratings[index]!.comment ?? '');
		if (comment) rating.comment = comment;
		this.putRating(rating);
		return rating;
	}

	/** Puts a rating as stored (made here, or by another process on the same database), replacing the one it answers again. */
	putRating(rating: Rating): void {
		const index = roundIndex(this.#ratingIndex.get(rating.participantId)?.get(rating.riskPointId), rating.round);
		if (index === undefined) {
			this.#setIndex(rating, this.record.ratings.length);
			this.record.ratings.push(rating);
		} else {
			this.#count(this.record.ratings[index]!, -1);
			this.record.ratings[index] = rating;
		}
		this.#count(rating, 1);
		this.#pointVersions.set(rating.riskPointId, (this.#pointVersions.get(rating.riskPointId) ?? 0) + 1);
		this.version++;
	}

	/** A member's own answers in each point's current round (or the round before, `back` = 1). */
	ownAnswers(participantId: string, back = 0): Record<string, RatingAnswer> {
		const own = dictionary<RatingAnswer>();
		const points = this.#ratingIndex.get(participantId);
		if (!points) return own;
		// in list order, only the points this member has answered
		for (const point of this.settings.riskPoints) {
			const index = roundIndex(points.get(point.id), this.currentRound(point.id) - back);
			const rating = index === undefined ? undefined : this.record.ratings[index];
			if (!rating) continue;
			const answer: RatingAnswer & { comment?: string } = { likelihood: rating.likelihood, consequence: rating.consequence };
			if (rating.types) answer.types = rating.types;
			if (rating.knowledge) answer.knowledge = rating.knowledge;
			if (rating.comment) answer.comment = rating.comment;
			own[point.id] = answer;
		}
		return own;
	}

	/** True when the participant has answered the point's current round. */
	hasAnswered(participantId: string, riskPointId: string): boolean {
		return this.rating(participantId, riskPointId, this.currentRound(riskPointId)) !== undefined;
	}

	results(roundChoice: 'latest' | number = 'latest'): WorkshopResults {
		return this.#buildResults((riskPointId, round) => this.tallyFor(riskPointId, round), roundChoice);
	}

	/**
	 * results() as JSON, for the live updates: each point's JSON is kept until a rating of it or a
	 * change of settings, so an update during a burst of ratings re-encodes only the points that
	 * changed (the rest is string joining). The same content as JSON.stringify(results()).
	 */
	resultsJson(): string {
		const { head, points, ranks } = this.resultsParts();
		return `${head},"riskPoints":[${points.map((point, index) => `${point.jsonBeforeRank}${ranks[index]}}`).join(',')}]}`;
	}

	/** The parts of resultsJson(), kept between changes (LiveResults). */
	resultsParts(): ResultsParts {
		return this.#live.parts(this.#resultsInput((riskPointId, round) => this.tallyFor(riskPointId, round), 'latest'), this.settingsVersion, this.#pointVersions);
	}

	#buildResults(tallyFor: (riskPointId: string, round: number) => PointTally | undefined, roundChoice: 'latest' | number): WorkshopResults {
		return buildResults(this.#resultsInput(tallyFor, roundChoice));
	}

	#resultsInput(tallyFor: (riskPointId: string, round: number) => PointTally | undefined, roundChoice: 'latest' | number): ResultsInput {
		return resultsInputOf(this.data(false), tallyFor, roundChoice);
	}

	/**
	 * What results are made from, as plain data: with `ratings`, a copy that can go to a worker
	 * thread (resultsOf gives the same results as results()).
	 */
	data(withRatings: true): WorkshopData;
	data(withRatings: false): Omit<WorkshopData, 'ratings'>;
	data(withRatings: boolean): Omit<WorkshopData, 'ratings'> | WorkshopData {
		const { id, title, status, scoring, matrix, riskPoints, consensusThreshold, flagRule, minAnswers, countsOnly, askKnowledge, rounds, revealed, notes } = this.settings;
		const data = {
			workshop: { id, title, status },
			scoring,
			matrix,
			consensusThreshold,
			flagRule,
			minAnswers,
			countsOnly,
			minGroup: this.minGroup,
			asksKnowledge: askKnowledge,
			riskPoints,
			rounds,
			revealed,
			notes
		};
		return withRatings ? { ...data, ratings: this.record.ratings } : data;
	}
}
