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
		// not "answer both" any more: a button that would send it now (the script will, once it runs)
		expect(await page.getByRole('button', { name: 'Lagre svaret' }).isVisible()).toBe(true);
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

		// joined over the socket: the next visit is rendered on the server, before any script, at the
		// first point not answered (where the script would start)
		const later = await phoneWithHeldScripts();
		await later.context.addCookies(await phone.cookies());
		await later.page.goto(`${server.url}/join/${workshop.joinCode}`, { waitUntil: 'commit' });
		await later.page.getByRole('heading', { name: POINTS[1] }).waitFor();
		await later.page.getByText('1 av 3 punkter vurdert').waitFor();
		await later.context.close();

		// the facilitator leads, on the answered point: its stored answer is checked in the page as sent
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { pacing: 'facilitator', currentRiskPointId: first } });
		const again = await phoneWithHeldScripts();
		await again.context.addCookies(await phone.cookies());
		await again.page.goto(`${server.url}/join/${workshop.joinCode}`, { waitUntil: 'commit' });
		await again.page.getByRole('heading', { name: POINTS[0] }).waitFor();
		const held = again;
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

	it('sends an answer as a form when the script is slow: saved once, and not sent again when the script comes', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Vestfold og Telemark' });
		const [first] = workshop.riskPointIds as [string];
		const { page, context, release } = await phoneWithHeldScripts();
		await page.goto(`${server.url}/join/${workshop.joinCode}`, { waitUntil: 'commit' });
		await page.getByRole('button', { name: 'Start' }).click();
		await page.getByRole('heading', { name: POINTS[0] }).waitFor();
		// one scale only: no button yet
		await likelihood(page, 2).check();
		expect(await page.getByRole('button', { name: 'Lagre svaret' }).isVisible()).toBe(false);
		await consequence(page, 5).check();
		await page.getByRole('button', { name: 'Lagre svaret' }).click();
		await page.getByText('Svaret på R1 er lagret ✓').waitFor();
		// on to the next point, the first one marked done, its answer stored once
		await page.getByRole('heading', { name: POINTS[1] }).waitFor();
		const stored = async () => (await storedWorkshop(server.dataDir, workshop.id)).ratings.map(({ riskPointId, likelihood, consequence }) => ({ riskPointId, likelihood, consequence }));
		expect(await stored()).toEqual([{ riskPointId: first, likelihood: 2, consequence: 5 }]);
		expect(page.url()).toContain('?/rate');
		await release();
		await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
		await page.getByRole('status').filter({ hasText: /^Tilkoblet$/ }).waitFor();
		// the address without the form's action (a reload does not send it again), and nothing sent twice
		expect(new URL(page.url()).search).toBe('');
		expect(await stored()).toEqual([{ riskPointId: first, likelihood: 2, consequence: 5 }]);
		await context.close();
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
		// and answers, by the form
		await likelihood(page, 1).check();
		await page.getByRole('group', { name: 'Konsekvens' }).getByRole('radio', { name: /^\? – |Vet ikke/ }).check();
		await page.getByRole('button', { name: 'Lagre svaret' }).click();
		await page.getByText('Svaret på R1 er lagret ✓').waitFor();
		expect((await storedWorkshop(server.dataDir, workshop.id)).ratings.map(({ likelihood, consequence }) => ({ likelihood, consequence }))).toEqual([{ likelihood: 1, consequence: null }]);
		// and moves between points: on to the next not answered, back by its chip, on again by Neste
		await page.getByRole('heading', { name: POINTS[1] }).waitFor();
		await page.getByRole('button', { name: /^R1/ }).click();
		await page.getByRole('heading', { name: POINTS[0] }).waitFor();
		expect(await likelihood(page, 1).isChecked()).toBe(true);
		await page.getByRole('button', { name: 'Neste' }).click();
		await page.getByRole('heading', { name: POINTS[1] }).waitFor();

		const removed = await call(server.url, `/api/workshops/${workshop.id}/members/${participant!.id}`, { method: 'DELETE', key: workshop.facilitatorKey });
		expect(removed.status).toBe(204);
		await page.reload();
		await page.getByRole('button', { name: 'Start' }).waitFor();
		expect(await context.cookies()).toEqual([]);
		await context.close();
	});

	it('says what to fix when a form is refused: a name over the limit, a rating without the cookie or off the scale, a closed join', async () => {
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

		// a rating form: without the cookie, with one scale only, with a level off the scale
		const cookie = joined.headers.get('set-cookie')!.split(';')[0]!;
		const [point] = workshop.riskPointIds as [string];
		const rate = (fields: Record<string, string>, withCookie = true) =>
			fetch(`${server.url}/join/${workshop.joinCode}?/rate`, {
				method: 'POST',
				headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'nb', ...(withCookie ? { cookie } : {}) },
				body: new URLSearchParams({ point, ...fields }),
				redirect: 'manual'
			});
		const noCookie = await rate({ [`likelihood-${point}`]: '3', [`consequence-${point}`]: '3' }, false);
		expect(noCookie.status).toBe(403);
		expect(await noCookie.text()).toContain('Du er ikke med i workshopen fra denne nettleseren. Trykk Start for å bli med.');
		const oneScale = await rate({ [`likelihood-${point}`]: '3' });
		expect(oneScale.status).toBe(400);
		expect(await oneScale.text()).toContain('Velg både sannsynlighet og konsekvens');
		const offScale = await rate({ [`likelihood-${point}`]: '9', [`consequence-${point}`]: '3' });
		expect(offScale.status).toBe(400);
		expect(await offScale.text()).toContain('Sannsynlighet må være et helt tall fra 1 til 5');
		expect((await storedWorkshop(server.dataDir, workshop.id)).ratings).toEqual([]);
		const good = await rate({ [`likelihood-${point}`]: '3', [`consequence-${point}`]: 'dont-know' });
		expect(good.status).toBe(200);
		expect(await good.text()).toContain('Svaret på R1 er lagret ✓');
		expect((await storedWorkshop(server.dataDir, workshop.id)).ratings.map(({ likelihood, consequence }) => ({ likelihood, consequence }))).toEqual([{ likelihood: 3, consequence: null }]);

		// removed by the facilitator: said so, and nothing more stored (an anonymous workshop keeps the answers given)
		const [ola] = (await storedWorkshop(server.dataDir, workshop.id)).participants;
		expect((await call(server.url, `/api/workshops/${workshop.id}/members/${ola!.id}`, { method: 'DELETE', key: workshop.facilitatorKey })).status).toBe(204);
		const afterRemoval = await rate({ [`likelihood-${point}`]: '5', [`consequence-${point}`]: '5' });
		expect(afterRemoval.status).toBe(403);
		expect(await afterRemoval.text()).toContain('Fasilitatoren har fjernet deg fra workshopen');
		expect((await storedWorkshop(server.dataDir, workshop.id)).ratings.map(({ likelihood, consequence }) => ({ likelihood, consequence }))).toEqual([{ likelihood: 3, consequence: null }]);

		const closed = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { joinClosed: true } });
		expect(closed.status).toBe(200);
		const refused = await form('Per');
		expect(refused.status).toBe(409);
		expect(await refused.text()).toContain('Workshopen tar ikke imot nye deltakere. Snakk med møteleder.');
		expect((await storedWorkshop(server.dataDir, workshop.id)).participants).toHaveLength(1);
	});
});
