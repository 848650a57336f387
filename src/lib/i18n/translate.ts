import { en } from './en';
import { nb } from './nb';
import { nn } from './nn';
import type { Language } from '../domain/types';
import { roundTo } from '../domain/precision';

export type MessageKey = keyof typeof nb;
export type Messages = Record<MessageKey, string>;

/** A message and its parameters, kept untranslated until we know the reader's language. */
export interface MessageRef {
	key: MessageKey;
	params?: MessageParams;
}
export type MessageParams = Record<string, string | number | MessageRef>;

export const catalogues: Record<Language, Messages> = { nb, nn, en };

function isRef(value: unknown): value is MessageRef {
	return typeof value === 'object' && value !== null && 'key' in value;
}

/** The message in the language, with {name} placeholders filled (nested refs translated too). */
export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
	const template = catalogues[language][key] ?? catalogues.en[key] ?? key;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
		const value = params[name];
		if (value === undefined) return whole;
		if (isRef(value)) return translate(language, value.key, value.params);
		return typeof value === 'number' ? formatNumber(language, value) : value;
	});
}

/** Numbers as readers of the language write them: decimal comma in nb and nn. */
export function formatNumber(language: Language, value: number, digits?: number): string {
	const locale = language === 'en' ? 'en-GB' : 'nb-NO';
	// the one rounding rule (domain/precision.ts) first, so every output prints the same digits
	return roundTo(value, digits ?? 2).toLocaleString(locale, {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits ?? 2,
		useGrouping: false
	});
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

/** The catalogue key of a language's name ("Bokmål"). */
export function languageNameKey(language: Language): MessageKey {
	return `language.${language}` as const;
}
