/**
 * The results as the facilitators' live updates send them, and how their page makes them whole
 * again: each point with the round its numbers come from sent once, and deltas of what changed.
 * Built by the server (server/workshops/live-results.ts, server/realtime/results-feed.ts), read by
 * the facilitator's page (client/facilitator-session.svelte.ts).
 */
import type { RiskPointResult, RoundResult, WorkshopResults } from './results';

/**
 * A point's result as the live updates send it: the round its numbers come from is null in
 * `rounds`, as the point's own properties already say it. Sent whole, that round's figures came
 * twice, and a point's JSON, which the facilitators' updates encode for every point rated, was
 * half as long again. `receivedPoint` makes the result again.
 */
export type SentPointResult = Omit<RiskPointResult, 'rounds'> & { rounds: (RoundResult | null)[] };

/** The results as the live updates send them whole: each point as SentPointResult. */
export type SentResults = Omit<WorkshopResults, 'riskPoints'> & { riskPoints: SentPointResult[] };

/** The round a point's numbers come from, as its own properties say it. */
function shownRound(point: SentPointResult | RiskPointResult): RoundResult {
	return {
		round: point.round,
		responses: point.responses,
		n: point.n,
		abstained: point.abstained,
		likelihood: point.likelihood,
		consequence: point.consequence,
		score: point.score,
		cell: point.cell,
		level: point.level,
		consensus: point.consensus,
		disagreement: point.disagreement,
		flaggedBy: point.flaggedBy,
		changed: point.changed,
		hidden: point.hidden,
		tooFewToShow: point.tooFewToShow,
		revealed: point.revealed,
		knowledge: point.knowledge,
		types: point.types
	};
}

/** A point's result as the live updates send it (rank, the last property, stays last). */
export function sentPoint(point: RiskPointResult): SentPointResult {
	return { ...point, rounds: point.rounds.map((round) => (round.round === point.round ? null : round)) };
}

/** A point's result from what the live updates sent. */
export function receivedPoint(point: SentPointResult): RiskPointResult {
	return { ...point, rounds: point.rounds.map((round) => round ?? shownRound(point)) };
}

/** The results from what the live updates sent whole. */
export function receivedResults(results: SentResults): WorkshopResults {
	return { ...results, riskPoints: results.riskPoints.map(receivedPoint) };
}

/**
 * A compact update of a workshop's results: the points whose result changed since the update
 * before (each whole, as SentPointResult), and when the ranking moved, every point's id in rank
 * order with its rank.
 */
export interface ResultsDelta {
	/** counts the updates of this workshop's results, for checking that none was missed */
	seq: number;
	points: SentPointResult[];
	order?: string[];
	ranks?: number[];
}

/** The results after a delta: changed points replaced, the order and ranks taken when given. */
export function applyResultsDelta(results: WorkshopResults, delta: ResultsDelta): WorkshopResults {
	const byId = new Map(results.riskPoints.map((point) => [point.id, point]));
	for (const point of delta.points) byId.set(point.id, receivedPoint(point));
	const order = delta.order ?? results.riskPoints.map((point) => point.id);
	const riskPoints = order.flatMap((id, index) => {
		const point = byId.get(id);
		if (!point) return [];
		const rank = delta.ranks?.[index];
		return [rank === undefined || rank === point.rank ? point : { ...point, rank }];
	});
	return { ...results, riskPoints };
}
