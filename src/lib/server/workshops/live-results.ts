/**
 * A workshop's results as the live updates send them: each point's JSON kept until a rating of it
 * or a change of settings, so that an update during a burst of ratings encodes only the points
 * that changed (the rest is string joining). Used by LiveWorkshop.
 */
import { DEFAULT_CONSENSUS_THRESHOLD } from '../../domain/consensus';
import { buildPointResult, DEFAULT_FLAG_RULE, DEFAULT_MIN_ANSWERS, type ResultsInput, type RiskPointResult } from '../../domain/results';
import { sentPoint } from '../../domain/results-delta';
import { comparePointResults } from '../../domain/ranking';

/** A point's result as kept for the live updates: its JSON up to the rank, and what it was made from. */
export interface PointEntry {
	id: string;
	/** its place in the list (ties in the ranking keep list order) */
	index: number;
	version: number;
	point: RiskPointResult;
	jsonBeforeRank: string;
}

/** The head (up to before the points, no closing brace), each point's entry in rank order, and its rank. */
export interface ResultsParts {
	head: string;
	points: readonly PointEntry[];
	ranks: readonly number[];
}

/** The ranking's order (domain/ranking.ts), ties by list order. */
const byRankOnly = (a: PointEntry, b: PointEntry) => comparePointResults(a.point, b.point);
const byRank = (a: PointEntry, b: PointEntry) => byRankOnly(a, b) || a.index - b.index;

export class LiveResults {
	readonly #points = new Map<string, PointEntry>();
	/** parts()'s arrays, reused: read them before the next call */
	readonly #order: PointEntry[] = [];
	readonly #ranks: number[] = [];
	#head: { settingsVersion: number; json: string } | null = null;

	/**
	 * An entry holds the point's JSON up to the rank (kept between changes: nothing is encoded for
	 * a point that did not change) and a version that changes whenever the point's result does (its
	 * ratings, `pointVersions`, or the settings, `settingsVersion`). Called many times a second
	 * during a burst of ratings, so it makes no objects per point: the entries are kept, and sorted
	 * in an array kept too.
	 */
	parts(input: ResultsInput, settingsVersion: number, pointVersions: ReadonlyMap<string, number>): ResultsParts {
		const riskPoints = input.riskPoints;
		const order = this.#order;
		order.length = 0;
		for (let index = 0; index < riskPoints.length; index++) {
			const riskPoint = riskPoints[index]!;
			// settings changes count in millions: a number, not a string, per point and update
			const version = settingsVersion * 1_000_000 + (pointVersions.get(riskPoint.id) ?? 0);
			let entry = this.#points.get(riskPoint.id);
			if (entry?.version !== version) {
				const point = buildPointResult(riskPoint, input);
				// as the updates send it: the shown round once, not again in `rounds`
				const json = JSON.stringify(sentPoint(point));
				// rank is the last property, 0 until ranked: keep the JSON up to its value
				if (!json.endsWith('"rank":0}')) throw new Error('a point result must end with its rank');
				entry = { id: riskPoint.id, index, version, point, jsonBeforeRank: json.slice(0, -2) };
				this.#points.set(riskPoint.id, entry);
			}
			entry.index = index;
			order.push(entry);
		}
		order.sort(byRank);
		const ranks = this.#ranks;
		ranks.length = order.length;
		for (let i = 0; i < order.length; i++) {
			ranks[i] = i > 0 && byRankOnly(order[i - 1]!, order[i]!) === 0 ? ranks[i - 1]! : i + 1;
		}
		if (this.#head?.settingsVersion !== settingsVersion) {
			const head = JSON.stringify({
				workshop: input.workshop,
				scoring: input.scoring,
				flagRule: input.flagRule ?? DEFAULT_FLAG_RULE,
				minAnswers: input.minAnswers ?? DEFAULT_MIN_ANSWERS,
				roundChoice: 'latest',
				consensusThreshold: input.consensusThreshold ?? DEFAULT_CONSENSUS_THRESHOLD,
				asksKnowledge: input.asksKnowledge ?? false,
				minGroup: input.minGroup ?? 0
			}).slice(0, -1);
			this.#head = { settingsVersion, json: head };
		}
		return { head: this.#head.json, points: order, ranks };
	}
}
