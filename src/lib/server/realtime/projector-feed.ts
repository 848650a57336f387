import { diffView, viewSent, type ViewDelta, type ViewSent } from '../../domain/view-delta';
import type { ProjectorView } from '../../protocol';

/** The projector view's lists whose entries change one at a time (a rating moves one point's count). */
const LIST_FIELDS = ['points', 'matrixPoints'] as const;

/**
 * The projector view of one workshop as its screens have been sent it. Updates are deltas
 * (domain/view-delta.ts): during a burst of ratings a point's count and the totals, not the whole
 * view. A screen that connects gets the state last sent, whole, so the deltas that follow fit it.
 */
export class ProjectorFeed {
	#seq = 0;
	#sent: { view: ProjectorView; json: ViewSent } | null = null;

	/** The view last sent (taken now if nothing was sent yet). */
	snapshot(view: () => ProjectorView): ProjectorView {
		if (!this.#sent) this.#take(view());
		return this.#sent!.view;
	}

	/** The delta from the view last sent to `view`, or null when nothing changed. */
	update(view: ProjectorView): ViewDelta | null {
		if (!this.#sent) {
			this.#take(view);
			return { seq: this.#seq, set: { ...view }, lists: {} };
		}
		const json = viewSent(view, LIST_FIELDS);
		const delta = diffView(this.#sent.json, json, view, this.#seq + 1);
		if (!delta) return null;
		this.#seq++;
		this.#sent = { view, json };
		return delta;
	}

	#take(view: ProjectorView): void {
		this.#sent = { view, json: viewSent(view, LIST_FIELDS) };
	}
}
