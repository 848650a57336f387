import { en } from './en';
import { nb } from './nb';
import { nn } from './nn';
import type { Language } from './languages';
import { fillMessage, type MessageKey, type MessageParams, type Messages } from './messages';

export type { MessageKey, MessageParams, MessageRef, Messages } from './messages';
export { formatNumber, languageNameKey } from './messages';

export const catalogues: Record<Language, Messages> = { nb, nn, en };

/** The message in the language, with {name} placeholders filled (nested refs translated too). */
export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
	return fillMessage(catalogues[language], language, key, params, catalogues.en);
}

/** Picks nb, nn or en from an Accept-Language header; null when none of them is asked for. */
export function languageFromHeader(header: string | null): Language | null {
	if (!header) return null;
	const wanted = header
		.split(',')
		.map((part) => {
			const [tag = '', q] = part.trim().split(';q=');
			return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
		})
		.sort((a, b) => b.q - a.q);
	for (const { tag } of wanted) {
		if (tag.startsWith('nn')) return 'nn';
		if (tag.startsWith('nb') || tag === 'no' || tag.startsWith('no-')) return 'nb';
		if (tag.startsWith('en')) return 'en';
	}
	return null;
}
