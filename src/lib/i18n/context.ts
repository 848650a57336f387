import { getContext, setContext } from 'svelte';
import { formatNumber, translate, type MessageKey, type MessageParams } from './translate';
import type { Language } from '../domain/types';

export interface I18n {
	readonly language: Language;
	t: (key: MessageKey, params?: MessageParams) => string;
	/** a number with the language's decimal separator; `digits` fixed digits, else up to 2 */
	n: (value: number | null | undefined, digits?: number) => string;
}

const KEY = Symbol('i18n');

/** Gives every component below the translator for the current language (read through a getter, so it stays reactive). */
export function provideI18n(getLanguage: () => Language): I18n {
	const i18n: I18n = {
		get language() {
			return getLanguage();
		},
		t: (key, params) => translate(getLanguage(), key, params),
		n: (value, digits) => (value === null || value === undefined ? '–' : formatNumber(getLanguage(), value, digits))
	};
	setContext(KEY, i18n);
	return i18n;
}

export function useI18n(): I18n {
	return getContext<I18n>(KEY);
}
