/** Languages a workshop can be run in and a page shown in: bokmål, nynorsk, English. */
export const LANGUAGES = ['nb', 'nn', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
