import { cellOf, levelOf, type MatrixCell } from './matrix';
import { rank } from './ranking';
import { summarizeScale, type ScaleSummary } from './statistics';
import { emptyTally, type PointTally } from './tally';
import type { MatrixLevel, RiskMatrix, RiskPoint, Scoring, WorkshopStatus } from './types';

export interface RiskPointResult {
	id: string;
	code: string;
	text: string;
	category: string;
	rank: number;
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
	/** IQR > 1 on either scale: worth discussing */
	disagreement: boolean;
}

export interface WorkshopResults {
	workshop: { id: string; title: string; status: WorkshopStatus };
	scoring: Scoring;
	riskPoints: RiskPointResult[];
}

export interface ResultsInput {
	workshop: { id: string; title: string; status: WorkshopStatus };
	scoring: Scoring;
	matrix: RiskMatrix;
	levelCount: number;
	riskPoints: readonly RiskPoint[];
	/** the tally of a point's current round; undefined when nobody has rated it */
	tallyFor: (riskPointId: string) => PointTally | undefined;
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

/** Statistics, score, matrix cell and disagreement flag of one point (rank filled in later). */
export function summarizePoint(
	riskPoint: RiskPoint,
	tally: PointTally,
	scoring: Scoring,
	matrix: RiskMatrix
): Omit<RiskPointResult, 'rank'> {
	const likelihood = summarizeScale(tally.likelihood, tally.likelihoodAbstained);
	const consequence = summarizeScale(tally.consequence, tally.consequenceAbstained);
	const cell = cellOf(likelihood.mean, consequence.mean);
	return {
		id: riskPoint.id,
		code: riskPoint.code,
		text: riskPoint.text,
		category: riskPoint.category,
		responses: tally.responses,
		n: tally.responses - tally.bothAbstained,
		abstained: tally.bothAbstained,
		likelihood,
		consequence,
		score: scoreOf(scoring, likelihood, consequence, tally),
		cell,
		level: levelOf(matrix, cell),
		disagreement: (likelihood.iqr ?? 0) > 1 || (consequence.iqr ?? 0) > 1
	};
}

/** The ranked results of a workshop: every point, highest risk first, unrated points last. */
export function buildResults(input: ResultsInput): WorkshopResults {
	const summaries = input.riskPoints.map((riskPoint) =>
		summarizePoint(
			riskPoint,
			input.tallyFor(riskPoint.id) ?? emptyTally(input.levelCount),
			input.scoring,
			input.matrix
		)
	);
	const ranked = rank(summaries.map((summary) => ({ ...summary, consequenceMean: summary.consequence.mean })));
	return {
		workshop: input.workshop,
		scoring: input.scoring,
		riskPoints: ranked.map(({ item: { consequenceMean: _, ...summary }, rank: position }) => ({
			...summary,
			rank: position
		}))
	};
}
