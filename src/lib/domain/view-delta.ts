/**
 * What changed in a view between two updates, for screens that get many updates a second (the
 * projector): the top-level fields that changed, and for lists of items only the entries that
 * changed. Pure: the server keeps what it last sent as JSON per field and entry (ViewSent), the
 * client merges the delta into the view it has (applyViewDelta).
 */
export interface ViewDelta {
	/** counts the deltas of this feed, for checking that none was missed */
	seq: number;
	/** fields replaced whole */
	set: Record<string, unknown>;
	/** lists that changed: their new length and the entries that changed, by index */
	lists: Record<string, { length: number; changed: [number, unknown][] }>;
}

/** A view as last sent: JSON per field, and per entry for the list fields. */
export interface ViewSent {
	fields: Map<string, string>;
	lists: Map<string, string[]>;
}

/** The JSON of a view, per field (and per entry of the fields named in `listFields`). */
export function viewSent(view: object, listFields: readonly string[]): ViewSent {
	const fields = new Map<string, string>();
	const lists = new Map<string, string[]>();
	for (const [field, value] of Object.entries(view)) {
		if (listFields.includes(field) && Array.isArray(value)) lists.set(field, value.map((entry) => JSON.stringify(entry)));
		else fields.set(field, JSON.stringify(value));
	}
	return { fields, lists };
}

/** The delta from what was sent to `now`, or null when nothing changed. */
export function diffView(before: ViewSent, now: ViewSent, view: object, seq: number): ViewDelta | null {
	const set: Record<string, unknown> = {};
	const lists: ViewDelta['lists'] = {};
	let any = false;
	const values = view as Record<string, unknown>;
	for (const [field, json] of now.fields) {
		if (before.fields.get(field) !== json) {
			set[field] = values[field];
			any = true;
		}
	}
	for (const [field, entries] of now.lists) {
		const old = before.lists.get(field);
		if (!old) {
			set[field] = values[field];
			any = true;
			continue;
		}
		const changed: [number, unknown][] = [];
		entries.forEach((json, index) => {
			if (old[index] !== json) changed.push([index, (values[field] as unknown[])[index]]);
		});
		if (changed.length || old.length !== entries.length) {
			lists[field] = { length: entries.length, changed };
			any = true;
		}
	}
	return any ? { seq, set, lists } : null;
}

/** The view after a delta: fields replaced, list entries replaced, lists cut or grown to their new length. */
export function applyViewDelta<T extends object>(view: T, delta: ViewDelta): T {
	const next = { ...view, ...delta.set } as Record<string, unknown>;
	for (const [field, { length, changed }] of Object.entries(delta.lists)) {
		const list = [...((next[field] as unknown[] | undefined) ?? [])];
		list.length = length;
		for (const [index, entry] of changed) list[index] = entry;
		next[field] = list;
	}
	return next as T;
}
