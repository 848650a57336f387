import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/lib/domain/errors';
import {
	checkRiskPointInputs,
	decodeText,
	finalizeRiskPoints,
	looksLikeRiskPointCsv,
	parseRiskPointLines,
	parseRiskPointsCsv
} from '../../src/lib/domain/risk-points';

let counter = 0;
const newId = () => `id${++counter}`;

function messageOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		if (error instanceof UserError) return error.message;
		throw error;
	}
	throw new Error('expected a UserError');
}

describe('risk points from pasted lines', () => {
	it('takes one point per non-empty line, dropping bullets and spaces', () => {
		expect(parseRiskPointLines('  Barnas behov blir ikke kartlagt \n\n• Ingen samordning\r\n- Råd og veiledning gis ikke\n')).toEqual([
			{ text: 'Barnas behov blir ikke kartlagt' },
			{ text: 'Ingen samordning' },
			{ text: 'Råd og veiledning gis ikke' }
		]);
	});

	it('names the line of a text over 500 characters', () => {
		expect(messageOf(() => parseRiskPointLines(`ok\n\n${'x'.repeat(501)}`))).toBe(
			'Line 3: the text has 501 characters. Shorten it to at most 500.'
		);
	});

	it('refuses more than 300 points', () => {
		const text = Array.from({ length: 301 }, (_, i) => `Point ${i}`).join('\n');
		expect(messageOf(() => parseRiskPointLines(text))).toMatch(/301 risk points; a workshop takes at most 300/);
	});
});

describe('risk points from CSV', () => {
	it('reads text, code, category and description in any order, comma or semicolon', () => {
		const csv = '\uFEFFcategory;code;text;description\nkartlegging;K1;"Barnas behov; ikke kartlagt";"Gjelder ""alle"" barn"\n';
		expect(parseRiskPointsCsv(csv)).toEqual([
			{ text: 'Barnas behov; ikke kartlagt', code: 'K1', category: 'kartlegging', description: 'Gjelder "alle" barn' }
		]);
	});

	it('accepts Norwegian header names', () => {
		expect(parseRiskPointsCsv('Kode,Tekst,Kategori\nK2,Økonomi,oppfølging')[0]).toMatchObject({ code: 'K2', text: 'Økonomi', category: 'oppfølging' });
	});

	it('needs a text column and says what it found', () => {
		expect(messageOf(() => parseRiskPointsCsv('kode;punkt\nK1;x'))).toBe(
			'Line 1: the header row needs a column named "text" (found "kode", "punkt").'
		);
	});

	it('names the line with more fields than the header', () => {
		expect(messageOf(() => parseRiskPointsCsv('text,code\nok,R1\n"multi\nline",R2\na,b,c'))).toMatch(/^Line 5: 3 fields, but the header has 2/);
	});

	it('names the line of an empty text and skips blank lines', () => {
		expect(parseRiskPointsCsv('text;code\n\nA;R1\n;\n;;\n')).toHaveLength(1);
		expect(messageOf(() => parseRiskPointsCsv('text,code\nA,R1\n,R2'))).toBe('Line 3: the text is empty.');
	});

	it('tells pasted CSV (header with text) from plain lines', () => {
		expect(looksLikeRiskPointCsv('tekst\tkode\nA\tB')).toBe(true);
		expect(looksLikeRiskPointCsv('Barnas behov, og mer\nNeste')).toBe(false);
	});
});

describe('decoding uploads', () => {
	it('reads UTF-8 with or without BOM and Windows-1252 from older Excel', () => {
		expect(decodeText(new TextEncoder().encode('\uFEFFæøå'))).toBe('æøå');
		expect(decodeText(new TextEncoder().encode('ÆØÅ'))).toBe('ÆØÅ');
		expect(decodeText(new Uint8Array([0xe6, 0xf8, 0xe5, 0x3b, 0x80]))).toBe('æøå;€');
	});
});

describe('final list', () => {
	it('gives points without a code R1, R2, ... by position, skipping codes in use', () => {
		const points = finalizeRiskPoints([{ text: 'a' }, { text: 'b', code: 'R3' }, { text: 'c' }, { text: 'd', code: '' }], newId);
		expect(points.map((p) => p.code)).toEqual(['R1', 'R3', 'R4', 'R5']);
	});

	it('keeps given ids and trims text', () => {
		const [point] = finalizeRiskPoints([{ id: 'keep', text: '  spaced  ', category: ' c ' }], newId);
		expect(point).toEqual({ id: 'keep', code: 'R1', text: 'spaced', category: 'c', description: '' });
	});

	it('refuses two points with the same code', () => {
		expect(messageOf(() => finalizeRiskPoints([{ text: 'a', code: 'K1' }, { text: 'b', code: 'k1' }], newId))).toBe(
			'Points 1 and 2 both have the code "k1". Give each point its own code.'
		);
	});

	it('names a JSON point by its position', () => {
		expect(messageOf(() => checkRiskPointInputs([{ text: 'a' }, { text: ' ' }]))).toBe('Point 2: the text is empty.');
	});
});
