import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/lib/domain/csv';
import { exportFileName, resultsToCsv } from '../../src/lib/domain/export';
import { buildResults } from '../../src/lib/domain/results';
import { defaultMatrix } from '../../src/lib/domain/scales';
import { tallyOf } from '../../src/lib/domain/tally';
import { isWellFormedJoinCode, makeJoinCode, normalizeJoinCode, JOIN_CODE_ALPHABET } from '../../src/lib/domain/join-code';
import { catalogues, languageFromHeader, translate } from '../../src/lib/i18n/translate';

const results = buildResults({
	workshop: { id: 'w', title: 'T', status: 'closed' },
	scoring: 'product-of-means',
	matrix: defaultMatrix(),
	levelCount: 5,
	riskPoints: [
		{ id: 'a', code: 'R1', text: '=cmd|calc', category: 'kartlegging', description: '' },
		{ id: 'b', code: 'R2', text: 'Barnas behov – æøå', category: '', description: '' }
	],
	tallyFor: (id) =>
		id === 'a'
			? tallyOf([{ likelihood: 3, consequence: 4 }, { likelihood: 4, consequence: 5 }], 5)
			: tallyOf([{ likelihood: 5, consequence: 5 }], 5)
});

describe('CSV export', () => {
	it('writes the ranked list for Norwegian Excel: BOM, semicolons, decimal commas, safe text', () => {
		const csv = resultsToCsv(results, 'nb', 'semicolon');
		expect(csv.startsWith('\uFEFFRang;Kode;Risikopunkt;')).toBe(true);
		const rows = parseCsv(csv, ';').map((record) => record.fields);
		expect(rows[1]!.slice(0, 6)).toEqual(['1', 'R2', 'Barnas behov – æøå', '', '25', 'Høy']);
		expect(rows[2]!.slice(0, 5)).toEqual(['2', 'R1', "'=cmd|calc", 'kartlegging', '15,75']);
	});

	it('writes commas and decimal points on request', () => {
		const rows = parseCsv(resultsToCsv(results, 'en', 'comma'), ',').map((record) => record.fields);
		expect(rows[0]![0]).toBe('Rank');
		expect(rows[2]![4]).toBe('15.75');
	});

	it('makes file names from titles', () => {
		expect(exportFileName('Risikovurdering Nav 2026 – Østfold/Ål', 'csv')).toBe('risikovurdering-nav-2026-ostfoldal.csv');
		expect(exportFileName('///', 'json')).toBe('risikoverksted.json');
	});
});

describe('join codes', () => {
	it('never uses 0, O, 1 or I', () => {
		for (const char of '0O1I') expect(JOIN_CODE_ALPHABET).not.toContain(char);
		let i = 0;
		expect(makeJoinCode(() => i++ % JOIN_CODE_ALPHABET.length)).toBe('234567');
	});

	it('accepts codes typed in lower case with spaces or dashes', () => {
		expect(normalizeJoinCode(' k7p-2qx ')).toBe('K7P2QX');
		expect(isWellFormedJoinCode('K7P2QX')).toBe(true);
		expect(isWellFormedJoinCode('K7P2QO')).toBe(false);
	});
});

describe('message catalogues', () => {
	it('have the same keys and placeholders in every language', () => {
		const reference = catalogues.nb;
		for (const [language, catalogue] of Object.entries(catalogues)) {
			expect(Object.keys(catalogue).sort(), language).toEqual(Object.keys(reference).sort());
			for (const [key, text] of Object.entries(catalogue)) {
				const placeholders = (value: string) => [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
				expect(placeholders(text), `${language} ${key}`).toEqual(placeholders(reference[key as keyof typeof reference]));
			}
		}
	});

	it('fills placeholders, translating nested messages and writing decimal commas', () => {
		expect(translate('nb', 'error.list.tooLong', { where: { key: 'error.where.line', params: { line: 3 } }, field: { key: 'field.text' }, length: 501, limit: 500 })).toBe(
			'Linje 3: tekst har 501 tegn. Kort den ned til høyst 500.'
		);
		expect(translate('nb', 'matrix.summary', { high: 1.5, medium: 2, low: 0 })).toMatch(/^1,5 punkter/);
	});

	it('picks a language from Accept-Language', () => {
		expect(languageFromHeader('nn-NO,nb;q=0.8')).toBe('nn');
		expect(languageFromHeader('en-US,nb;q=0.9')).toBe('en');
		expect(languageFromHeader('de,nb;q=0.5,en;q=0.4')).toBe('nb');
		expect(languageFromHeader('no')).toBe('nb');
		expect(languageFromHeader('de')).toBeNull();
	});
});
