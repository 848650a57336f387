import ExcelJS from 'exceljs';
import { UserError } from '../../domain/errors';
import { decodeText, parseRiskPointLines, parseRiskPointsCsv, riskPointsFromRows } from '../../domain/risk-points';
import type { RiskPointInput } from '../../domain/types';
import { describeZodError, riskPointListSchema } from '../../protocol';
import { mediaType, readBody } from './api';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A cell's value as the text a user sees (rich text, formulas' results, numbers, dates). */
function cellText(value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	if ('richText' in value) return value.richText.map((part) => part.text).join('');
	if ('result' in value) return cellText((value.result ?? '') as ExcelJS.CellValue);
	if ('text' in value) return String(value.text);
	return '';
}

/** The rows of the first sheet of a workbook, or of the sheet named `sheetName`. */
export async function readXlsxRows(bytes: Uint8Array, sheetName: string | null): Promise<{ line: number; fields: string[] }[]> {
	const workbook = new ExcelJS.Workbook();
	try {
		await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
	} catch {
		throw new UserError('error.xlsx.unreadable');
	}
	const sheet = sheetName ? workbook.getWorksheet(sheetName) : workbook.worksheets[0];
	if (!sheet) {
		throw new UserError('error.xlsx.noSheet', {
			sheet: (sheetName ?? '').slice(0, 40),
			sheets: workbook.worksheets.map((s) => `«${s.name}»`).join(', ') || '–'
		});
	}
	const rows: { line: number; fields: string[] }[] = [];
	sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
		const fields: string[] = [];
		for (let column = 1; column <= row.cellCount; column++) fields.push(cellText(row.getCell(column).value));
		rows.push({ line: rowNumber, fields });
	});
	return rows;
}

/**
 * A risk-point list from a request body: CSV, plain text (a point per line), JSON
 * `{ riskPoints: [...] }` or an Excel workbook (first sheet, or `?sheet=` by name).
 */
export async function readRiskPointUpload(request: Request, url: URL): Promise<RiskPointInput[]> {
	const type = mediaType(request);
	const bytes = await readBody(request);
	if (type === XLSX_TYPE) return riskPointsFromRows(await readXlsxRows(bytes, url.searchParams.get('sheet')));
	const text = decodeText(bytes);
	if (type === 'text/csv' || type === 'application/csv') return parseRiskPointsCsv(text);
	if (type === 'text/plain') return parseRiskPointLines(text);
	if (type === 'application/json') {
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			throw new UserError('error.invalidJson');
		}
		const parsed = riskPointListSchema.safeParse(value);
		if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
		return parsed.data.riskPoints;
	}
	throw new UserError('error.list.mediaType', { type: type || '(none)' }, 415);
}
