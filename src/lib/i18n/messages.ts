/**
 * Messages without the catalogues: the types, filling a message's {placeholders}, numbers as each
 * language writes them. The pages translate with the one catalogue the server sends them (the
 * root layout's data), so a member's phone does not download the other two languages; the
 * server and the facilitator's exports translate with all three (translate.ts).
 */
import type { Language } from './languages';
import { roundTo } from './precision';
import type { nb } from './nb';

export type MessageKey = keyof typeof nb;
export type Messages = Record<MessageKey, string>;

/** A message and its parameters, kept untranslated until we know the reader's language. */
export interface MessageRef {
	key: MessageKey;
	params?: MessageParams;
}
export type MessageParams = Record<string, string | number | MessageRef>;

function isRef(value: unknown): value is MessageRef {
	return typeof value === 'object' && value !== null && 'key' in value;
}

/** The message from the catalogue (else the fallback's, else the key), with {name} placeholders filled (nested refs too). */
export function fillMessage(messages: Messages, language: Language, key: MessageKey, params: MessageParams = {}, fallback?: Messages): string {
	const template = messages[key] ?? fallback?.[key] ?? key;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
		const value = params[name];
		if (value === undefined) return whole;
		if (isRef(value)) return fillMessage(messages, language, value.key, value.params, fallback);
		return typeof value === 'number' ? formatNumber(language, value) : value;
	});
}

/** Numbers as readers of the language write them: decimal comma in nb and nn. */
export function formatNumber(language: Language, value: number, digits?: number): string {
	const locale = language === 'en' ? 'en-GB' : 'nb-NO';
	// the one rounding rule (precision.ts) first, so every output prints the same digits
	return roundTo(value, digits ?? 2).toLocaleString(locale, {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits ?? 2,
		useGrouping: false
	});
}

/** The catalogue key of a language's name ("Bokmål"). */
export function languageNameKey(language: Language): MessageKey {
	return `language.${language}` as const;
}
