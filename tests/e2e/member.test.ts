/**
 * A member on a phone (issue 14, items 8-10): one point, one screen at 360x740 (the text at the
 * top, both scales and don't-know in view after each Next), auto-advance, a reason per answer, the
 * assessment's topic and the workshop's name, and keeping the previous round's answer in one tap.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, checkedScreenshot as screenshot, launchChromium, newPage as openPage } from '../helpers/browser';
import { call } from '../helpers/clients';
import { startServer, storedWorkshop, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

const POINTS = [
	'Barnas behov blir ikke tilstrekkelig kartlagt når familien søker økonomisk stønad, og vedtaket sier ikke noe om barna',
	'Nødhjelp gis ikke samme dag',
	'Vedtak om økonomisk stønad er mangelfullt begrunnet',
	'Brukere som ikke møter til avtalt samtale blir ikke fulgt opp',
	'Tolk brukes ikke når det trengs',
	'Klager blir ikke behandlet innen fristen'
];

/** An assessment with one national workshop, opened in the given pace; its join code and keys. */
async function assessmentWorkshop(pacing: 'self' | 'facilitator', guidance = false) {
	const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Tilsyn med sosiale tjenester i Nav 2027', riskPoints: POINTS.map((text) => ({ text })) } })).body;
	if (guidance) {
		const scales = {
			likelihood: { labels: ['Svært lite sannsynlig', 'Lite sannsynlig', 'Moderat', 'Sannsynlig', 'Svært sannsynlig'], descriptions: ['Sjeldnere enn hvert 10. år', 'Hvert 10. år', 'Hvert år', 'Hver måned', 'Hver uke'] },
			consequence: { labels: ['Svært liten', 'Liten', 'Moderat', 'Alvorlig', 'Svært alvorlig'] }
		};
		expect((await call(server.url, `/api/assessments/${assessment.id}`, { method: 'PATCH', key: assessment.ownerKey, json: { scales } })).status).toBe(200);
	}
	const made = await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'regional', title: 'Statsforvalteren i Vestland' } });
	const workshop = made.body.workshops[0] as { id: string; joinCode: string; facilitatorKey: string };
	const opened = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'open', pacing } });
	expect(opened.status).toBe(200);
	const view = await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey });
	return { ...workshop, pointIds: (view.body.riskPoints as { id: string }[]).map((p) => p.id) };
}

/** Where the point's text and both scales are on the screen: all of them wholly in view? */
function oneScreen(page: Page) {
	return page.evaluate(() => {
		const boxes = ['.point-text', '.scale:nth-of-type(1)', '.scale:nth-of-type(2)'].map((selector) => document.querySelector(selector)!.getBoundingClientRect());
		const dontKnow = [...document.querySelectorAll('.scale .dont-know')].map((el) => el.getBoundingClientRect());
		return [...boxes, ...dontKnow].every((box) => box.top >= 0 && box.bottom <= innerHeight && box.height > 0);
	});
}

async function answer(page: Page, likelihood: number, consequence: number) {
	await page.getByRole('group', { name: 'Sannsynlighet' }).getByRole('radio', { name: new RegExp(`^${likelihood} – `) }).check();
	await page.getByRole('group', { name: 'Konsekvens' }).getByRole('radio', { name: new RegExp(`^${consequence} – `) }).check();
}

describe('a member on a phone', () => {
	it('rates one point per screen, with the topic, a reason and auto-advance', async () => {
		const workshop = await assessmentWorkshop('self', true);
		const page = await openPage(browser, PHONE);
		// every script the member's phone loads, to check that chart.js is not among them (it is for the facilitator's pages)
		const scripts: Promise<string>[] = [];
		page.on('response', (response) => {
			if (response.url().endsWith('.js')) scripts.push(response.text().catch(() => ''));
		});
		await page.goto(`${server.url}/join/${workshop.joinCode}`);
		await page.getByText('Tilsyn med sosiale tjenester i Nav 2027').waitFor();
		await page.getByRole('button', { name: 'Start' }).click();
		await page.getByRole('heading', { name: POINTS[0] }).waitFor();
		// the topic and the workshop's name on the rating screen
		await page.getByText('Tilsyn med sosiale tjenester i Nav 2027').waitFor();
		await page.getByRole('heading', { level: 1, name: 'Statsforvalteren i Vestland' }).waitFor();
		// the scale's guidance under each label
		await page.getByRole('radio', { name: /Svært sannsynlig\W+Hver uke/ }).waitFor({ state: 'attached' });
		expect(await oneScreen(page), 'first point').toBe(true);
		await screenshot(page, 'phone-rating-360');

		// a reason with the answer
		await answer(page, 4, 5);
		await expect.poll(() => page.getByRole('status').filter({ hasText: 'Lagret ✓' }).count()).toBe(1);
		await page.getByText('Skriv hvorfor (valgfritt)').click();
		await page.getByLabel('Begrunnelse for svaret').fill('Vi ser det i mange saker');
		await page.getByRole('button', { name: 'Lagre begrunnelsen' }).click();
		await page.getByText('Begrunnelsen din er lagret').waitFor();

		// Next: the next point's text at the top, both scales in view
		for (let index = 1; index < 3; index++) {
			await page.getByRole('button', { name: 'Neste' }).click();
			await page.getByRole('heading', { name: POINTS[index] }).waitFor();
			await expect.poll(() => oneScreen(page), { message: `point ${index + 1}` }).toBe(true);
			await answer(page, 2, 3);
			await expect.poll(() => page.getByRole('status').filter({ hasText: 'Lagret ✓' }).count()).toBe(1);
		}

		// auto-advance: answering both scales moves on by itself, to the top of the next point
		await page.getByLabel('Gå videre til neste punkt når begge er besvart').check();
		await page.getByRole('button', { name: 'Neste' }).click();
		await page.getByRole('heading', { name: POINTS[3] }).waitFor();
		await answer(page, 3, 3);
		await page.getByRole('heading', { name: POINTS[4] }).waitFor();
		await expect.poll(() => oneScreen(page), { message: 'after auto-advance' }).toBe(true);

		// chart.js (its own chunk) never reached the phone: no script carries its code
		const loaded = await Promise.all(scripts);
		expect(loaded.length).toBeGreaterThan(3);
		expect(loaded.filter((text) => text.includes('Failed to create chart'))).toEqual([]);

		const stored = await storedWorkshop(server.dataDir, workshop.id);
		expect(stored.ratings.length).toBe(4);
		expect(stored.ratings.find((r) => r.riskPointId === workshop.pointIds[0])).toMatchObject({ likelihood: 4, consequence: 5, comment: 'Vi ser det i mange saker' });
	});

	it('keeps the previous round’s answer in one tap, and follows the facilitator to the top of each point', async () => {
		const workshop = await assessmentWorkshop('facilitator');
		const [first, second] = workshop.pointIds as [string, string];
		const page = await openPage(browser, PHONE);
		await page.goto(`${server.url}/join/${workshop.joinCode}`);
		await page.getByRole('button', { name: 'Start' }).click();
		await page.getByRole('heading', { name: POINTS[0] }).waitFor();
		await answer(page, 5, 4);
		await expect.poll(() => page.getByRole('status').filter({ hasText: 'Lagret ✓' }).count()).toBe(1);

		// the facilitator moves on and back: each point starts at the top
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { currentRiskPointId: second } });
		await page.getByRole('heading', { name: POINTS[1] }).waitFor();
		await expect.poll(() => oneScreen(page)).toBe(true);

		// round 2 of the first point: the member's round-1 answer, kept with one tap
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { currentRiskPointId: first, newRound: [first] } });
		await page.getByText('Runde 2', { exact: false }).first().waitFor();
		const keep = page.getByRole('button', { name: 'Behold svaret mitt fra runde 1' });
		await keep.click();
		await page.getByRole('button', { name: 'Du har beholdt svaret ditt' }).waitFor();
		await expect.poll(() => page.getByRole('status').filter({ hasText: 'Lagret ✓' }).count()).toBe(1);
		await screenshot(page, 'phone-round2-360');
		const stored = await storedWorkshop(server.dataDir, workshop.id);
		expect(stored.ratings.filter((r) => r.riskPointId === first).map((r) => [r.round, r.likelihood, r.consequence])).toEqual([
			[1, 5, 4],
			[2, 5, 4]
		]);
	});
});
