import { unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { UserError } from '../../domain/errors';
import { TABLE_BOUNDS } from '../../domain/csv';

/**
 * Reads the rows of one sheet of an .xlsx workbook within stated bounds, without building the
 * workbook: a part of the zip is unpacked only if it declares at most XLSX_BOUNDS.partBytes (the
 * output buffer is that size, so a part that lies about its size cannot grow past it), and the
 * sheet is read as a stream of XML events that stops at the first value beyond the row or column
 * limit. A sheet that merely declares a huge range (dimension, merged cells, styled empty cells)
 * costs nothing: only cells with values are kept. Written here because the spreadsheet libraries
 * build every declared cell first (exceljs took 4 GB for a 7 KB file).
 */
export const XLSX_BOUNDS = {
	rows: TABLE_BOUNDS.rows,
	columns: TABLE_BOUNDS.columns,
	/** the largest unpacked part (the sheet, the shared strings) */
	partBytes: 16 * 1024 * 1024,
	/** all unpacked parts together */
	totalBytes: 40 * 1024 * 1024
} as const;

const WANTED = /^(xl\/workbook\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/sharedStrings\.xml|xl\/worksheets\/[^/]+\.xml)$/;

/** "AB12" -> column 28 (1-based) and row 12; a reference without a row gives row 0. */
function parseReference(reference: string): { column: number; row: number } {
	let column = 0;
	let i = 0;
	for (; i < reference.length; i++) {
		const code = reference.charCodeAt(i);
		if (code < 65 || code > 90) break;
		column = column * 26 + (code - 64);
		if (column > 100_000) break;
	}
	return { column, row: Number(reference.slice(i)) || 0 };
}

const columnName = (column: number) => {
	let name = '';
	for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
	return name;
};

function unpack(bytes: Uint8Array): Map<string, string> {
	let total = 0;
	let files: Record<string, Uint8Array>;
	try {
		files = unzipSync(bytes, {
			filter: (file) => {
				if (!WANTED.test(file.name)) return false;
				if (file.originalSize > XLSX_BOUNDS.partBytes) {
					throw new UserError('error.xlsx.tooBig', { limit: XLSX_BOUNDS.partBytes / 1048576, part: file.name }, 413);
				}
				total += file.originalSize;
				if (total > XLSX_BOUNDS.totalBytes) throw new UserError('error.xlsx.tooBig', { limit: XLSX_BOUNDS.totalBytes / 1048576, part: file.name }, 413);
				return true;
			}
		});
	} catch (error) {
		if (error instanceof UserError) throw error;
		throw new UserError('error.xlsx.unreadable');
	}
	const decoder = new TextDecoder();
	return new Map(Object.entries(files).map(([name, data]) => [name, decoder.decode(data)]));
}

/** Runs a SAX parser over XML text; `on` gets each open tag, text and close tag. */
function walk(
	xml: string,
	on: { open?: (name: string, attributes: Record<string, string>) => void; text?: (text: string) => void; close?: (name: string) => void }
): void {
	const parser = new SaxesParser();
	let failure: unknown = null;
	if (on.open) parser.on('opentag', (tag) => on.open!(tag.name, tag.attributes as Record<string, string>));
	if (on.text) parser.on('text', on.text);
	if (on.close) parser.on('closetag', (tag) => on.close!(tag.name));
	parser.on('error', (error) => {
		failure ??= error;
	});
	try {
		parser.write(xml).close();
	} catch (error) {
		if (error instanceof UserError) throw error;
		throw new UserError('error.xlsx.unreadable');
	}
	if (failure) throw new UserError('error.xlsx.unreadable');
}

/** The sheet names of the workbook, in order, with the part each is stored in. */
function sheetsOf(parts: Map<string, string>): { name: string; part: string }[] {
	const targets = new Map<string, string>();
	walk(parts.get('xl/_rels/workbook.xml.rels') ?? '', {
		open: (name, attributes) => {
			if (name !== 'Relationship' || !attributes.Id || !attributes.Target) return;
			const target = attributes.Target.replace(/^\//, '');
			targets.set(attributes.Id, target.startsWith('xl/') ? target : `xl/${target}`);
		}
	});
	const sheets: { name: string; part: string }[] = [];
	walk(parts.get('xl/workbook.xml') ?? '', {
		open: (name, attributes) => {
			if (name !== 'sheet') return;
			const part = targets.get(attributes['r:id'] ?? '');
			if (attributes.name && part) sheets.push({ name: attributes.name, part });
		}
	});
	return sheets;
}

function sharedStrings(xml: string | undefined): string[] {
	const strings: string[] = [];
	if (!xml) return strings;
	let current: string | null = null;
	let inText = false;
	let inPhonetic = false;
	walk(xml, {
		open: (name) => {
			if (name === 'si') current = '';
			else if (name === 'rPh') inPhonetic = true;
			else if (name === 't' && !inPhonetic) inText = true;
		},
		text: (text) => {
			if (inText && current !== null) current += text;
		},
		close: (name) => {
			if (name === 't') inText = false;
			else if (name === 'rPh') inPhonetic = false;
			else if (name === 'si') {
				strings.push(current ?? '');
				current = null;
			}
		}
	});
	return strings;
}

/**
 * The rows of the first sheet, or of the sheet named `sheetName`, as text per cell with their row
 * numbers. Throws a UserError (413 or 422) that says which limit the file goes past.
 */
export function readSpreadsheetRows(bytes: Uint8Array, sheetName: string | null): { line: number; fields: string[] }[] {
	const parts = unpack(bytes);
	const sheets = sheetsOf(parts);
	const sheet = sheetName === null ? sheets[0] : sheets.find((candidate) => candidate.name === sheetName);
	if (!sheet) {
		throw new UserError('error.xlsx.noSheet', {
			sheet: (sheetName ?? '').slice(0, 40),
			sheets: sheets.map((s) => `«${s.name.slice(0, 40)}»`).slice(0, 20).join(', ') || '–'
		});
	}
	const xml = parts.get(sheet.part);
	if (xml === undefined) throw new UserError('error.xlsx.unreadable');
	const strings = sharedStrings(parts.get('xl/sharedStrings.xml'));

	const rows = new Map<number, string[]>();
	let rowNumber = 0;
	let nextColumn = 1;
	let cell: { column: number; type: string; value: string; inValue: boolean } | null = null;
	let inInlineText = false;
	walk(xml, {
		open: (name, attributes) => {
			if (name === 'row') {
				rowNumber = Number(attributes.r) || rowNumber + 1;
				nextColumn = 1;
			} else if (name === 'c') {
				const reference = attributes.r ? parseReference(attributes.r) : { column: nextColumn, row: rowNumber };
				nextColumn = reference.column + 1;
				cell = { column: reference.column, type: attributes.t ?? 'n', value: '', inValue: false };
			} else if (name === 'v' && cell) cell.inValue = true;
			else if (name === 't' && cell?.type === 'inlineStr') inInlineText = true;
		},
		text: (text) => {
			if (cell && (cell.inValue || inInlineText)) cell.value += text;
		},
		close: (name) => {
			if (name === 'v' && cell) cell.inValue = false;
			else if (name === 't') inInlineText = false;
			else if (name === 'c' && cell) {
				const text = cellText(cell.type, cell.value, strings);
				if (text !== '') {
					// only cells with something in them count against the bounds
					if (rowNumber > XLSX_BOUNDS.rows) throw new UserError('error.xlsx.tooManyRows', { row: rowNumber, limit: XLSX_BOUNDS.rows }, 422);
					if (cell.column > XLSX_BOUNDS.columns) {
						throw new UserError('error.xlsx.tooManyColumns', { column: columnName(cell.column), row: rowNumber, limit: XLSX_BOUNDS.columns }, 422);
					}
					let fields = rows.get(rowNumber);
					if (!fields) rows.set(rowNumber, (fields = []));
					while (fields.length < cell.column - 1) fields.push('');
					fields[cell.column - 1] = text;
				}
				cell = null;
			}
		}
	});
	return [...rows.entries()].sort(([a], [b]) => a - b).map(([line, fields]) => ({ line, fields }));
}

/** A cell's value as the text a user sees. */
function cellText(type: string, raw: string, strings: readonly string[]): string {
	switch (type) {
		case 's':
			return strings[Number(raw)] ?? '';
		case 'b':
			return raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw;
		case 'inlineStr':
		case 'str':
		case 'e':
			return raw;
		default: {
			const number = Number(raw);
			return raw === '' || !Number.isFinite(number) ? raw : String(number);
		}
	}
}
