/**
 * Every letter the reports print exists in the font the PDF embeds (Noto Sans): a character it
 * lacks prints as an empty box (the flag ⚑ and the root sign √ once did).
 */
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/lib/i18n/en';
import { nb } from '../../src/lib/i18n/nb';
import { nn } from '../../src/lib/i18n/nn';

const require = createRequire(import.meta.url);
const font = fontkit.openSync(require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf')) as fontkit.Font;

/** the texts the PDF, the workbook and the matrix picture print */
const PRINTED = /^(report|knowledge|matrix|export|combined|scale|scoring|flagRule|status)\.|^results\.(answers|measures|notRated)$/;

describe('the report font', () => {
	it('has a glyph for every character the reports print, in every language', () => {
		const missing = new Set<string>();
		for (const messages of [nb, nn, en]) {
			for (const [key, text] of Object.entries(messages)) {
				if (!PRINTED.test(key)) continue;
				for (const char of text.replace(/\{[^}]+\}/g, '')) {
					if (char.trim() && !font.hasGlyphForCodePoint(char.codePointAt(0)!)) missing.add(`${char} (U+${char.codePointAt(0)!.toString(16).toUpperCase()}) in ${key}`);
				}
			}
		}
		expect([...missing]).toEqual([]);
	});

	it('has every letter of Norwegian and the Sami languages', () => {
		for (const char of 'æøåÆØÅáčđŋšŧžÁČĐŊŠŦŽïÏ«»–−') expect(font.hasGlyphForCodePoint(char.codePointAt(0)!), char).toBe(true);
	});
});
