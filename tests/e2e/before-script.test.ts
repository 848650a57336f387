/**
 * A member on a slow line (issue 26, item 1): the join page and the rating screen come whole
 * from the server, so a member can join and answer before the page's script has arrived. The
 * join form is sent as a form; answers tapped before the script ran are picked up when it has,
 * and reach the server once. Without script at all, the member can still join and read the point.
 */
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, launchChromium } from '../helpers/browser';
import { call, createWorkshop } from '../helpers/clients';
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

const POINTS = ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag', 'Vedtak er mangelfullt begrunnet'];
const likelihood = (page: Page, level: number) => page.getByRole('group', { name: 'Sannsynlighet' }).getByRole('radio', { name: new RegExp(`^${level} – `) });
const consequence = (page: Page, level: number) => page.getByRole('group', { name: 'Konsekvens' }).getByRole('radio', { name: new RegExp(`^${level} – `) });
const status = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });

/** A phone whose page scripts are held back until `release()`: the page is as it came from the server. */
async function phoneWithHeldScripts() {
	const context = await browser.newContext({ ...PHONE, locale: 'nb-NO' });
	const page = await context.newPage();
	const held: Route[] = [];
	let holding = true;
	await page.route(/\/_app\/immutable\/.*\.js$/, (route) => (holding ? held.push(route) : route.continue()));
	return {
		page,
		context,
		release: async () => {
			holding = false;
			for (const route of held.splice(0)) await route.continue();
		}
	};
}

describe('the member page before its script has run', () => {
	it('joins by the form and shows the rating screen from the server; answers tapped then are sent once when the script is up', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Agder' });
		const [first] = workshop.riskPointIds as [string];
		const { page, context, release } = await phoneWithHeldScripts();
		await page.goto(`${server.url}/join/${workshop.joinCode}`, { waitUntil: 'commit' });
		await page.getByLabel('Navn (valgfritt)').fill('Kari');
		await page.getByRole('button', { name: 'Start' }).click();
		// the rating screen, from the server, with no script run yet
		await page.getByRole('heading', { name: POINTS[0] }).waitFor();
		expect(await page.evaluate(() => document.documentElement.dataset.hydrated ?? null)).toBeNull();
		const member = (await storedWorkshop(server.dataDir, workshop.id)).participants;
		expect(member.map((participant) => participant.name)).toEqual(['Kari']);
		expect(await page.getByText('Svar på begge skalaene for å lagre.').isVisible()).toBe(true);
		await likelihood(page, 4).check();
		await consequence(page, 2).check();
		// the screen says the answer is kept, not "answer both"
		expect(await page.getByText('Svaret er tatt vare på og lagres når siden er klar.').isVisible()).toBe(true);
		expect(await page.getByText('Svar på begge skalaene for å lagre.').isVisible()).toBe(false);
		expect((await storedWorkshop(server.dataDir, workshop.id)).ratings).toEqual([]);

		await release();
		await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
		await expect.poll(() => status(page, 'Lagret ✓').count()).toBe(1);
		// the taps are still shown after hydration, and stored once
		expect(await likelihood(page, 4).isChecked()).toBe(true);
		expect(await consequence(page, 2).isChecked()).toBe(true);
		const ratings = (await storedWorkshop(server.dataDir, workshop.id)).ratings;
		expect(ratings.map(({ riskPointId, likelihood, consequence }) => ({ riskPointId, likelihood, consequence }))).toEqual([{ riskPointId: first, likelihood: 4, consequence: 2 }]);
		expect((await storedWorkshop(server.dataDir, workshop.id)).participants).toHaveLength(1);
		await context.close();
	});

	it('comes back to the rating screen from the server after a reload, with the stored answer checked; a tap on one scale then keeps the other', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Rogaland' });
		const [first] = workshop.riskPointIds as [string];
		const phone = await browser.newContext({ ...PHONE, locale: 'nb-NO' });
		const page = await phone.newPage();
		await page.goto(`${server.url}/join/${workshop.joinCode}`);
		await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
		await page.getByRole('button', { name: 'Start' }).click();
		await likelihood(page, 3).check();
		await consequence(page, 3).check();
		await expect.poll(() => status(page, 'Lagret ✓').count()).toBe(1);
		await page.close();

		// joined over the socket: the next visit is rendered on the server, before any script
		const held = await phoneWithHeldScripts();
		await held.context.addCookies(await phone.cookies());
		await held.page.goto(`${server.url}/join/${workshop.joinCode}`, { waitUntil: 'commit' });
		await held.page.getByRole('heading', { name: POINTS[0] }).waitFor();
		expect(await likelihood(held.page, 3).isChecked()).toBe(true);
		await consequence(held.page, 5).check();
		await held.release();
		await held.page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
		await expect.poll(async () => (await storedWorkshop(server.dataDir, workshop.id)).ratings.find((rating) => rating.riskPointId === first)?.consequence).toBe(5);
		const ratings = (await storedWorkshop(server.dataDir, workshop.id)).ratings;
		expect(ratings.map(({ likelihood, consequence }) => ({ likelihood, consequence }))).toEqual([{ likelihood: 3, consequence: 5 }]);
		expect((await storedWorkshop(server.dataDir, workshop.id)).participants).toHaveLength(1);
		await held.context.close();
		await phone.close();
	});

	it('without any script: joins, reads the point, and a removed member gets the join form back', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Troms og Finnmark' });
		const context = await browser.newContext({ ...PHONE, locale: 'nb-NO', javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${server.url}/join/${workshop.joinCode}`);
		await page.getByLabel('Navn (valgfritt)').fill('x'.repeat(61));
		// the field's own limit keeps the name at 60; the server says so if it gets more
		await page.getByRole('button', { name: 'Start' }).click();
		await page.getByRole('heading', { name: POINTS[0] }).waitFor();
		const [participant] = (await storedWorkshop(server.dataDir, workshop.id)).participants;
		expect(participant?.name).toBe('x'.repeat(60));

		const removed = await call(server.url, `/api/workshops/${workshop.id}/members/${participant!.id}`, { method: 'DELETE', key: workshop.facilitatorKey });
		expect(removed.status).toBe(204);
		await page.reload();
		await page.getByRole('button', { name: 'Start' }).waitFor();
		expect(await context.cookies()).toEqual([]);
		await context.close();
	});

	it('says what to fix when the form is refused: a name over the limit, a closed join', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Innlandet' });
		const form = (name: string) =>
			fetch(`${server.url}/join/${workshop.joinCode}?/join`, {
				method: 'POST',
				headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'nb' },
				body: new URLSearchParams({ name }),
				redirect: 'manual'
			});
		const tooLong = await form('x'.repeat(61));
		expect(tooLong.status).toBe(400);
		expect(await tooLong.text()).toContain('Navnet kan ha høyst 60 tegn');
		expect((await storedWorkshop(server.dataDir, workshop.id)).participants).toEqual([]);
		const joined = await form('Ola');
		expect(joined.status).toBe(200);
		expect(await joined.text()).toContain('Sannsynlighet');
		expect(joined.headers.get('set-cookie')).toMatch(/^rv_member=[^;]+; Max-Age=2592000; Path=\/join\/\w+; SameSite=Lax/i);
		// a made-up token in the cookie is not a member: the page is the join form, and nothing is made
		const page = await fetch(`${server.url}/join/${workshop.joinCode}`, { headers: { cookie: 'rv_member=made-up', 'accept-language': 'nb' } });
		expect(await page.text()).toContain('Start');
		expect((await storedWorkshop(server.dataDir, workshop.id)).participants.map((participant) => participant.name)).toEqual(['Ola']);

		const closed = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { joinClosed: true } });
		expect(closed.status).toBe(200);
		const refused = await form('Per');
		expect(refused.status).toBe(409);
		expect(await refused.text()).toContain('Workshopen tar ikke imot nye deltakere. Snakk med møteleder.');
		expect((await storedWorkshop(server.dataDir, workshop.id)).participants).toHaveLength(1);
	});
});
