/**
 * The facilitator's console at 1280x720 (issue 14, items 2, 3 and 6): the current point, its answer
 * count and the reveal button fit without scrolling the page; the shortcuts work; a reveal can be
 * undone; the timer shows the round when it runs out; auto-reveal when everyone has answered.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedScreenshot as screenshot, inkOn, launchChromium, newPage as openPage } from '../helpers/browser';
import { call, createWorkshop, joinAsMember, until, type Member } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';
import type { MemberWorkshopView } from '../../src/lib/protocol';

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

const POINTS = Array.from({ length: 40 }, (_, i) => `Risikopunkt ${i + 1}: ${['barnas behov kartlegges ikke', 'vedtak begrunnes ikke godt nok', 'nødhjelp gis ikke samme dag', 'oppfølgingen etter vedtak mangler'][i % 4]}`);

/** True when the element is wholly inside the viewport. */
const inViewport = (page: Page, selector: string) =>
	page.locator(selector).first().evaluate((element) => {
		const box = element.getBoundingClientRect();
		return box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth && box.height > 0;
	});

/**
 * Waits until a button is there and enabled: the console takes no action while one is under way
 * (its buttons are disabled and its shortcuts ignored until the server has answered), and on a
 * busy machine the view can show the result before that answer has come.
 */
async function ready(button: Locator) {
	await button.waitFor();
	await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true);
}

describe('the facilitator console', () => {
	it('fits 1280x720 with the current point in view, and runs the session from the keyboard', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Vestland', pacing: 'facilitator', anonymous: true });
		const [first, second] = workshop.riskPointIds as [string, string];
		const members: Member[] = [];
		for (let i = 0; i < 12; i++) members.push(await joinAsMember(server.url, workshop.joinCode));
		for (const [i, member] of members.slice(0, 9).entries()) {
			await member.socket.emitWithAck('rate', { riskPointId: first, likelihood: 1 + (i % 5), consequence: 2 + (i % 4) });
		}

		const page = await openPage(browser, { viewport: { width: 1280, height: 720 } });
		await page.goto(`${server.url}/facilitate/${workshop.id}#key=${workshop.facilitatorKey}`);
		await page.getByRole('button', { name: 'Vis fordelingen for alle' }).waitFor();
		await page.getByText('9 av 12 har svart').waitFor();
		// anonymous: how many have not answered, no names
		await page.getByText('Har ikke svart: 3 deltakere').waitFor();

		// no page scroll; the point, its count, the buttons and the distribution's start are on screen
		expect(await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight)).toBe(true);
		for (const selector of ['.point-text', '.answered', '.actions', '.elicit .distribution']) {
			expect(await inViewport(page, selector), selector).toBe(true);
		}
		await expect.poll(() => page.getByText('Hurtigtaster:').isVisible()).toBe(true);
		// the tabs are on screen too
		for (const tab of ['Punkter', 'Resultater', 'Matrise', 'Deltakere', 'Invitasjon', 'Innstillinger']) {
			expect(await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).isVisible(), tab).toBe(true);
		}
		// opened at 127.0.0.1: a warning that members cannot reach it, with the machine's address to use
		await page.getByText('Deltakerne kan ikke nå denne adressen.').waitFor();
		await screenshot(page, 'console-1280');

		// R reveals; the members see it; H takes it back
		const shown = until<MemberWorkshopView>(members[0]!.socket, 'workshop', (view) => (view.revealed[first] ?? []).length > 0);
		await page.locator('body').press('r');
		await ready(page.getByRole('button', { name: 'Skjul fordelingen igjen' }));
		await shown;
		const hidden = until<MemberWorkshopView>(members[0]!.socket, 'workshop', (view) => !view.revealed[first]);
		await page.locator('body').press('h');
		await ready(page.getByRole('button', { name: 'Vis fordelingen for alle' }));
		await hidden;

		// → to the next point, ← back; the members follow
		const moved = until<MemberWorkshopView>(members[0]!.socket, 'workshop', (view) => view.currentRiskPointId === second);
		await page.locator('body').press('ArrowRight');
		await page.getByRole('heading', { name: POINTS[1] }).waitFor();
		await moved;
		await page.locator('body').press('ArrowLeft');
		await page.getByRole('heading', { name: POINTS[0] }).waitFor();

		// N: a new round of this point (the first is shown as feedback)
		await page.locator('body').press('n');
		await page.getByText('R1 · Runde 2').waitFor();

		// typing in a field is not a shortcut
		await page.getByRole('tab', { name: 'Innstillinger' }).click();
		const title = page.getByLabel('Tittel', { exact: true });
		await title.press('End');
		await title.press('r');
		await page.getByRole('button', { name: 'Vis fordelingen for alle' }).waitFor();
		await page.getByRole('tab', { name: /^Punkter/ }).click();

		// auto-reveal: when all twelve connected have answered round 2, it shows by itself
		await page.getByLabel('Vis når alle tilkoblede har svart').check();
		await expect.poll(() => page.getByLabel('Vis når alle tilkoblede har svart').isChecked()).toBe(true);
		// the setting has reached the server before the answers come in
		await expect.poll(async () => (await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).body.autoReveal).toBe(true);
		for (const member of members) {
			const ack = await member.socket.emitWithAck('rate', { riskPointId: first, likelihood: 3, consequence: 3 });
			expect(ack, 'round 2 answer').toMatchObject({ ok: true });
		}
		// the server shows the round by itself; then the console does (failed twice in a full suite on
		// 5 December, never alone: the server's state is printed if it happens again)
		await expect
			.poll(async () => ((await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).body.revealed?.[first] ?? []).map((shown: { round: number }) => shown.round), {
				timeout: 30_000,
				message: 'the server revealed round 2 by itself'
			})
			.toContain(2)
			.catch(async (error: unknown) => {
				const view = (await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).body;
				console.error('auto-reveal did not happen:', JSON.stringify({ autoReveal: view.autoReveal, pacing: view.pacing, current: view.currentRiskPointId, rounds: view.rounds, revealed: view.revealed, presence: view.presence }));
				throw error;
			});
		await page.getByRole('button', { name: 'Skjul fordelingen igjen' }).waitFor();
		await page.getByLabel('Vis når alle tilkoblede har svart').uncheck();

		// round 1 beside round 2 in the results, drawn with chart.js, its figures as a table
		await page.getByRole('tab', { name: 'Resultater' }).click();
		const rounds = page.getByRole('img', { name: 'Runde 1 ved siden av siste runde' });
		await rounds.scrollIntoViewIfNeeded();
		await expect.poll(() => inkOn(rounds), { timeout: 20_000 }).toBeGreaterThan(1000);
		await page.getByText('Vis tallene i grafen som tabell').click();
		const roundRows = page.locator('table[data-chart="chart-rounds"] tbody tr');
		await expect.poll(() => roundRows.count()).toBe(1);
		const cells = (await roundRows.first().locator('th, td').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
		// round 1: nine answers, L 1-5 and C 2-5 in turn (mean 2.78 x 3.33 = 9.26); round 2: all twelve gave 3 and 3
		expect(cells.slice(0, 4)).toEqual(['R1', POINTS[0], '9,26', '9,00 (Runde 2)']);
		await rounds.scrollIntoViewIfNeeded();
		await screenshot(page, 'console-rounds-chart', { fullPage: false });
		await page.getByRole('tab', { name: /^Punkter/ }).click();
		// the arrows move between tabs while a tab has the focus: leave it, as a facilitator clicks on the page
		await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
		// (the checkbox keeps the focus: the shortcuts work from a checkbox, which has no use for the keys)

		// the timer: 30 s counting down on the next point; the facilitator can stop it
		await page.locator('body').press('ArrowRight');
		await page.getByRole('heading', { name: POINTS[1] }).waitFor();
		await page.getByLabel('Tid per punkt').selectOption('30');
		const clock = page.getByRole('timer');
		await clock.waitFor();
		expect(await clock.textContent()).toMatch(/^0:(30|29|28)$/);
		await page.getByRole('button', { name: 'Stopp tiden' }).click();
		await clock.waitFor({ state: 'detached' });

		// when the time is up the round is shown by itself: a 2-second timer (set through the API; the page offers 30 s and up)
		const timedOut = until<MemberWorkshopView>(members[0]!.socket, 'workshop', (view) => (view.revealed[second] ?? []).length > 0);
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { pointSeconds: 2, timer: 'start' } });
		// (a 2 s countdown may come and go between two looks of a loaded machine: the reveal is what counts)
		await page.getByRole('button', { name: 'Skjul fordelingen igjen' }).waitFor({ timeout: 10_000 });
		await timedOut;
		expect(await page.getByRole('timer').count()).toBe(0);
		for (const member of members) member.socket.disconnect();
	});

	it('deletes the workshop from the settings tab in two steps, goes to the start page, and this browser forgets its key', async () => {
		const workshop = await createWorkshop(server.url, POINTS.slice(0, 2), { title: 'Skal slettes' });
		const page = await openPage(browser, { viewport: { width: 1280, height: 800 } });
		await page.goto(`${server.url}/facilitate/${workshop.id}#key=${workshop.facilitatorKey}`);
		await page.getByRole('tab', { name: 'Innstillinger' }).click();
		await page.getByRole('button', { name: 'Slett workshopen' }).click();
		await page.getByRole('button', { name: 'Ja, slett for godt' }).click();
		await page.waitForURL(`${server.url}/`);
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).status).toBe(404);
		expect(await page.evaluate((id) => localStorage.getItem(`risikoverksted:facilitator:${id}`), workshop.id)).toBeNull();
		await page.context().close();
	});
});
