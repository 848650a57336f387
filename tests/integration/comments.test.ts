/**
 * A member's reason for an answer (issue 14, item 10): stored with the rating and kept when only
 * the scales change, shown to the facilitator after the round is revealed (with the name only in
 * named workshops), never to other members or the projector, and in the exports without names.
 */
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FacilitatorWorkshopView } from '../../src/lib/protocol';
import { call, createWorkshop, joinAsFacilitator, joinAsMember, joinAsProjector, recordFrames, until } from '../helpers/clients';
import { startServer, storedWorkshop, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

describe('comments on ratings', () => {
	for (const anonymous of [true, false]) {
		it(`reach the facilitator after reveal ${anonymous ? 'without names' : 'with names'}, and the exports without names`, async () => {
			const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag'], { pacing: 'facilitator', anonymous });
			const [a] = workshop.riskPointIds as [string];
			const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
			const projector = await joinAsProjector(server.url, workshop);
			const kari = await joinAsMember(server.url, workshop.joinCode, { name: 'Kari' });
			const ola = await joinAsMember(server.url, workshop.joinCode, { name: 'Ola' });
			// a third answer: in an anonymous workshop nothing of a round shows below MIN_GROUP (3) answers
			const per = await joinAsMember(server.url, workshop.joinCode, { name: 'Per' });
			expect(await per.socket.emitWithAck('rate', { riskPointId: a, likelihood: 3, consequence: 3 })).toMatchObject({ ok: true });
			const olaFrames = recordFrames(ola.socket);
			const projectorFrames = recordFrames(projector.socket);

			const first = await kari.socket.emitWithAck('rate', { riskPointId: a, likelihood: 4, consequence: 5, comment: '  Vi ser dette hver uke  ' });
			expect(first).toEqual({ ok: true, answer: { riskPointId: a, round: 1, likelihood: 4, consequence: 5, comment: 'Vi ser dette hver uke' } });
			// changing only the scales keeps the reason
			const changed = await kari.socket.emitWithAck('rate', { riskPointId: a, likelihood: 3, consequence: 5 });
			expect(changed).toMatchObject({ ok: true, answer: { likelihood: 3, comment: 'Vi ser dette hver uke' } });
			expect(await ola.socket.emitWithAck('rate', { riskPointId: a, likelihood: 2, consequence: 3, comment: 'Sjelden hos oss' })).toMatchObject({ ok: true });
			// too long: refused with the reason, nothing stored
			const long = await ola.socket.emitWithAck('rate', { riskPointId: a, likelihood: 2, consequence: 3, comment: 'x'.repeat(501) });
			expect(long).toMatchObject({ ok: false });
			expect((long as { error: string }).error).toMatch(/comment/);

			// before reveal the facilitator has no comments; after, they do
			expect(facilitator.view.comments).toEqual({});
			const revealed = until<FacilitatorWorkshopView>(facilitator.socket, 'workshop', (view) => (view.comments[a]?.length ?? 0) > 0);
			expect((await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { revealed: [a] } })).status).toBe(200);
			const view = await revealed;
			if (anonymous) {
				expect(view.comments[a]).toEqual([
					{ round: 1, text: 'Sjelden hos oss', name: '' },
					{ round: 1, text: 'Vi ser dette hver uke', name: '' }
				]);
			} else {
				expect(view.comments[a]).toEqual([
					{ round: 1, text: 'Vi ser dette hver uke', name: 'Kari' },
					{ round: 1, text: 'Sjelden hos oss', name: 'Ola' }
				]);
			}
			// another member and the projector never get anyone's reason
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(olaFrames.join('\n')).not.toContain('Vi ser dette hver uke');
			expect(projectorFrames.join('\n')).not.toMatch(/Vi ser dette|Sjelden hos oss/);
			expect((await storedWorkshop(server.dataDir, workshop.id)).ratings.flatMap((r) => r.comment ?? []).sort()).toEqual(['Sjelden hos oss', 'Vi ser dette hver uke']);

			// the workbook's answers sheet has the reasons, without names; the PDF prints them in the notes
			const key = { authorization: `Bearer ${workshop.facilitatorKey}` };
			const book = new ExcelJS.Workbook();
			await book.xlsx.load(await (await fetch(`${server.url}/api/workshops/${workshop.id}/export.xlsx`, { headers: key })).arrayBuffer());
			const cells = book.worksheets.flatMap((sheet) => sheet.getSheetValues().flat().map(String));
			expect(cells).toContain('Vi ser dette hver uke');
			expect(cells).toContain('Begrunnelse');
			expect(cells.join('|')).not.toMatch(/Kari|Ola|Per/);
			const pdf = await getDocumentProxy(new Uint8Array(await (await fetch(`${server.url}/api/workshops/${workshop.id}/export.pdf`, { headers: key })).arrayBuffer()));
			const text = (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ');
			expect(text).toContain('Begrunnelser fra panelet:');
			expect(text).toContain('«Vi ser dette hver uke»');
			expect(text).not.toMatch(/Kari|Ola/);
			for (const socket of [facilitator.socket, projector.socket, kari.socket, ola.socket, per.socket]) socket.disconnect();
		});
	}
});
