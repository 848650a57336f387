import type { Knowledge, KnowledgeCounts, RatingValue, TypeAnswer } from './types';

/** One consequence type's answers (a workshop by type): per level, "don't know", "not relevant". */
export interface TypeTally {
	counts: number[];
	abstained: number;
	notRelevant: number;
}

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
	/** a workshop by consequence type: each type's answers, in the workshop's order ([] in other workshops) */
	types: TypeTally[];
}

export interface RatingAnswer {
	likelihood: RatingValue;
	consequence: RatingValue;
	types?: TypeAnswer[];
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
		knowledge: { strong: 0, moderate: 0, weak: 0 },
		types: []
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
	if (answer.types) applyTypes(tally, answer.types, sign);
	if (likelihood !== null && consequence !== null) {
		tally.productSum += sign * likelihood * consequence;
		tally.productCount += sign;
	}
}

function applyTypes(tally: PointTally, types: readonly TypeAnswer[], sign: 1 | -1): void {
	const levelCount = tally.likelihood.length;
	types.forEach((answer, index) => {
		let type = tally.types[index];
		if (!type) tally.types[index] = type = { counts: new Array<number>(levelCount).fill(0), abstained: 0, notRelevant: 0 };
		if (answer === null) type.abstained += sign;
		else if (answer === 'na') type.notRelevant += sign;
		else type.counts[answer - 1] = (type.counts[answer - 1] ?? 0) + sign;
	});
}

/** True when a member's answer moved between two rounds (on any scale, a consequence type included). */
export function answerChanged(previous: RatingAnswer, next: RatingAnswer): boolean {
	if (previous.likelihood !== next.likelihood || previous.consequence !== next.consequence) return true;
	const before = previous.types ?? [];
	const now = next.types ?? [];
	return before.length !== now.length || before.some((answer, index) => answer !== now[index]);
}

/** A tally of a whole list of answers (tests, and rebuilding after a load). */
export function tallyOf(answers: readonly RatingAnswer[], levelCount: number): PointTally {
	const tally = emptyTally(levelCount);
	for (const answer of answers) applyToTally(tally, answer, 1);
	return tally;
}
