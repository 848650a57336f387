import { getContext, setContext } from 'svelte';
import { fillMessage, formatNumber, type MessageKey, type MessageParams, type Messages } from './messages';
import type { Language } from './languages';

export interface I18n {
	readonly language: Language;
	t: (key: MessageKey, params?: MessageParams) => string;
	/** a number with the language's decimal separator; `digits` fixed digits, else up to 2 */
	n: (value: number | null | undefined, digits?: number) => string;
}

const KEY = Symbol('i18n');

/**
 * Gives every component below the translator for the current language, with the catalogue the
 * server sent for it (read through getters, so both stay reactive).
 */
export function provideI18n(getLanguage: () => Language, getMessages: () => Messages): I18n {
	const i18n: I18n = {
		get language() {
			return getLanguage();
		},
		t: (key, params) => fillMessage(getMessages(), getLanguage(), key, params),
		n: (value, digits) => (value === null || value === undefined ? '–' : formatNumber(getLanguage(), value, digits))
	};
	setContext(KEY, i18n);
	return i18n;
}

export function useI18n(): I18n {
	return getContext<I18n>(KEY);
}
