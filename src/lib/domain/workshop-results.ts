import { buildResults, isTooFewToShow, type FlagRule, type PointNotes, type ResultsInput, type WorkshopResults } from './results';
import { LEVELS } from './scales';
import { answerChanged, applyToTally, emptyTally, type PointTally } from './tally';
import type { Rating, RiskMatrix, RiskPoint, Scoring, WorkshopStatus } from './types';

/**
 * What a workshop's results are made from: its settings and every rating. Plain data, so the
 * results can be computed where the workshop is not held (a worker thread building a report).
 */
export interface WorkshopData {
	workshop: { id: string; title: string; status: WorkshopStatus };
	scoring: Scoring;
	matrix: RiskMatrix;
	consensusThreshold: number;
	flagRule: FlagRule;
	minAnswers: number;
	countsOnly: boolean;
	/** anonymous and counts-only workshops: the privacy threshold (MIN_GROUP); 0 in named workshops */
	minGroup: number;
	asksKnowledge: boolean;
	riskPoints: readonly RiskPoint[];
	/** risk point id -> the round being rated now (absent: 1) */
	rounds: Record<string, number>;
	/** risk point id -> rounds shown to the panel */
	revealed: Record<string, number[]>;
	notes: Record<string, PointNotes>;
	ratings: readonly Rating[];
}

export const tallyKey = (riskPointId: string, round: number) => `${riskPointId}\u0000${round}`;

/**
 * Counts one stored rating into the tallies (sign 1) or out of them (-1), with "changed since the
 * round before" (`previous` finds the member's answer there).
 */
export function countRating(tallies: Map<string, PointTally>, rating: Rating, sign: 1 | -1, previous: Rating | undefined): void {
	const key = tallyKey(rating.riskPointId, rating.round);
	let tally = tallies.get(key);
	if (!tally) tallies.set(key, (tally = emptyTally(LEVELS)));
	applyToTally(tally, rating, sign);
	if (previous && answerChanged(previous, rating)) tally.changed += sign;
}

/** Every tally of a workshop, by point and round, from its ratings. */
export function talliesOf(ratings: readonly Rating[]): Map<string, PointTally> {
	const byMember = new Map<string, Rating>();
	const memberKey = (r: Pick<Rating, 'participantId' | 'riskPointId' | 'round'>) => `${r.participantId}\u0000${r.riskPointId}\u0000${r.round}`;
	for (const rating of ratings) byMember.set(memberKey(rating), rating);
	const tallies = new Map<string, PointTally>();
	for (const rating of ratings) {
		const previous = rating.round > 1 ? byMember.get(memberKey({ ...rating, round: rating.round - 1 })) : undefined;
		countRating(tallies, rating, 1, previous);
	}
	return tallies;
}

/** What buildResults needs to know of a workshop, with its tallies from `tallyFor`. */
export function resultsInputOf(
	data: Omit<WorkshopData, 'ratings'>,
	tallyFor: (riskPointId: string, round: number) => PointTally | undefined,
	roundChoice: 'latest' | number = 'latest'
): ResultsInput {
	return {
		workshop: data.workshop,
		scoring: data.scoring,
		matrix: data.matrix,
		levelCount: LEVELS,
		consensusThreshold: data.consensusThreshold,
		flagRule: data.flagRule,
		minAnswers: data.minAnswers,
		asksKnowledge: data.asksKnowledge,
		riskPoints: data.riskPoints,
		roundChoice,
		// counts-only: the facilitator sees how many answered, nothing more, until a round is shown to all
		hideUnshown: data.countsOnly && data.workshop.status !== 'closed',
		// anonymous and counts-only: a small distribution is somebody's answer, whatever the status
		minGroup: data.minGroup,
		tallyFor,
		currentRound: (riskPointId) => data.rounds[riskPointId] ?? 1,
		isRevealed: (riskPointId, round) => data.revealed[riskPointId]?.includes(round) ?? false,
		notes: (riskPointId) => data.notes[riskPointId] ?? { discussion: '', measures: '' }
	};
}

/**
 * The ratings that may be shown or exported one by one: none from a round whose numbers the
 * workshop's privacy hides (counts-only before the round is shown to all or the workshop closes;
 * anonymous and counts-only while fewer than `minGroup` answered it), so that the raw answers,
 * their reasons and the resampling never show what the results hide.
 */
export function shownRatings(data: WorkshopData): Rating[] {
	const hideUnshown = data.countsOnly && data.workshop.status !== 'closed';
	const answers = new Map<string, number>();
	for (const rating of data.ratings) {
		const key = tallyKey(rating.riskPointId, rating.round);
		answers.set(key, (answers.get(key) ?? 0) + 1);
	}
	return data.ratings.filter((rating) => {
		if (isTooFewToShow(answers.get(tallyKey(rating.riskPointId, rating.round)) ?? 0, data.minGroup)) return false;
		return !hideUnshown || (data.revealed[rating.riskPointId]?.includes(rating.round) ?? false);
	});
}

/** A workshop's results from its data alone (the same as the live workshop's results()). */
export function resultsOf(data: WorkshopData, roundChoice: 'latest' | number = 'latest'): WorkshopResults {
	const tallies = talliesOf(data.ratings);
	return buildResults(resultsInputOf(data, (riskPointId, round) => tallies.get(tallyKey(riskPointId, round)), roundChoice));
}
