import { UserError } from './errors';
import { roundTo } from '../i18n/precision';

/**
 * RFC 4180 CSV reading and writing. Written here rather than taken from a library because errors
 * must name the physical line a user sees in their editor, including inside multi-line fields.
 */

export type Delimiter = ',' | ';' | '\t';

export interface CsvRecord {
	/** 1-based line on which the record starts */
	line: number;
	fields: string[];
}


const BOM = '\uFEFF';

export function stripBom(text: string): string {
	return text.startsWith(BOM) ? text.slice(1) : text;
}

/** The delimiter used in the first line (outside quotes): the most frequent of ; , and tab. */
export function detectDelimiter(text: string): Delimiter {
	const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
	let quoted = false;
	for (const char of stripBom(text)) {
		if (char === '"') quoted = !quoted;
		else if (!quoted && (char === '\n' || char === '\r')) break;
		else if (!quoted && char in counts) counts[char as Delimiter]++;
	}
	const best = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a])[0];
	return best && counts[best] > 0 ? best : ',';
}

/** The most rows (header included) and fields per row a table may have: checked while reading, before more is kept. */
export interface TableBounds {
	rows: number;
	columns: number;
}

/** What any uploaded or pasted table may hold (docs/security.md): room for 300 points with blank rows to spare. */
export const TABLE_BOUNDS: TableBounds = { rows: 2001, columns: 50 };

/**
 * Splits CSV text into records. Throws a UserError naming the line of a malformed record, and a
 * 422 as soon as the table has more rows or fields than `bounds` allow.
 */
export function parseCsv(input: string, delimiter: Delimiter = detectDelimiter(input), bounds: TableBounds = TABLE_BOUNDS): CsvRecord[] {
	const text = stripBom(input);
	const records: CsvRecord[] = [];
	let fields: string[] = [];
	let field = '';
	let line = 1;
	let recordLine = 1;
	let quoteLine = 0;
	let state: 'start' | 'unquoted' | 'quoted' | 'after-quote' = 'start';

	const endField = () => {
		fields.push(field);
		field = '';
		state = 'start';
		if (fields.length > bounds.columns) throw new UserError('error.table.tooManyColumns', { line: recordLine, limit: bounds.columns }, 422);
	};
	const endRecord = () => {
		endField();
		records.push({ line: recordLine, fields });
		fields = [];
		if (records.length > bounds.rows) throw new UserError('error.table.tooManyRows', { limit: bounds.rows - 1 }, 422);
	};

	for (let i = 0; i < text.length; i++) {
		const char = text[i] as string;
		const isNewline = char === '\n' || char === '\r';
		if (state === 'quoted') {
			if (char === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i++;
				} else state = 'after-quote';
			} else {
				if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line++;
				field += char;
			}
			continue;
		}
		if (char === delimiter) {
			endField();
		} else if (isNewline) {
			if (char === '\r' && text[i + 1] === '\n') i++;
			endRecord();
			line++;
			recordLine = line;
		} else if (state === 'after-quote') {
			throw new UserError('error.csv.afterQuote', { line, char });
		} else if (char === '"' && state === 'start') {
			state = 'quoted';
			quoteLine = line;
		} else {
			field += char;
			state = 'unquoted';
		}
	}
	if (state === 'quoted') {
		throw new UserError('error.csv.unclosedQuote', { line: quoteLine });
	}
	if (field !== '' || fields.length > 0 || state === 'after-quote') endRecord();
	return records;
}

/** A cell to write: text is protected against formula injection, numbers are written as given. */
export type CsvCell = string | number | null;

export interface CsvFormatOptions {
	delimiter: ',' | ';';
	/** decimal separator for numbers; ',' for Norwegian spreadsheets */
	decimal: '.' | ',';
	/** digits after the decimal separator */
	digits?: number;
}

const FORMULA_START = /^[=+\-@\t\r]/;
/** = + - @ right after a character Excel may split on (comma, semicolon, tab): a formula if the file is opened with that delimiter */
const FORMULA_AFTER_DELIMITER = /([,;\t])(?=[=+\-@])/g;

/**
 * Makes text safe to open in a spreadsheet, whichever delimiter it is opened with: a leading
 * = + - @ tab or CR gets a ' in front, and so does one right after a comma, semicolon or tab
 * (opened with the other delimiter, `x,=HYPERLINK(…)` would otherwise start a live formula).
 */
export function neutralizeFormula(text: string): string {
	const inside = text.replace(FORMULA_AFTER_DELIMITER, "$1'");
	return FORMULA_START.test(inside) ? `'${inside}` : inside;
}

function formatNumber(value: number, options: CsvFormatOptions): string {
	// the one rounding rule (precision.ts): 12.325 is written 12.33 here as in the PDF
	const fixed = Number.isInteger(value) ? String(value) : roundTo(value, options.digits ?? 2).toFixed(options.digits ?? 2);
	return options.decimal === ',' ? fixed.replace('.', ',') : fixed;
}

function quoteIfNeeded(text: string, delimiter: string): string {
	return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV text with a UTF-8 BOM and CRLF line ends, so Excel shows Norwegian letters correctly. */
export function formatCsv(rows: readonly (readonly CsvCell[])[], options: CsvFormatOptions): string {
	const lines = rows.map((row) =>
		row
			.map((cell) => {
				if (cell === null) return '';
				if (typeof cell === 'number') return formatNumber(cell, options);
				return quoteIfNeeded(neutralizeFormula(cell), options.delimiter);
			})
			.join(options.delimiter)
	);
	return BOM + lines.join('\r\n') + '\r\n';
}
