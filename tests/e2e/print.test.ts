/**
 * Paper (issue 14, item 7): the facilitator's results and the assessment page print on A4 without
 * controls, the matrix and the ranked list each starting a page.
 */
import type { Browser } from 'playwright-core';
import { getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inkOn, launchChromium, newPage } from '../helpers/browser';
import { call, joinAsMember } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

/** Pages of the PDF Chromium prints, and the text of each. */
async function printed(pdf: Buffer) {
	const doc = await getDocumentProxy(new Uint8Array(pdf));
	const pages: string[] = [];
	for (let i = 1; i <= doc.numPages; i++) pages.push((await (await doc.getPage(i)).getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' '));
	return pages;
}

describe('printing', () => {
	it('prints the results and the matrix on their own A4 pages, without buttons', async () => {
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Tilsyn 2027', riskPoints: Array.from({ length: 8 }, (_, i) => ({ text: `Risikopunkt nummer ${i + 1}` })) } })).body;
		const made = await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'national' } });
		const workshop = made.body.workshops[0];
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'open' } });
		for (let m = 0; m < 3; m++) {
			const member = await joinAsMember(server.url, workshop.joinCode);
			for (const [i, point] of member.view.riskPoints.entries()) await member.socket.emitWithAck('rate', { riskPointId: point.id, likelihood: 1 + ((i + m) % 5), consequence: 1 + (i % 5) });
			member.socket.close();
		}

		const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
		await page.goto(`${server.url}/facilitate/${workshop.id}#key=${workshop.facilitatorKey}`);
		await page.locator('table.results').waitFor({ state: 'attached' });
		await page.emulateMedia({ media: 'print' });
		// no controls on paper; the results and the matrix are there though their tabs are not chosen
		expect(await page.getByRole('button', { name: 'Vis fordelingen for alle' }).isVisible()).toBe(false);
		expect(await page.locator('[role="tablist"]').isVisible()).toBe(false);
		expect(await page.locator('table.results').isVisible()).toBe(true);
		expect(await page.locator('.matrix .grid').isVisible()).toBe(true);
		const console = await printed(await page.pdf({ format: 'A4' }));
		expect(console.length).toBeGreaterThanOrEqual(2);
		// the matrix starts its own page, after the list
		const matrixPage = console.findIndex((text) => text.includes('Risikomatrise'));
		expect(matrixPage).toBeGreaterThan(0);
		expect(console[0]).toContain('Rangert liste');
		expect(console.join(' ')).not.toMatch(/Vis fordelingen for alle|Avslutt vurderingen|Last ned/);

		await page.emulateMedia({ media: 'screen' });
		await page.goto(`${server.url}/assessments/${assessment.id}#key=${assessment.ownerKey}`);
		await page.locator('table.combined').waitFor({ state: 'attached' });
		await page.emulateMedia({ media: 'print' });
		const report = await printed(await page.pdf({ format: 'A4' }));
		const matrixAt = report.findIndex((text) => text.includes('Samlet resultat'));
		const listAt = report.findIndex((text) => text.includes('Risikopunkt nummer'));
		expect(matrixAt).toBeGreaterThan(0);
		expect(listAt).toBeGreaterThan(matrixAt);
		expect(report.join(' ')).not.toMatch(/Legg til alle ti statsforvaltere|Lagre skalaene|Slett vurderingen/);

		// printed from the uncertainty tab: its charts come on a page of their own, drawn to the paper's width
		await page.emulateMedia({ media: 'screen' });
		await page.getByRole('tab', { name: 'Usikkerhet' }).click();
		const chart = page.getByRole('img', { name: 'Hvor sikker er plassen? Rangintervaller (90 %)' });
		await chart.scrollIntoViewIfNeeded();
		await expect.poll(() => inkOn(chart), { timeout: 20_000 }).toBeGreaterThan(2000);
		await page.emulateMedia({ media: 'print' });
		const pdf = await page.pdf({ format: 'A4' });
		if (process.env.SCREENSHOT_DIR) writeFileSync(join(process.env.SCREENSHOT_DIR, 'print-assessment-charts.pdf'), pdf);
		const withCharts = await printed(pdf);
		const chartsAt = withCharts.findIndex((text) => text.includes('Hvor sikker er plassen? Rangintervaller (90 %)'));
		expect(chartsAt).toBeGreaterThan(listAt);
		// on paper the drawing is no wider than its figure (A4's text width), however wide the screen was
		const widths = await chart.evaluate((area) => ({ area: area.getBoundingClientRect().width, canvas: area.querySelector('canvas')!.getBoundingClientRect().width }));
		expect(widths.canvas).toBeLessThanOrEqual(widths.area + 1);
	});
});
