import { DEFAULT_CONSENSUS_THRESHOLD } from './consensus';
import { cellOf, levelOfScore, type MatrixCell } from './matrix';
import { rank, rankStatus, type RankStatus } from './ranking';
import { summarizeScale, type ScaleSummary } from './statistics';
import { emptyTally, type PointTally } from './tally';
import { pointUncertainty, typeIsRelevantByCounts, type PointKnowledgeBase, type PointUncertainty } from './dsb-method';
import type { KnowledgeCounts, MatrixLevel, RiskMatrix, RiskPoint, Scoring, WorkshopStatus } from './types';

/** The statistics of one point in one round. */
export interface RoundResult {
	round: number;
	/** members who answered the point at all, "don't know" included */
	responses: number;
	/** members who gave a level on at least one scale */
	n: number;
	/** members who answered "don't know" on both scales */
	abstained: number;
	likelihood: ScaleSummary;
	consequence: ScaleSummary;
	/** 1..25 by the workshop's scoring; null when nobody gave levels on both scales */
	score: number | null;
	cell: MatrixCell | null;
	level: MatrixLevel | null;
	consensus: { likelihood: number | null; consequence: number | null };
	/** flagged for discussion by the workshop's flag rule (see FlagRule) on either scale */
	disagreement: boolean;
	/** the scales that met the flag rule */
	flaggedBy: ('likelihood' | 'consequence')[];
	/** members who answered this round and the one before, and changed their answer; null in round 1 */
	changed: number | null;
	/**
	 * only the number of answers is given, every other number is empty: counts-only workshops until
	 * the round is shown to the panel (or the workshop closes), and anonymous and counts-only
	 * workshops while fewer than `minGroup` have answered (see `tooFewToShow`)
	 */
	hidden: boolean;
	/** hidden because fewer than the workshop's `minGroup` answered (a privacy rule, whatever is revealed) */
	tooFewToShow: boolean;
	/** whether this round's distribution has been shown to the panel */
	revealed: boolean;
	/** the strength of knowledge the answers gave (zero everywhere where the workshop does not ask) */
	knowledge: KnowledgeCounts;
	/**
	 * a workshop by consequence type: each type's answers, in the workshop's order ([] in other
	 * workshops, and where the numbers are hidden). `consequence` is then the members' overall.
	 */
	types: TypeResult[];
}

/**
 * One consequence type's answers to a point in a round (a workshop by DSB's method): what the
 * screens and reports show of a type. Its spread and consensus decide `flagged` here and are not
 * sent: five types in every point's every round doubled the facilitators' traffic.
 */
export interface TypeResult extends Pick<ScaleSummary, 'n' | 'abstained' | 'mean' | 'median' | 'counts'> {
	/** members who answered "not relevant for this event" */
	notRelevant: number;
	/** false when more than half of those who answered said "not relevant" (typeIsRelevant) */
	relevant: boolean;
	/** the type's answers meet the workshop's flag rule: discuss it */
	flagged: boolean;
}

export interface PointNotes {
	discussion: string;
	measures: string;
	/** a workshop by consequence type: the knowledge base the facilitator recorded (absent: none yet) */
	knowledgeBase?: PointKnowledgeBase;
}

/** A point's result: the statistics of the round the results use, and every round. */
export interface RiskPointResult extends RoundResult {
	id: string;
	code: string;
	text: string;
	category: string;
	/** ranked; too few answers (ranked after the others); nobody scored it (all share the last rank) */
	rankStatus: RankStatus;
	rank: number;
	/** the round being rated now (the results may use an earlier one, see `round`) */
	currentRound: number;
	rounds: RoundResult[];
	notes: PointNotes;
	/** a workshop by consequence type: the uncertainty of the knowledge base per type and overall (null otherwise) */
	uncertainty: PointUncertainty | null;
}

/**
 * When a point is flagged for discussion (docs/method.md, "Disagreement"), on either scale:
 * - consensus-and-iqr (the default): consensus below the threshold and an IQR of 2 or more, so the
 *   middle half of the answers spans three levels or more;
 * - consensus: consensus below the threshold;
 * - iqr-or-consensus: IQR above 1 or consensus below the threshold (the first rule, which flagged
 *   a third to a half of the points in realistic data).
 */
export const FLAG_RULES = ['consensus-and-iqr', 'consensus', 'iqr-or-consensus'] as const;
export type FlagRule = (typeof FLAG_RULES)[number];
export const DEFAULT_FLAG_RULE: FlagRule = 'consensus-and-iqr';

/** Points with fewer substantive answers than this are marked "too few answers" and ranked after the others. */
export const DEFAULT_MIN_ANSWERS = 3;

export interface WorkshopResults {
	workshop: { id: string; title: string; status: WorkshopStatus };
	scoring: Scoring;
	flagRule: FlagRule;
	minAnswers: number;
	/** which round each point's numbers come from: its latest round with answers, or a chosen one */
	roundChoice: 'latest' | number;
	consensusThreshold: number;
	/** the workshop asks how strong the knowledge behind each answer is */
	asksKnowledge: boolean;
	/** anonymous and counts-only workshops: a round shows its numbers only from this many answers (0: named, always) */
	minGroup: number;
	riskPoints: RiskPointResult[];
}

export interface ResultsInput {
	workshop: { id: string; title: string; status: WorkshopStatus };
	scoring: Scoring;
	matrix: RiskMatrix;
	levelCount: number;
	/** default DEFAULT_CONSENSUS_THRESHOLD */
	consensusThreshold?: number;
	riskPoints: readonly RiskPoint[];
	/** a point's tally in a round; undefined when nobody has rated it then */
	tallyFor: (riskPointId: string, round: number) => PointTally | undefined;
	/** default: every point in round 1 */
	currentRound?: (riskPointId: string) => number;
	/** default: nothing revealed */
	isRevealed?: (riskPointId: string, round: number) => boolean;
	/** default: no notes */
	notes?: (riskPointId: string) => PointNotes;
	/** default 'latest' */
	roundChoice?: 'latest' | number;
	/** counts-only: rounds not shown to the panel give their number of answers and nothing else */
	hideUnshown?: boolean;
	/** anonymous and counts-only: rounds with answers from fewer than this many give their number and nothing else (default 0) */
	minGroup?: number;
	/** default DEFAULT_FLAG_RULE */
	flagRule?: FlagRule;
	/** default DEFAULT_MIN_ANSWERS */
	minAnswers?: number;
	/** default false */
	asksKnowledge?: boolean;
}

/** The score of a point under a scoring rule, or null when it cannot be scored yet. */
export function scoreOf(
	scoring: Scoring,
	likelihood: ScaleSummary,
	consequence: ScaleSummary,
	tally: PointTally
): number | null {
	switch (scoring) {
		case 'product-of-means':
			return likelihood.mean === null || consequence.mean === null ? null : likelihood.mean * consequence.mean;
		case 'product-of-medians':
			return likelihood.median === null || consequence.median === null
				? null
				: likelihood.median * consequence.median;
		case 'mean-of-products':
			return tally.productCount === 0 ? null : tally.productSum / tally.productCount;
	}
}

/** Whether one scale's answers meet a flag rule. */
export function meetsFlagRule(scale: ScaleSummary, rule: FlagRule, consensusThreshold: number): boolean {
	const low = scale.consensus !== null && scale.consensus < consensusThreshold;
	const iqr = scale.iqr ?? 0;
	switch (rule) {
		case 'consensus-and-iqr':
			return low && iqr >= 2;
		case 'consensus':
			return low;
		case 'iqr-or-consensus':
			return iqr > 1 || low;
	}
}

/** The scales that meet the flag rule (none: not flagged). */
export function flaggedScales(
	likelihood: ScaleSummary,
	consequence: ScaleSummary,
	consensusThreshold: number,
	rule: FlagRule = DEFAULT_FLAG_RULE
): ('likelihood' | 'consequence')[] {
	const flagged: ('likelihood' | 'consequence')[] = [];
	if (meetsFlagRule(likelihood, rule, consensusThreshold)) flagged.push('likelihood');
	if (meetsFlagRule(consequence, rule, consensusThreshold)) flagged.push('consequence');
	return flagged;
}

/** A round with some answers, but fewer than the privacy threshold: its numbers would be somebody's answer. */
export const isTooFewToShow = (responses: number, minGroup: number) => responses > 0 && responses < minGroup;

/** Statistics, score, matrix cell and disagreement of one point in one round. */
export function summarizeRound(
	round: number,
	tally: PointTally,
	options: { scoring: Scoring; matrix: RiskMatrix; consensusThreshold: number; revealed: boolean; hidden?: boolean; flagRule?: FlagRule; minGroup?: number }
): RoundResult {
	const tooFewToShow = isTooFewToShow(tally.responses, options.minGroup ?? 0);
	if (options.hidden || tooFewToShow) {
		const opaque = summarizeRound(round, emptyTally(tally.likelihood.length), { ...options, hidden: false, minGroup: 0 });
		return { ...opaque, responses: tally.responses, hidden: true, tooFewToShow };
	}
	const likelihood = summarizeScale(tally.likelihood, tally.likelihoodAbstained);
	const consequence = summarizeScale(tally.consequence, tally.consequenceAbstained);
	const cell = cellOf(likelihood.mean, consequence.mean);
	const score = scoreOf(options.scoring, likelihood, consequence, tally);
	const flaggedBy = flaggedScales(likelihood, consequence, options.consensusThreshold, options.flagRule);
	const types = tally.types.map((type): TypeResult => {
		const summary = summarizeScale(type.counts, type.abstained);
		return {
			n: summary.n,
			abstained: summary.abstained,
			mean: summary.mean,
			median: summary.median,
			counts: summary.counts,
			notRelevant: type.notRelevant,
			relevant: typeIsRelevantByCounts(summary.n, type.notRelevant),
			flagged: meetsFlagRule(summary, options.flagRule ?? DEFAULT_FLAG_RULE, options.consensusThreshold)
		};
	});
	return {
		round,
		responses: tally.responses,
		n: tally.responses - tally.bothAbstained,
		abstained: tally.bothAbstained,
		likelihood,
		consequence,
		score,
		cell,
		level: levelOfScore(options.matrix, score),
		consensus: { likelihood: likelihood.consensus, consequence: consequence.consensus },
		// a type the panel split on is worth discussing as much as a split overall
		disagreement: flaggedBy.length > 0 || types.some((type) => type.flagged && type.relevant),
		flaggedBy,
		changed: round > 1 ? tally.changed : null,
		hidden: false,
		tooFewToShow: false,
		revealed: options.revealed,
		knowledge: { strong: tally.knowledge.strong, moderate: tally.knowledge.moderate, weak: tally.knowledge.weak },
		types
	};
}

/** The round whose numbers stand for the point: the chosen one, else the latest with answers. */
function chosenRound(rounds: RoundResult[], choice: 'latest' | number): RoundResult {
	if (choice !== 'latest') return rounds[choice - 1] ?? rounds[rounds.length - 1]!;
	for (let i = rounds.length - 1; i > 0; i--) if (rounds[i]!.responses > 0) return rounds[i]!;
	return rounds[0]!;
}

/** One point's result with every round, unranked (rank 0, its last property). */
export function buildPointResult(riskPoint: RiskPoint, input: ResultsInput): RiskPointResult {
	const roundChoice = input.roundChoice ?? 'latest';
	const consensusThreshold = input.consensusThreshold ?? DEFAULT_CONSENSUS_THRESHOLD;
	const currentRound = input.currentRound?.(riskPoint.id) ?? 1;
	const rounds = Array.from({ length: currentRound }, (_, i) => {
		const revealed = input.isRevealed?.(riskPoint.id, i + 1) ?? false;
		return summarizeRound(i + 1, input.tallyFor(riskPoint.id, i + 1) ?? emptyTally(input.levelCount), {
			scoring: input.scoring,
			matrix: input.matrix,
			consensusThreshold,
			revealed,
			hidden: (input.hideUnshown ?? false) && !revealed,
			flagRule: input.flagRule,
			minGroup: input.minGroup
		});
	});
	const { id, code, text, category } = riskPoint;
	const shown = chosenRound(rounds, roundChoice);
	const notes = input.notes?.(riskPoint.id) ?? { discussion: '', measures: '' };
	// every property written out (no object spread): one object shape for all points, which
	// keeps results cheap to build many times a second
	return {
		id,
		code,
		text,
		category,
		rankStatus: rankStatus(shown.score, shown.n >= (input.minAnswers ?? DEFAULT_MIN_ANSWERS)),
		round: shown.round,
		responses: shown.responses,
		n: shown.n,
		abstained: shown.abstained,
		likelihood: shown.likelihood,
		consequence: shown.consequence,
		score: shown.score,
		cell: shown.cell,
		level: shown.level,
		consensus: shown.consensus,
		disagreement: shown.disagreement,
		flaggedBy: shown.flaggedBy,
		changed: shown.changed,
		hidden: shown.hidden,
		tooFewToShow: shown.tooFewToShow,
		revealed: shown.revealed,
		knowledge: shown.knowledge,
		types: shown.types,
		currentRound,
		rounds,
		notes,
		uncertainty: shown.types.length > 0 ? pointUncertainty(shown.types, notes.knowledgeBase) : null,
		rank: 0
	};
}

/** The points in rank order, highest risk first, unrated points last, with the rank of each. */
export function rankPoints<T extends { point: RiskPointResult }>(items: readonly T[]): { item: T; rank: number }[] {
	return rank(
		items.map((item) => ({
			item,
			score: item.point.score,
			consequenceMean: item.point.consequence.mean,
			n: item.point.n,
			enough: item.point.rankStatus !== 'tooFewAnswers'
		}))
	).map(({ item, rank: position }) => ({ item: item.item, rank: position }));
}

/** The ranked results of a workshop: every point, highest risk first, unrated points last. */
export function buildResults(input: ResultsInput): WorkshopResults {
	const roundChoice = input.roundChoice ?? 'latest';
	const consensusThreshold = input.consensusThreshold ?? DEFAULT_CONSENSUS_THRESHOLD;
	const ranked = rankPoints(input.riskPoints.map((riskPoint) => ({ point: buildPointResult(riskPoint, input) })));
	for (const { item, rank: position } of ranked) item.point.rank = position;
	return {
		workshop: input.workshop,
		scoring: input.scoring,
		flagRule: input.flagRule ?? DEFAULT_FLAG_RULE,
		minAnswers: input.minAnswers ?? DEFAULT_MIN_ANSWERS,
		roundChoice,
		consensusThreshold,
		asksKnowledge: input.asksKnowledge ?? false,
		minGroup: input.minGroup ?? 0,
		riskPoints: ranked.map(({ item }) => item.point)
	};
}
