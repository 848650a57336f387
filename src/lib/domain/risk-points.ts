import { TABLE_BOUNDS, detectDelimiter, parseCsv, stripBom } from './csv';
import { UserError } from './errors';
import type { MessageRef } from '../i18n/translate';
import type { RiskPoint, RiskPointInput } from './types';
import { isUsableId } from './ids';

export const RISK_POINT_LIMITS = {
	points: 300,
	text: 500,
	code: 20,
	category: 100,
	description: 2000,
	/** bytes of an uploaded list */
	upload: 1024 * 1024
} as const;

/** Header names accepted for each column, lower case (English and Norwegian). */
const HEADER_ALIASES: Record<keyof RiskPointInput, string[]> = {
	text: ['text', 'tekst', 'risikopunkt', 'risk point'],
	code: ['code', 'kode', 'id', 'nr'],
	category: ['category', 'kategori', 'fase', 'phase', 'tema', 'theme'],
	description: ['description', 'beskrivelse', 'skildring', 'merknad']
};

const FIELD_NAMES: Record<keyof RiskPointInput, MessageRef> = {
	text: { key: 'field.text' },
	code: { key: 'field.code' },
	category: { key: 'field.category' },
	description: { key: 'field.description' }
};

const atLine = (line: number): MessageRef => ({ key: 'error.where.line', params: { line } });
const atPoint = (point: number): MessageRef => ({ key: 'error.where.point', params: { point } });

/** Checks lengths of one point; `where` names it in the error (a line or a position). */
function checkLengths(point: RiskPointInput, where: MessageRef): void {
	if (point.text.trim() === '') throw new UserError('error.list.emptyText', { where });
	for (const field of Object.keys(FIELD_NAMES) as (keyof RiskPointInput)[]) {
		const length = (point[field] ?? '').length;
		const limit = RISK_POINT_LIMITS[field];
		if (length > limit) {
			throw new UserError('error.list.tooLong', { where, field: FIELD_NAMES[field], length, limit });
		}
	}
}

function checkCount(count: number): void {
	if (count > RISK_POINT_LIMITS.points) {
		throw new UserError('error.list.tooMany', { count, limit: RISK_POINT_LIMITS.points });
	}
}

/** Windows-1252 characters at 0x80-0x9F (where Latin-1 has control codes); undefined bytes stay as they are. */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * Decodes uploaded bytes as UTF-8 (BOM or not), falling back to Windows-1252 as saved by older
 * Excel on Norwegian Windows. Done by hand: Node's TextDecoder treats windows-1252 as Latin-1.
 */
export function decodeText(bytes: Uint8Array): string {
	try {
		return stripBom(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch {
		let text = '';
		for (const byte of bytes) {
			text += byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
		}
		return text;
	}
}

/** Leading bullets or dashes that a list copied from a document brings along. */
const BULLET = /^[•\u2013\u2014*-]\s+/;

/** One risk point per non-empty line; surrounding spaces and list bullets are dropped. */
export function parseRiskPointLines(text: string): RiskPointInput[] {
	const points: RiskPointInput[] = [];
	const lines = stripBom(text).split(/\r\n|\r|\n/, TABLE_BOUNDS.rows + 1);
	if (lines.length > TABLE_BOUNDS.rows) throw new UserError('error.table.tooManyRows', { limit: TABLE_BOUNDS.rows - 1 }, 422);
	lines.forEach((raw, index) => {
		const pointText = raw.trim().replace(BULLET, '').trim();
		if (pointText === '') return;
		const point = { text: pointText };
		checkLengths(point, atLine(index + 1));
		points.push(point);
	});
	checkCount(points.length);
	return points;
}

function columnIndexes(header: string[]): Partial<Record<keyof RiskPointInput, number>> {
	const normalized = header.map((name) => name.trim().toLowerCase());
	const indexes: Partial<Record<keyof RiskPointInput, number>> = {};
	for (const [column, aliases] of Object.entries(HEADER_ALIASES) as [keyof RiskPointInput, string[]][]) {
		const index = normalized.findIndex((name) => aliases.includes(name));
		if (index >= 0) indexes[column] = index;
	}
	return indexes;
}

/** True when the first line names a text column, so pasted text can be read as CSV. */
export function looksLikeRiskPointCsv(text: string): boolean {
	const firstLine = stripBom(text).split(/\r\n|\r|\n/, 1)[0] ?? '';
	const delimiter = detectDelimiter(firstLine);
	return columnIndexes(firstLine.split(delimiter).map((name) => name.replaceAll('"', ''))).text !== undefined;
}

/** Reads a CSV list with a header row naming at least a text column (comma, semicolon or tab). */
export function parseRiskPointsCsv(text: string): RiskPointInput[] {
	return riskPointsFromRows(parseCsv(text, detectDelimiter(text)));
}

/**
 * Reads the rows of a table (CSV records, or a spreadsheet's rows with their row numbers): a
 * header row naming at least a text column, then a point per non-empty row.
 */
export function riskPointsFromRows(rowsWithHeader: readonly { line: number; fields: string[] }[]): RiskPointInput[] {
	const records = rowsWithHeader.filter((record) => record.fields.some((field) => field.trim() !== ''));
	const [header, ...rows] = records;
	if (!header) throw new UserError('error.csv.empty');
	const columns = columnIndexes(header.fields);
	if (columns.text === undefined) {
		const found = header.fields.map((name) => `"${name.trim()}"`).join(', ');
		throw new UserError('error.csv.noTextColumn', { line: header.line, found });
	}
	checkCount(rows.length);
	return rows.map((row) => {
		if (row.fields.length > header.fields.length) {
			throw new UserError('error.csv.tooManyFields', {
				line: row.line,
				count: row.fields.length,
				expected: header.fields.length
			});
		}
		const value = (column: keyof RiskPointInput) => {
			const index = columns[column];
			return index === undefined ? '' : (row.fields[index] ?? '').trim();
		};
		const point: RiskPointInput = {
			text: value('text'),
			code: value('code'),
			category: value('category'),
			description: value('description')
		};
		checkLengths(point, atLine(row.line));
		return point;
	});
}

/**
 * Checks a list given as objects (JSON), naming a bad point by its position: lengths, and ids
 * (an id from outside must look like one of ours and be used once; see domain/ids.ts).
 */
export function checkRiskPointInputs(points: readonly (RiskPointInput & { id?: string })[]): void {
	checkCount(points.length);
	const ids = new Set<string>();
	points.forEach((point, index) => {
		checkLengths(point, atPoint(index + 1));
		if (point.id === undefined) return;
		const id = String(point.id).slice(0, 60);
		if (!isUsableId(point.id)) throw new UserError('error.list.badId', { where: atPoint(index + 1), id });
		if (ids.has(point.id)) throw new UserError('error.list.duplicateId', { where: atPoint(index + 1), id });
		ids.add(point.id);
	});
}

/**
 * Final risk points in list order: trimmed, codes kept where given and unique, R1, R2, ... by
 * position where missing (skipping codes already taken).
 */
export function finalizeRiskPoints(
	inputs: readonly (RiskPointInput & { id?: string })[],
	newId: () => string
): RiskPoint[] {
	const given = new Map<string, number>();
	inputs.forEach((input, index) => {
		const code = input.code?.trim();
		if (!code) return;
		const first = given.get(code.toLowerCase());
		if (first !== undefined) {
			throw new UserError('error.list.duplicateCode', { code, first: first + 1, second: index + 1 });
		}
		given.set(code.toLowerCase(), index);
	});
	let next = 1;
	return inputs.map((input, index) => {
		let code = input.code?.trim() ?? '';
		if (!code) {
			next = Math.max(next, index + 1);
			while (given.has(`r${next}`)) next++;
			code = `R${next}`;
			given.set(code.toLowerCase(), index);
		}
		return {
			id: input.id ?? newId(),
			code,
			text: input.text.trim(),
			category: input.category?.trim() ?? '',
			description: input.description?.trim() ?? ''
		};
	});
}

/**
 * The list with one point's text replaced, its earlier wording kept in the point's edits with the
 * time (a typo fixed during a session: the answers stay with the point).
 */
export function withEditedText<T extends RiskPoint>(points: readonly T[], riskPointId: string, text: string, at: string): T[] {
	return points.map((point) => (point.id === riskPointId ? { ...point, text, edits: [...(point.edits ?? []), { at, from: point.text }] } : point));
}
