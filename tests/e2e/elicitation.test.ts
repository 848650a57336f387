import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, PHONE, checkedScreenshot as screenshot, launchChromium, newPage as openPage } from '../helpers/browser';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;

const newPage = (options: object) => openPage(browser, options);

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

const POINTS = [
	'Barnas behov blir ikke tilstrekkelig kartlagt',
	'Nødhjelp gis ikke samme dag',
	'Vedtak om økonomisk stønad er mangelfullt begrunnet'
];
const PROJECTOR_BIG = { viewport: { width: 1920, height: 1080 } };
const PROJECTOR_SMALL = { viewport: { width: 1280, height: 720 } };

async function rate(page: Page, likelihood: number, consequence: number) {
	await page.getByRole('group', { name: 'Sannsynlighet' }).getByRole('radio', { name: new RegExp(`^${likelihood} – `) }).check();
	await page.getByRole('group', { name: 'Konsekvens' }).getByRole('radio', { name: new RegExp(`^${consequence} – `) }).check();
	await expect.poll(() => page.getByRole('status').filter({ hasText: 'Lagret ✓' }).count()).toBe(1);
}

// one session, step by step: each step starts where the one before left the pages
describe('facilitator-paced elicitation in the browser', () => {
	let facilitator: Page;
	let projector: Page;
	let phone: Page;
	let laptop: Page;
	let joinCode = '';
	let projectorPath = '';

	it('opens a workshop that also asks how strong the knowledge is', async () => {
		facilitator = await newPage({ viewport: { width: 1440, height: 900 } });
		await facilitator.goto(server.url);
		await facilitator.getByLabel('Tittel', { exact: true }).fill('Statsforvalteren i Vestland');
		await facilitator.getByRole('button', { name: 'Opprett workshop' }).click();
		await facilitator.getByRole('heading', { name: 'Statsforvalteren i Vestland' }).waitFor();
		await facilitator.getByLabel('Lim inn risikopunkter').fill(POINTS.join('\n'));
		await facilitator.getByRole('button', { name: 'Erstatt listen' }).click();
		await facilitator.getByText('Listen er lagret (3 punkter).').waitFor();
		await facilitator.getByRole('button', { name: 'Åpne for vurdering' }).click();
		await facilitator.getByLabel('Møteleder styrer').check();
		await facilitator.getByRole('button', { name: 'Vis fordelingen for alle' }).waitFor();
		// the third, optional question: how strong the knowledge behind each answer is
		await facilitator.getByRole('tab', { name: 'Innstillinger' }).click();
		await facilitator.getByLabel('Spør også hvor sterk kunnskapen bak hvert svar er').check();
		// a panel of two, Ola by name: a named workshop (an anonymous one shows no numbers below three answers)
		await facilitator.getByLabel('Med navn: hvem som er tilkoblet og hvem som ikke har svart').check();
		await facilitator.getByRole('button', { name: 'Lagre innstillingene' }).click();
		await facilitator.getByText('Innstillingene er lagret.').waitFor();
		joinCode = (await facilitator.locator('.join-code').first().textContent())!.trim();
	});

	it('shows the code on the projector, and two members join', async () => {
		// the projector link has a key of its own: the facilitator page links to it
		projectorPath = (await facilitator.getByRole('link', { name: 'Åpne projektorvisning' }).getAttribute('href'))!;
		projector = await newPage(PROJECTOR_BIG);
		await projector.goto(new URL(projectorPath, server.url).href);
		await projector.getByText(joinCode, { exact: true }).waitFor();
		await projector.getByRole('img', { name: 'QR-kode til lenken for å bli med' }).waitFor();

		phone = await newPage(PHONE);
		await phone.goto(`${server.url}/join/${joinCode}`);
		await phone.getByRole('button', { name: 'Start' }).click();
		await phone.getByRole('heading', { name: POINTS[0] }).waitFor();
		laptop = await newPage(LAPTOP);
		await laptop.goto(`${server.url}/join/${joinCode}`);
		await laptop.getByLabel('Navn (valgfritt)').fill('Ola');
		await laptop.getByRole('button', { name: 'Start' }).click();
		await laptop.getByRole('heading', { name: POINTS[0] }).waitFor();
		await projector.getByText('2 tilkoblet').waitFor();
		await screenshot(projector, '09-projector-joining-1920x1080');
	});

	it('counts the answers and shows nothing of them before the reveal', async () => {
		await rate(phone, 5, 5);
		await phone.getByRole('group', { name: 'Hvor sterk er kunnskapen bak svaret ditt?' }).getByRole('radio', { name: 'Sterk' }).check();
		await expect.poll(() => phone.getByRole('status').filter({ hasText: 'Lagret ✓' }).count()).toBe(1);
		await screenshot(phone, '04b-member-knowledge-phone');
		await rate(laptop, 1, 5);
		await facilitator.getByText('2 av 2 har svart').waitFor();
		// beside the score: one strong, and nothing from the member who did not say
		await expect.poll(() => facilitator.locator('td.knowledge').first().textContent()).toContain('Sterk 1');
		await projector.getByText('2 av 2 har svart').waitFor();
		// nothing of the distribution before reveal
		await projector.getByText('Fordelingen vises når møteleder er klar.').waitFor();
		expect(await projector.getByText('Snitt').count()).toBe(0);
		expect(await phone.getByText('Slik svarte panelet').count()).toBe(0);
	});

	it('reveals the distribution on the projector and the phones, without names', async () => {
		await facilitator.getByRole('button', { name: 'Vis fordelingen for alle' }).click();
		await projector.getByText('Plassering i matrisen: sannsynlighet 3, konsekvens 5 (Høy)').waitFor();
		await phone.getByRole('heading', { name: 'Slik svarte panelet i runde 1' }).waitFor();
		await phone.getByText('Svarene i denne runden er vist, så du kan ikke endre svaret nå.').waitFor();
		expect(await phone.getByRole('radio', { name: /^5 – / }).first().isDisabled()).toBe(true);
		expect(await projector.getByText('Ola').count()).toBe(0);
		await screenshot(projector, '10-projector-revealed-1920x1080');
		const small = await newPage(PROJECTOR_SMALL);
		await small.goto(new URL(projectorPath, server.url).href);
		await small.getByText('Plassering i matrisen: sannsynlighet 3, konsekvens 5 (Høy)').waitFor();
		await screenshot(small, '11-projector-revealed-1280x720');
		await screenshot(phone, '12-member-revealed-phone');
		await small.context().close();
	});

	it('flags the point for discussion and keeps the notes', async () => {
		// L 1 and 5: IQR 2 and consensus 1 + log2(0.5) = 0 < 0.6 -> flagged for discussion
		await facilitator.getByRole('tab', { name: /^Punkter/ }).click();
		await facilitator.getByRole('checkbox', { name: /Diskuter disse/ }).check();
		await expect.poll(() => facilitator.locator('.live tbody tr').count()).toBe(1);
		await facilitator.getByRole('checkbox', { name: /Diskuter disse/ }).uncheck();
		await facilitator.getByLabel('Oppsummering av diskusjonen').fill('Praksis varierer mellom kontorene.');
		await facilitator.getByLabel('Forslag til tiltak').fill('Tilsyn med kartleggingsrutiner');
		await facilitator.getByRole('button', { name: 'Lagre notater' }).click();
		await facilitator.getByText('Notatene er lagret.').waitFor();
		await facilitator.getByRole('tab', { name: 'Resultater' }).click();
		await facilitator.getByText('Tiltak: Tilsyn med kartleggingsrutiner').waitFor();
	});

	it('runs a second round with round 1 beside it', async () => {
		await facilitator.getByRole('button', { name: 'Ny runde', exact: true }).click();
		await phone.getByText('Runde 2: vurder punktet på nytt. Du kan beholde eller endre svaret ditt.').waitFor();
		await phone.getByText('Ditt svar i runde 1: sannsynlighet 5 (Svært sannsynlig), konsekvens 5 (Svært alvorlig).').waitFor();
		await screenshot(phone, '13-member-second-round-phone');
		await rate(phone, 3, 5);
		await rate(laptop, 3, 4);
		await facilitator.getByRole('table', { name: 'Spredning per runde' }).waitFor();
		const rows = facilitator.getByRole('table', { name: 'Spredning per runde' }).locator('tbody tr');
		await expect.poll(() => rows.nth(1).locator('td').last().textContent()).toBe('2');
		expect(await rows.nth(0).locator('th').textContent()).toBe('1');
		await screenshot(facilitator, '14-facilitator-elicitation');
	});

	it('moves everyone to the next point', async () => {
		await facilitator.getByRole('button', { name: 'Neste →' }).click();
		await projector.getByRole('heading', { name: POINTS[1] }).waitFor();
		await phone.getByRole('heading', { name: POINTS[1] }).waitFor();
	});
});
