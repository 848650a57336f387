import type { Presence } from '../../protocol';
import type { LiveWorkshop } from '../workshops/live-workshop';

/** The results as sent: the head and each point's JSON up to its rank, with the ranks (copied: resultsParts reuses its arrays). */
interface Sent {
	head: string;
	points: { id: string; jsonBeforeRank: string }[];
	ranks: number[];
}

const whole = ({ head, points, ranks }: Sent) => `${head},"riskPoints":[${points.map((point, i) => `${point.jsonBeforeRank}${ranks[i]}}`).join(',')}]}`;

/**
 * The live results of one workshop as its facilitators have been sent them. An update during a
 * burst of ratings is a delta (ResultsDelta): the points whose result changed since the last one,
 * and the order and ranks when the ranking moved; a facilitator who connects gets the last state
 * sent whole (made only then), so the deltas that follow apply to it exactly. Nothing is encoded
 * for a point that did not change.
 */
export class ResultsFeed {
	#seq = 0;
	#sent: Sent | null = null;
	#versions = new Map<string, number>();

	/** The state last sent, whole (taken now if nothing was sent yet). */
	snapshot(workshop: LiveWorkshop): string {
		if (this.#sent === null) return this.reset(workshop);
		return whole(this.#sent);
	}

	/** Starts again from the current state: its JSON, whole (after a change of the workshop itself). */
	reset(workshop: LiveWorkshop): string {
		this.#take(workshop.resultsParts());
		return whole(this.#sent!);
	}

	/**
	 * What to send to bring the facilitators from the state last sent to the current one: a delta,
	 * the whole results when the workshop itself changed (title, status, scoring), or nothing.
	 * `presence`, when given, goes in the delta (ResultsDelta's `presence`); the caller sends it on
	 * its own when the answer is not a delta.
	 */
	update(workshop: LiveWorkshop, presence: Presence | null = null): { event: 'results' | 'resultsDelta'; json: string } | null {
		if (this.#sent === null) return { event: 'results', json: this.reset(workshop) };
		const { head, points, ranks } = workshop.resultsParts();
		if (head !== this.#sent.head) return { event: 'results', json: this.reset(workshop) };
		const before = this.#sent;
		let changed = '';
		let ranking = before.points.length !== points.length;
		for (let index = 0; index < points.length; index++) {
			const point = points[index]!;
			if (this.#versions.get(point.id) !== point.version) {
				changed += `${changed ? ',' : ''}${point.jsonBeforeRank}${ranks[index]}}`;
				this.#versions.set(point.id, point.version);
			}
			if (!ranking && (before.points[index]!.id !== point.id || before.ranks[index] !== ranks[index])) ranking = true;
		}
		if (changed === '' && !ranking) return null;
		this.#sent = { head, points: [...points], ranks: [...ranks] };
		const rankingJson = ranking ? `,"order":${JSON.stringify(points.map((point) => point.id))},"ranks":[${ranks.join(',')}]` : '';
		const presenceJson = presence ? `,"presence":${JSON.stringify(presence)}` : '';
		return { event: 'resultsDelta', json: `{"seq":${++this.#seq},"points":[${changed}]${rankingJson}${presenceJson}}` };
	}

	#take({ head, points, ranks }: ReturnType<LiveWorkshop['resultsParts']>): void {
		this.#sent = { head, points: [...points], ranks: [...ranks] };
		this.#versions = new Map(points.map((point) => [point.id, point.version]));
		this.#seq++;
	}
}
