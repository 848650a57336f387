import type { Knowledge, KnowledgeCounts, RatingValue } from './types';

/**
 * Running totals of one risk point in one round. Adding or replacing a rating touches only
 * these numbers, so results after a change cost O(points x levels), not O(ratings).
 */
export interface PointTally {
	likelihood: number[];
	consequence: number[];
	likelihoodAbstained: number;
	consequenceAbstained: number;
	/** members who answered the point at all */
	responses: number;
	/** members who answered "don't know" on both scales */
	bothAbstained: number;
	/** sum and count of L x C over members who gave both, for mean-of-products scoring */
	productSum: number;
	productCount: number;
	/** members whose answer differs from their answer in the previous round (rounds 2 and later) */
	changed: number;
	/** answers that gave each strength of knowledge (the workshop's third question, where asked) */
	knowledge: KnowledgeCounts;
}

export interface RatingAnswer {
	likelihood: RatingValue;
	consequence: RatingValue;
	knowledge?: Knowledge | null;
}

export function emptyTally(levelCount: number): PointTally {
	return {
		likelihood: new Array<number>(levelCount).fill(0),
		consequence: new Array<number>(levelCount).fill(0),
		likelihoodAbstained: 0,
		consequenceAbstained: 0,
		responses: 0,
		bothAbstained: 0,
		productSum: 0,
		productCount: 0,
		changed: 0,
		knowledge: { strong: 0, moderate: 0, weak: 0 }
	};
}

/** Adds (sign 1) or removes (sign -1) one member's answer. */
export function applyToTally(tally: PointTally, answer: RatingAnswer, sign: 1 | -1): void {
	const { likelihood, consequence } = answer;
	tally.responses += sign;
	if (likelihood === null) tally.likelihoodAbstained += sign;
	else tally.likelihood[likelihood - 1] = (tally.likelihood[likelihood - 1] ?? 0) + sign;
	if (consequence === null) tally.consequenceAbstained += sign;
	else tally.consequence[consequence - 1] = (tally.consequence[consequence - 1] ?? 0) + sign;
	if (likelihood === null && consequence === null) tally.bothAbstained += sign;
	if (answer.knowledge) tally.knowledge[answer.knowledge] += sign;
	if (likelihood !== null && consequence !== null) {
		tally.productSum += sign * likelihood * consequence;
		tally.productCount += sign;
	}
}

/** True when a member's answer moved between two rounds. */
export function answerChanged(previous: RatingAnswer, next: RatingAnswer): boolean {
	return previous.likelihood !== next.likelihood || previous.consequence !== next.consequence;
}

/** A tally of a whole list of answers (tests, and rebuilding after a load). */
export function tallyOf(answers: readonly RatingAnswer[], levelCount: number): PointTally {
	const tally = emptyTally(levelCount);
	for (const answer of answers) applyToTally(tally, answer, 1);
	return tally;
}
