/**
 * A workshop by consequence type (DSB's method, issue 27) in the browser: a member on a phone
 * (360x740) rates the likelihood once and each of the five types on one screen per event, every
 * type reachable without scrolling sideways; the answer is one rating with every type; the console
 * shows each type's distribution and records the knowledge base; the projector shows the types
 * beside the likelihood once revealed. Every screen is checked with axe.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedScreenshot, launchChromium, newPage, PHONE, LAPTOP } from '../helpers/browser';
import { call, createWorkshop, joinAsMember, projectorPath } from '../helpers/clients';
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

const TYPES = ['Liv og helse', 'Natur og kulturmiljø', 'Økonomi', 'Samfunnsstabilitet', 'Styringsevne'];
const EVENTS = ['Langvarig bortfall av strøm i store deler av fylket', 'Flom i byen etter ekstremnedbør', 'Skogbrann nær bebyggelse'];

/** The radio of a level (or "Vet ikke" / "Ikke relevant") in a named group. */
const option = (page: Page, group: string, choice: RegExp) => page.getByRole('group', { name: group, exact: true }).getByRole('radio', { name: choice });

describe('a workshop by consequence type', () => {
	it('lets a member on a phone rate the likelihood and every type of an event on one screen, and the console and projector show each type', async () => {
		const workshop = await createWorkshop(server.url, EVENTS, { title: 'FylkesROS Testfylke', method: 'perType', anonymous: false });
		const key = { key: workshop.facilitatorKey };
		// two members on their own (sockets), so the third answer makes a group
		const others = [await joinAsMember(server.url, workshop.joinCode, { name: 'A' }), await joinAsMember(server.url, workshop.joinCode, { name: 'B' })];
		for (const [m, member] of others.entries()) {
			const ack = await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 4 + m, consequence: null, types: [3 + m, 'na', 3, 4, m ? null : 2] });
			expect(ack).toMatchObject({ ok: true });
		}

		const phone = await newPage(browser, PHONE);
		await phone.goto(`${server.url}/join/${workshop.joinCode}`);
		await phone.getByLabel('Navn (valgfritt)').fill('Kari');
		await phone.getByRole('button', { name: /Start/ }).click();
		await phone.getByRole('group', { name: /Sannsynlighet/ }).waitFor();
		// one event per screen: the likelihood once, then each type with its own guidance
		await phone.getByRole('heading', { name: EVENTS[0] }).waitFor();
		expect(await phone.getByRole('heading', { name: EVENTS[1] }).count()).toBe(0);
		for (const name of TYPES) await phone.getByRole('group', { name, exact: true }).waitFor();
		await phone.getByText('5–25 dødsfall').waitFor();
		await phone.getByText('Oftere enn én gang i løpet av 10 år', { exact: false }).waitFor();
		// nothing sideways: every type and option within the screen's width
		expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		for (const name of TYPES) {
			const box = await phone.getByRole('group', { name, exact: true }).boundingBox();
			expect(box!.x + box!.width, name).toBeLessThanOrEqual(360);
		}
		await checkedScreenshot(phone, 'by-type-phone-before');

		await option(phone, 'Sannsynlighet', /D Høy/).check();
		await phone.getByText('1 av 6 svart', { exact: false }).waitFor();
		const choices: [string, RegExp][] = [
			['Liv og helse', /Middels/],
			['Natur og kulturmiljø', /Ikke relevant/],
			['Økonomi', /Store/],
			['Samfunnsstabilitet', /^4/],
			['Styringsevne', /Vet ikke/]
		];
		for (const [group, choice] of choices) await option(phone, group, choice).first().check();
		await phone.getByText('Lagret ✓').first().waitFor();
		// one rating with every type, the overall combined by the server: (3 + 4 + 4) / 3 = 3.67 -> 4
		const json = await call(server.url, `/api/workshops/${workshop.id}/export.json`, key);
		const first = json.body.riskPoints.find((point: { id: string }) => point.id === workshop.riskPointIds[0]);
		expect(first.responses).toBe(3);
		expect(first.types[1]).toMatchObject({ notRelevant: 3, relevant: false });
		expect(first.types[0].counts).toEqual([0, 0, 2, 1, 0]);
		await checkedScreenshot(phone, 'by-type-phone-answered');

		// the console: each type's answers, and the knowledge base of the event
		const console = await newPage(browser, LAPTOP);
		await console.goto(`${server.url}/facilitate/${workshop.id}#key=${workshop.facilitatorKey}`);
		const table = console.getByRole('table', { name: /konsekvenstype/ });
		await table.waitFor();
		await table.getByRole('row', { name: /Liv og helse/ }).waitFor();
		expect(await table.getByRole('row', { name: /Natur og kulturmiljø/ }).textContent()).toContain('Ikke relevant for hendelsen');
		const base = console.locator('form.knowledge-base');
		await base.getByRole('group', { name: /Liv og helse/ }).getByLabel('Data og erfaring').selectOption('1');
		await base.getByRole('group', { name: /Liv og helse/ }).getByLabel('Forståelse av fenomenet').selectOption('2');
		// the agreement computed from the answers: 3, 4, 3 all within one of the median: strong
		await base.getByRole('group', { name: /Liv og helse/ }).getByText('Fra svarene: Sterkt', { exact: false }).waitFor({ state: 'attached' });
		await base.getByRole('group', { name: /Liv og helse/ }).getByText('Usikkerhet: Lav (1,3)').waitFor();
		await console.getByText('samlet konsekvens', { exact: false }).first().waitFor();
		await base.getByLabel('Sensitivitet', { exact: false }).fill('Varighet over en uke');
		await base.getByRole('button', { name: 'Lagre kunnskapsgrunnlaget' }).click();
		await base.getByText('Kunnskapsgrunnlaget er lagret.').waitFor();
		await checkedScreenshot(console, 'by-type-console');
		const stored = await call(server.url, `/api/workshops/${workshop.id}/export.json`, key);
		expect(stored.body.riskPoints.find((point: { id: string }) => point.id === workshop.riskPointIds[0]).uncertainty).toMatchObject({ types: [4 / 3, null, null, null, null], event: 4 / 3 });

		// the projector, after the reveal: the types beside the likelihood, on one screen
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', ...key, json: { pacing: 'facilitator', currentRiskPointId: workshop.riskPointIds[0], revealed: [workshop.riskPointIds[0]] } });
		const projector = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
		await projector.goto(server.url + (await projectorPath(server.url, workshop)));
		const shown = projector.getByRole('table', { name: /konsekvenstype/ });
		await shown.waitFor();
		for (const name of TYPES) await shown.getByRole('rowheader', { name: new RegExp(name) }).waitFor();
		expect(await projector.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1)).toBe(true);
		await checkedScreenshot(projector, 'by-type-projector');
		// and the member sees the panel's answers per type
		await phone.getByRole('table', { name: /konsekvenstype/ }).waitFor();
		// a second round: the member's own answer per type, and one tap keeps it
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', ...key, json: { newRound: [workshop.riskPointIds[0]] } });
		await phone.getByText('Per type: Liv og helse 3, Natur og kulturmiljø ikke relevant, Økonomi 4, Samfunnsstabilitet 4, Styringsevne vet ikke.', { exact: false }).waitFor();
		await phone.getByRole('button', { name: /Behold svaret/ }).click();
		const roundTwo = async () => (await call(server.url, `/api/workshops/${workshop.id}/export.json`, key)).body.riskPoints.find((point: { id: string }) => point.id === workshop.riskPointIds[0]).rounds[1];
		await expect.poll(async () => (await roundTwo())?.responses).toBe(1);
		expect((await roundTwo()).types.map((type: { counts: number[]; notRelevant: number; abstained: number }) => [type.counts.indexOf(1) + 1, type.notRelevant, type.abstained])).toEqual([
			[3, 0, 0],
			[0, 1, 0],
			[4, 0, 0],
			[4, 0, 0],
			[0, 0, 1]
		]);
		await checkedScreenshot(phone, 'by-type-phone-round-2');
		for (const member of others) member.socket.close();
	}, 120_000);

	it('lets the facilitator change the types, their guidance and the rule before the first answer', async () => {
		const workshop = await createWorkshop(server.url, EVENTS, { title: 'FylkesROS Typer', method: 'perType', open: false });
		const console = await newPage(browser, LAPTOP);
		await console.goto(`${server.url}/facilitate/${workshop.id}#key=${workshop.facilitatorKey}`);
		await console.getByRole('tab', { name: 'Innstillinger' }).click();
		const editor = console.getByRole('group', { name: 'Konsekvenstyper' });
		await editor.waitFor();
		await editor.getByRole('radio', { name: /den høyeste typen/ }).check();
		await editor.getByLabel('Liv og helse, veiledning for nivå 5').fill('Over 100 dødsfall');
		// each type's details open from its name
		await editor.locator('summary', { hasText: 'Styringsevne' }).click();
		await editor.getByRole('button', { name: 'Fjern «Styringsevne»' }).click();
		await editor.getByRole('button', { name: 'Legg til en type' }).click();
		await editor.locator('summary', { hasText: 'Ny type 5' }).click();
		await editor.getByLabel('Navn').last().fill('Kritisk infrastruktur');
		await checkedScreenshot(console, 'by-type-settings');
		await console.getByRole('button', { name: 'Lagre innstillingene' }).click();
		await expect
			.poll(async () => (await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).body.consequenceTypes)
			.toMatchObject({ rule: 'highest', types: [{ name: 'Liv og helse', scale: { descriptions: ['', '', '5–25 dødsfall', '', 'Over 100 dødsfall'] } }, {}, {}, {}, { name: 'Kritisk infrastruktur' }] });
		const types = (await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).body.consequenceTypes.types;
		expect(types.map((type: { name: string }) => type.name)).toEqual(['Liv og helse', 'Natur og kulturmiljø', 'Økonomi', 'Samfunnsstabilitet', 'Kritisk infrastruktur']);
	}, 120_000);

	it('without any script: a member answers every type by the form, and "Lagre svaret" shows only once every scale has an answer', async () => {
		const workshop = await createWorkshop(server.url, EVENTS, { title: 'FylkesROS Uten skript', method: 'perType', anonymous: false });
		const context = await browser.newContext({ ...PHONE, locale: 'nb-NO', javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${server.url}/join/${workshop.joinCode}`);
		await page.getByRole('button', { name: 'Start' }).click();
		await page.getByRole('heading', { name: EVENTS[0] }).waitFor();
		const save = page.getByRole('button', { name: 'Lagre svaret' });
		await option(page, 'Sannsynlighet', /C Middels/).check();
		for (const name of TYPES.slice(0, 4)) await option(page, name, /^2/).check();
		// one type still without an answer: no button yet
		expect(await save.isVisible()).toBe(false);
		await option(page, 'Styringsevne', /Ikke relevant/).check();
		await save.click();
		await page.getByText('Svaret på R1 er lagret ✓').waitFor();
		const json = await call(server.url, `/api/workshops/${workshop.id}/export.json`, { key: workshop.facilitatorKey });
		const first = json.body.riskPoints.find((point: { id: string }) => point.id === workshop.riskPointIds[0]);
		expect(first.types.map((type: { counts: number[]; notRelevant: number }) => [type.counts[1], type.notRelevant])).toEqual([[1, 0], [1, 0], [1, 0], [1, 0], [0, 1]]);
		expect(first.consequence.mean).toBe(2);
		await context.close();
	}, 120_000);
	it("lists an office's template by type as such on the front page, and choosing it chooses consequence per type", async () => {
		const created = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'FylkesROS 2026', method: 'perType', riskPoints: EVENTS.map((text) => ({ text })) } })).body;
		const template = (await call(server.url, `/api/assessments/${created.id}/template`, { method: 'POST', key: created.ownerKey, json: { title: 'FylkesROS-mal' } })).body;
		const page = await newPage(browser, LAPTOP);
		// this browser holds the owner key (as after opening the owner's link)
		await page.goto(`${server.url}/assessments/${created.id}#key=${created.ownerKey}`);
		await page.getByRole('heading', { name: 'FylkesROS 2026' }).waitFor();
		await page.goto(`${server.url}/`);
		const form = page.locator('section[aria-labelledby="assessment-heading"]');
		const choice = form.getByLabel('Start fra mal (valgfritt)');
		await choice.waitFor();
		expect(await choice.getByRole('option').allTextContents()).toContain('FylkesROS-mal (3 punkter, konsekvens per type)');
		expect(await form.getByRole('radio', { name: /Én konsekvens/ }).isChecked()).toBe(true);
		await choice.selectOption(template.id);
		expect(await form.getByRole('radio', { name: /Konsekvens per type/ }).isChecked()).toBe(true);
		await checkedScreenshot(page, 'by-type-template-choice');
	});
});
