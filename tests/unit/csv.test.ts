import { describe, expect, it } from 'vitest';
import { detectDelimiter, formatCsv, neutralizeFormula, parseCsv } from '../../src/lib/domain/csv';
import { UserError } from '../../src/lib/domain/errors';

function errorOf(run: () => unknown): UserError {
	try {
		run();
	} catch (error) {
		if (error instanceof UserError) return error;
		throw error;
	}
	throw new Error('expected a UserError');
}

describe('reading CSV', () => {
	it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
		const records = parseCsv('text,code\r\n"Barn, unge","R1"\n"Sier ""nei""\nsom regel",R2\n', ',');
		expect(records).toEqual([
			{ line: 1, fields: ['text', 'code'] },
			{ line: 2, fields: ['Barn, unge', 'R1'] },
			{ line: 3, fields: ['Sier "nei"\nsom regel', 'R2'] }
		]);
	});

	it('drops a UTF-8 BOM and keeps Norwegian letters', () => {
		expect(parseCsv('\uFEFFtekst;kode\nBarnas behov blir ikke kartlagt – æøå ÆØÅ;K1', ';')[1]!.fields).toEqual([
			'Barnas behov blir ikke kartlagt – æøå ÆØÅ',
			'K1'
		]);
	});

	it('detects comma, semicolon and tab from the header line, ignoring quoted text', () => {
		expect(detectDelimiter('text;code\na,b,c,d')).toBe(';');
		expect(detectDelimiter('"a;b;c",code\n')).toBe(',');
		expect(detectDelimiter('text\tcode\n')).toBe('\t');
		expect(detectDelimiter('text\n')).toBe(',');
	});

	it('keeps empty fields and a last line without a newline', () => {
		expect(parseCsv('a,,c\n,,', ',')).toEqual([
			{ line: 1, fields: ['a', '', 'c'] },
			{ line: 2, fields: ['', '', ''] }
		]);
	});

	it('names the line where an unclosed quote starts, counting lines inside earlier quoted fields', () => {
		const error = errorOf(() => parseCsv('text\n"two\nlines"\n"never closed\nmore', ','));
		expect(error.key).toBe('error.csv.unclosedQuote');
		expect(error.message).toMatch(/^Line 4:/);
	});

	it('refuses text after a closing quote, naming the line', () => {
		const error = errorOf(() => parseCsv('text\n"ok"\n"bad"x\n', ','));
		expect(error.message).toMatch(/^Line 3: unexpected "x"/);
	});
});

describe('writing CSV', () => {
	it('neutralises text that a spreadsheet would run as a formula', () => {
		for (const text of ['=SUM(A1)', '+1', '-2', '@cmd', '\tx', '\rx']) {
			expect(neutralizeFormula(text)).toBe(`'${text}`);
		}
		expect(neutralizeFormula('Barn = unge')).toBe('Barn = unge');
	});

	it('writes a BOM, CRLF, quotes where needed and decimal commas for semicolon files', () => {
		const csv = formatCsv(
			[
				['Kode', 'Tekst', 'Skår'],
				['R1', 'Barn; unge "sa"', 12.3456],
				['R2', '=HYPERLINK("x")', null],
				['R3', 'line\nbreak', 4]
			],
			{ delimiter: ';', decimal: ',', digits: 2 }
		);
		expect(csv).toBe(
			'\uFEFFKode;Tekst;Skår\r\nR1;"Barn; unge ""sa""";12,35\r\n' +
				`R2;"'=HYPERLINK(""x"")";\r\nR3;"line\nbreak";4\r\n`
		);
	});

	it('round-trips what it writes', () => {
		const rows = [
			['a', 'b, "c"', 'd\ne'],
			['æøå', '', 'x']
		];
		const csv = formatCsv(rows, { delimiter: ',', decimal: '.' });
		expect(parseCsv(csv, ',').map((record) => record.fields)).toEqual(rows);
	});
});

describe('spreadsheet formulas after a delimiter', () => {
	it('neutralises = + - @ right after a comma, semicolon or tab, so no delimiter Excel opens the file with starts a formula', () => {
		expect(neutralizeFormula('x,=HYPERLINK("http://evil","klikk")')).toBe(`x,'=HYPERLINK("http://evil","klikk")`);
		expect(neutralizeFormula('a;+1\t-2,@SUM(A1)')).toBe(`a;'+1\t'-2,'@SUM(A1)`);
		expect(neutralizeFormula('=1,=2')).toBe(`'=1,'=2`);
		// ordinary text with delimiters is left as it is
		expect(neutralizeFormula('Barn, unge; familier - og andre')).toBe('Barn, unge; familier - og andre');
	});

	it('writes a CSV in which no field, split at either delimiter, starts with a formula character', () => {
		const csv = formatCsv([['x,=HYPERLINK("a")', 'b;=1+1', 2]], { delimiter: ';', decimal: ',' });
		for (const delimiter of [',', ';', '\t']) {
			for (const field of csv.replace('\uFEFF', '').trim().split(delimiter)) expect(field.replace(/^"/, ''), `${delimiter}: ${field}`).not.toMatch(/^[=+@]/);
		}
	});
});

describe('table bounds', () => {
	it('refuses a CSV with more rows or columns than a list can need, with a 422 naming the limit', () => {
		const rows = ['text', ...Array.from({ length: 2100 }, (_, i) => `p${i}`)].join('\n');
		expect(() => parseCsv(rows)).toThrow(expect.objectContaining({ key: 'error.table.tooManyRows', status: 422 }));
		const wide = `text${',x'.repeat(60)}\n`;
		expect(() => parseCsv(wide)).toThrow(expect.objectContaining({ key: 'error.table.tooManyColumns', status: 422 }));
	});
});
