import type { LiveWorkshop } from '../workshops/live-workshop';

/**
 * The live results of one workshop as its facilitators have been sent them. An update during a
 * burst of ratings is a delta (ResultsDelta): the points whose result changed since the last one,
 * and the order and ranks when the ranking moved; a facilitator who connects gets the last state
 * sent whole, so the deltas that follow apply to it exactly.
 */
export class ResultsFeed {
	#seq = 0;
	#versions = new Map<string, number>();
	#order = '';
	#ranks = '';
	#head = '';
	#snapshot: string | null = null;

	/** The state last sent, whole (made now if nothing was sent yet). */
	snapshot(workshop: LiveWorkshop): string {
		if (this.#snapshot === null) this.#take(workshop);
		return this.#snapshot!;
	}

	/** Starts again from the current state: its JSON, whole (after a change of the workshop itself). */
	reset(workshop: LiveWorkshop): string {
		this.#take(workshop);
		return this.#snapshot!;
	}

	/**
	 * What to send to bring the facilitators from the state last sent to the current one: a delta,
	 * the whole results when the workshop itself changed (title, status, scoring), or nothing.
	 */
	update(workshop: LiveWorkshop): { event: 'results' | 'resultsDelta'; json: string } | null {
		if (this.#snapshot === null) return { event: 'results', json: this.reset(workshop) };
		const { head, points } = workshop.resultsParts();
		if (head !== this.#head) return { event: 'results', json: this.reset(workshop) };
		const changed: string[] = [];
		for (const point of points) {
			if (this.#versions.get(point.id) !== point.version) {
				changed.push(point.json);
				this.#versions.set(point.id, point.version);
			}
		}
		const order = points.map((point) => point.id).join(',');
		const ranks = points.map((point) => point.rank).join(',');
		const ranking = order !== this.#order || ranks !== this.#ranks;
		if (changed.length === 0 && !ranking) return null;
		this.#order = order;
		this.#ranks = ranks;
		this.#snapshot = `${head},"riskPoints":[${points.map((point) => point.json).join(',')}]}`;
		const rankingJson = ranking ? `,"order":${JSON.stringify(points.map((point) => point.id))},"ranks":[${ranks}]` : '';
		return { event: 'resultsDelta', json: `{"seq":${++this.#seq},"points":[${changed.join(',')}]${rankingJson}}` };
	}

	#take(workshop: LiveWorkshop): void {
		const { head, points } = workshop.resultsParts();
		this.#head = head;
		this.#versions = new Map(points.map((point) => [point.id, point.version]));
		this.#order = points.map((point) => point.id).join(',');
		this.#ranks = points.map((point) => point.rank).join(',');
		this.#snapshot = `${head},"riskPoints":[${points.map((point) => point.json).join(',')}]}`;
		this.#seq++;
	}
}
