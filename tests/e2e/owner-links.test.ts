/**
 * Issue 23, item 6: every link an owner sees carries the key of what it opens, never the owner
 * key. Walks the overview and the assessment page, and follows every link there.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, launchChromium, newPage } from '../helpers/browser';
import { call } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let assessment: { id: string; ownerKey: string };
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchChromium()]);
	assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Tilsyn 2027', riskPoints: [{ text: 'Barnas behov blir ikke kartlagt' }] } })).body;
	await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'national' } });
	await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'regional', title: 'Statsforvalteren i Agder' } });
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('the links an owner sees', () => {
	it('carry each workshop’s own key, never the owner key, and each opens what it names', async () => {
		const owner = await newPage(browser, LAPTOP);
		// the owner's link, as the owner got it: the browser keeps the key
		await owner.goto(`${server.url}/assessments/${assessment.id}#key=${assessment.ownerKey}`);
		await owner.getByRole('heading', { name: 'Tilsyn 2027' }).waitFor();
		await owner.getByRole('rowheader', { name: 'Statsforvalteren i Agder' }).waitFor();
		const fromAssessment = await owner.locator('main a[href]').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
		await owner.goto(`${server.url}/assessments`);
		await owner.getByRole('link', { name: 'Tilsyn 2027' }).waitFor();
		await owner.getByRole('link', { name: 'Statsforvalteren i Agder' }).waitFor();
		const fromOverview = await owner.locator('main a[href]').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
		const links = [...new Set([...fromAssessment, ...fromOverview])];
		expect(links.filter((link) => link.includes('/facilitate/')).length).toBeGreaterThanOrEqual(2);
		expect(links.filter((link) => link.includes('/project/')).length).toBeGreaterThanOrEqual(2);
		for (const link of links) expect(link, link).not.toContain(assessment.ownerKey);

		for (const link of links.filter((href) => href.startsWith(server.url))) {
			const page = await newPage(browser, LAPTOP);
			await page.goto(link);
			const path = new URL(link).pathname;
			if (path.startsWith('/facilitate/')) {
				// the console of that workshop, opened by its own key (the owner key got 403 here)
				await page.getByRole('tab', { name: 'Invitasjon' }).waitFor();
				expect(await page.getByText('Feil nøkkel').count(), link).toBe(0);
			} else if (path.startsWith('/project/')) {
				await page.locator('.join-code').waitFor();
			} else {
				await page.locator('main h1').first().waitFor();
				expect(await page.getByRole('alert').filter({ hasText: /.+/ }).count(), link).toBe(0);
			}
			await page.context().close();
		}
		await owner.context().close();
	});
});
