/**
 * Ids are made by the server (base64url) and used as keys of stored lookups; text from outside
 * that is to be used as an id must look like one, and never be a name Object.prototype has
 * (`__proto__`, `constructor`, `toString`…), which would reach the prototype of a plain object.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** True when the text can be used as an id (and so as a key). */
export function isUsableId(id: string): boolean {
	return ID_PATTERN.test(id) && !PROTOTYPE_NAMES.has(id);
}

/** A lookup object without a prototype: no key reaches Object.prototype, whatever its name. */
export function dictionary<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
	const lookup = Object.create(null) as Record<string, T>;
	for (const [key, value] of entries) lookup[key] = value;
	return lookup;
}

/** A copy of a plain object as a lookup without a prototype. */
export const asDictionary = <T>(object: Record<string, T>): Record<string, T> => dictionary(Object.entries(object));
