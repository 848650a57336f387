import type { Language } from './languages';
import type { Messages } from './messages';
import { catalogues } from './translate';

/**
 * The part of a language's catalogue a page needs. A member's pages (joining and rating, on a
 * phone on a slow line) get only the words they use: the whole catalogue is 826 messages, about
 * 20 KB on the wire in every page, where the member's part is a quarter of that (5 of 16 KB brotli). Every other page
 * gets the whole catalogue. tests/unit/page-catalogue.test.ts reads every file of the member's
 * pages and checks that each message they use is in their part.
 */
export const MEMBER_ROUTES: ReadonlySet<string> = new Set(['/join', '/join/[code]']);
export const MEMBER_PREFIXES: readonly string[] = ['nav', 'language', 'common', 'join', 'member', 'rate', 'scale', 'dist', 'knowledge', 'comment', 'timer', 'privacy', 'error', 'point', 'matrix', 'field', 'types'];

const parts = new Map<Language, Messages>();

export function catalogueFor(language: Language, routeId: string | null): Messages {
	if (!routeId || !MEMBER_ROUTES.has(routeId)) return catalogues[language];
	let part = parts.get(language);
	if (!part) {
		part = Object.fromEntries(Object.entries(catalogues[language]).filter(([key]) => MEMBER_PREFIXES.includes(key.slice(0, key.indexOf('.'))))) as Messages;
		parts.set(language, part);
	}
	return part;
}
