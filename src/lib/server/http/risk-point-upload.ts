import { UserError } from '../../domain/errors';
import { decodeText, parseRiskPointLines, parseRiskPointsCsv, riskPointsFromRows } from '../../domain/risk-points';
import type { RiskPointInput } from '../../domain/types';
import { describeZodError, riskPointListSchema } from '../../protocol';
import { mediaType, readBody } from './api';
import { uploadPool } from '../workers/pool';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A risk-point list from a request body: CSV, plain text (a point per line), JSON
 * `{ riskPoints: [...] }` or an Excel workbook (first sheet, or `?sheet=` by name).
 */
export async function readRiskPointUpload(request: Request, url: URL): Promise<RiskPointInput[]> {
	const type = mediaType(request);
	const bytes = await readBody(request);
	if (type === XLSX_TYPE) {
		// read on a worker thread, within bounds (workers/read-spreadsheet.ts): a crafted workbook cannot stop the server
		const rows = await uploadPool.run('readSpreadsheet', { bytes, sheet: url.searchParams.get('sheet') }, [bytes.buffer as ArrayBuffer]);
		return riskPointsFromRows(rows);
	}
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
