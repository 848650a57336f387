import { buildResults, type WorkshopResults } from '../domain/results';
import { LEVELS, isValidRatingValue } from '../domain/scales';
import { applyToTally, emptyTally, type PointTally } from '../domain/tally';
import { UserError } from '../domain/errors';
import type { RiskPoint } from '../domain/types';
import type { FacilitatorWorkshopView, MemberWorkshopView, Presence, RateInput } from '../protocol';
import type { ParticipantRecord, WorkshopRecord, WorkshopSettings } from './records';
import type { WorkshopFile } from './store';

const ratingKey = (participantId: string, riskPointId: string, round: number) =>
	`${participantId}\u0000${riskPointId}\u0000${round}`;
const tallyKey = (riskPointId: string, round: number) => `${riskPointId}\u0000${round}`;

/**
 * One workshop in memory: its file's data plus the indexes that make a rating O(1) to apply
 * and results O(points) to compute. Only the workshop service changes it.
 */
export class LiveWorkshop {
	readonly file: WorkshopFile;
	#participantsById = new Map<string, ParticipantRecord>();
	#participantsByTokenHash = new Map<string, ParticipantRecord>();
	#ratingIndex = new Map<string, number>();
	#tallies = new Map<string, PointTally>();
	#riskPointsById = new Map<string, RiskPoint>();

	constructor(file: WorkshopFile) {
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
		this.#tallies = new Map();
		ratings.forEach((rating, index) => {
			this.#ratingIndex.set(ratingKey(rating.participantId, rating.riskPointId, rating.round), index);
			applyToTally(this.#tally(rating.riskPointId, rating.round), rating, 1);
		});
	}

	#tally(riskPointId: string, round: number): PointTally {
		const key = tallyKey(riskPointId, round);
		let tally = this.#tallies.get(key);
		if (!tally) {
			tally = emptyTally(LEVELS);
			this.#tallies.set(key, tally);
		}
		return tally;
	}

	/** The round a point is being rated in now. */
	currentRound(_riskPointId: string): number {
		return 1;
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

	get hasRatings(): boolean {
		return this.record.ratings.length > 0;
	}

	addParticipant(participant: ParticipantRecord): void {
		this.record.participants.push(participant);
		this.#participantsById.set(participant.id, participant);
		this.#participantsByTokenHash.set(participant.tokenHash, participant);
	}

	setRiskPoints(riskPoints: RiskPoint[]): void {
		this.settings.riskPoints = riskPoints;
		this.#riskPointsById = new Map(riskPoints.map((p) => [p.id, p]));
		if (this.settings.currentRiskPointId && !this.#riskPointsById.has(this.settings.currentRiskPointId)) {
			this.settings.currentRiskPointId = riskPoints[0]?.id ?? null;
		}
	}

	/** Checks a rating against the workshop's state and scales; throws a UserError saying what is wrong. */
	checkRating(input: RateInput): void {
		if (this.settings.status === 'draft') throw new UserError('error.rate.notOpen', {}, 409);
		if (this.settings.status === 'closed') throw new UserError('error.rate.closed', {}, 409);
		if (!this.#riskPointsById.has(input.riskPointId)) throw new UserError('error.rate.unknownPoint', {}, 404);
		const { likelihood, consequence } = this.settings.scales;
		const max = LEVELS;
		if (!isValidRatingValue(likelihood, input.likelihood)) {
			throw new UserError('error.rate.outOfRange', { scale: { key: 'scale.likelihood' }, max });
		}
		if (!isValidRatingValue(consequence, input.consequence)) {
			throw new UserError('error.rate.outOfRange', { scale: { key: 'scale.consequence' }, max });
		}
	}

	/** Stores a member's answer for the point's current round, replacing an earlier one. */
	applyRating(participantId: string, input: RateInput, at: string): void {
		const round = this.currentRound(input.riskPointId);
		const key = ratingKey(participantId, input.riskPointId, round);
		const tally = this.#tally(input.riskPointId, round);
		const rating = { participantId, riskPointId: input.riskPointId, round, likelihood: input.likelihood, consequence: input.consequence, at };
		const index = this.#ratingIndex.get(key);
		if (index === undefined) {
			this.#ratingIndex.set(key, this.record.ratings.length);
			this.record.ratings.push(rating);
		} else {
			const previous = this.record.ratings[index];
			if (previous) applyToTally(tally, previous, -1);
			this.record.ratings[index] = rating;
		}
		applyToTally(tally, rating, 1);
	}

	/** A member's own answers in the current round of each point. */
	ownRatings(participantId: string): MemberWorkshopView['ratings'] {
		const own: MemberWorkshopView['ratings'] = {};
		for (const point of this.settings.riskPoints) {
			const index = this.#ratingIndex.get(ratingKey(participantId, point.id, this.currentRound(point.id)));
			const rating = index === undefined ? undefined : this.record.ratings[index];
			if (rating) own[point.id] = { likelihood: rating.likelihood, consequence: rating.consequence };
		}
		return own;
	}

	#sharedView(): Omit<MemberWorkshopView, 'ratings'> {
		const { id, title, status, pacing, language, scales, riskPoints, currentRiskPointId } = this.settings;
		return { id, title, status, pacing, language, scales, riskPoints, currentRiskPointId };
	}

	memberView(participantId: string): MemberWorkshopView {
		return { ...this.#sharedView(), ratings: this.ownRatings(participantId) };
	}

	facilitatorView(): FacilitatorWorkshopView {
		const { joinCode, scoring, matrix, createdAt } = this.settings;
		const { updatedAt } = this.settings;
		return { ...this.#sharedView(), joinCode, scoring, matrix, createdAt, updatedAt, hasRatings: this.hasRatings };
	}

	results(): WorkshopResults {
		const { id, title, status, scoring, matrix, riskPoints } = this.settings;
		return buildResults({
			workshop: { id, title, status },
			scoring,
			matrix,
			levelCount: LEVELS,
			riskPoints,
			tallyFor: (riskPointId) => this.#tallies.get(tallyKey(riskPointId, this.currentRound(riskPointId)))
		});
	}

	/** Presence from the set of connected participant ids. */
	presence(connected: ReadonlySet<string>): Presence {
		const names = [...connected]
			.map((id) => this.#participantsById.get(id)?.name ?? '')
			.filter((name) => name !== '')
			.sort((a, b) => a.localeCompare(b, 'nb'));
		return { connected: connected.size, joined: this.record.participants.length, names };
	}
}
