/**
 * Issue 25, items 1-5: figures an adviser can sum and sort. The workbook stores full values and
 * shows the report's decimals through number formats, category figures are numbers, counts are
 * whole numbers; a workshop's own CSV ranks nothing without answers, gives no rank to a point
 * nobody scored, and says each point's status.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createWorkshop, joinAsMember } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

/** The rows of a workshop's CSV (semicolons), header first. */
async function csvRows(workshop: { id: string; facilitatorKey: string }) {
	const text = (await call(server.url, `/api/workshops/${workshop.id}/export.csv`, { key: workshop.facilitatorKey })).text;
	return text.replace(/^\uFEFF/, '').trim().split('\r\n').map((line) => line.split(';'));
}

describe("a workshop's own CSV", () => {
	it('ranks nothing in a workshop without answers, and says so', async () => {
		const workshop = await createWorkshop(server.url, ['A', 'B', 'C'], { anonymous: false });
		const [header, ...rows] = await csvRows(workshop);
		const rank = header!.indexOf('Rang');
		const status = header!.indexOf('Status');
		expect(status).toBeGreaterThan(0);
		for (const row of rows) {
			expect(row[rank]).toBe('');
			expect(row[status]).toBe('Ingen svar: ingen rangering');
		}
	});

	it('gives no rank to a point nobody scored, and marks a point with too few answers', async () => {
		const workshop = await createWorkshop(server.url, ['Alle svarte', 'To svarte', 'Ingen svarte'], { anonymous: false });
		const [all, two] = workshop.riskPointIds as [string, string];
		for (let m = 0; m < 3; m++) {
			const member = await joinAsMember(server.url, workshop.joinCode);
			await member.socket.emitWithAck('rate', { riskPointId: all, likelihood: 4, consequence: 4 });
			if (m < 2) await member.socket.emitWithAck('rate', { riskPointId: two, likelihood: 5, consequence: 5 });
			member.socket.close();
		}
		const [header, ...rows] = await csvRows(workshop);
		const byText = (text: string) => rows.find((row) => row.includes(text))!;
		const rank = header!.indexOf('Rang');
		const status = header!.indexOf('Status');
		expect([byText('Alle svarte')[rank], byText('Alle svarte')[status]]).toEqual(['1', 'Rangert']);
		expect(byText('To svarte')[status]).toBe('For få svar');
		expect([byText('Ingen svarte')[rank], byText('Ingen svarte')[status]]).toEqual(['', 'Ikke vurdert']);
	});
});

describe('the workbook of an assessment', () => {
	it('keeps category figures and counts as numbers, with the report’s decimals as formats', async () => {
		const assessment = (
			await call(server.url, '/api/assessments', {
				method: 'POST',
				json: {
					title: 'Kategorier',
					privacy: 'named',
					riskPoints: [
						{ text: 'A', category: 'Kartlegging' },
						{ text: 'B', category: 'Kartlegging' },
						{ text: 'C', category: 'Oppfølging' }
					]
				}
			})
		).body;
		const made = (await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'national' } })).body.workshops[0];
		await call(server.url, `/api/workshops/${made.id}`, { method: 'PATCH', key: made.facilitatorKey, json: { status: 'open' } });
		const ids = (await call(server.url, `/api/workshops/${made.id}/risk-points`, { key: made.facilitatorKey })).body.riskPoints.map((p: { id: string }) => p.id);
		// A: 3 x 3.67 -> 11.0..., B: 2 x 2, C: 4 x 5
		const answers = [
			[[3, 3], [2, 2], [4, 5]],
			[[3, 4], [2, 2], [4, 5]],
			[[3, 4], [2, 2], [4, 5]]
		];
		for (const own of answers) {
			const member = await joinAsMember(server.url, made.joinCode);
			for (const [p, [likelihood, consequence]] of own.entries()) await member.socket.emitWithAck('rate', { riskPointId: ids[p], likelihood: likelihood!, consequence: consequence! });
			member.socket.close();
		}
		const xlsx = await fetch(`${server.url}/api/assessments/${assessment.id}/export.xlsx`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } });
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(await xlsx.arrayBuffer());
		const categories = book.getWorksheet('Kategorier')!;
		const header = (categories.getRow(1).values as unknown[]).slice(1);
		const column = (name: string) => header.indexOf(name) + 1;
		const rows = [...Array(categories.rowCount).keys()].map((i) => categories.getRow(i + 1));
		// a category's figures stand on its first row
		const mapping = rows.find((row) => row.getCell(1).value === 'Kartlegging' && row.getCell(column('Snitt skår')).value !== null)!;
		// mean of A (3 x 11/3 = 11) and B (4): 7.5; lowest 4, highest 11: numbers, not text
		expect(mapping.getCell(column('Snitt skår')).value).toBeCloseTo(7.5, 9);
		expect(mapping.getCell(column('Snitt skår')).numFmt).toBe('0.00');
		expect(mapping.getCell(column('Lavest skår')).value).toBeCloseTo(4, 9);
		expect(mapping.getCell(column('Høyest skår')).value).toBeCloseTo(11, 9);
		// the agreement sheet: members joined are whole numbers
		const agreement = book.getWorksheet('Samsvar')!;
		const agreementHeader = (agreement.getRow(1).values as unknown[]).slice(1);
		const joined = agreement.getRow(2).getCell(agreementHeader.indexOf('Ble med') + 1);
		expect(joined.value).toBe(3);
		expect(joined.numFmt).toBe('0');
	});
});
