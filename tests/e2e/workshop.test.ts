import { readFile } from 'node:fs/promises';
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
	'Personer får ikke tilbud om opplysning, råd og veiledning',
	'Barn og unge får ikke et samordnet tjenestetilbud',
	'Vedtak er mangelfullt begrunnet'
];

/** Rates the point on screen: each answer is a level 1-5 or 'dk' for "don't know". */
async function rate(page: Page, likelihood: number | 'dk', consequence: number | 'dk') {
	for (const [group, value] of [
		['Sannsynlighet', likelihood],
		['Konsekvens', consequence]
	] as const) {
		const radio = value === 'dk' ? /^Vet ikke$/ : new RegExp(`^${value} – `);
		await page.getByRole('group', { name: group }).getByRole('radio', { name: radio }).check();
	}
	await expect.poll(() => page.getByRole('status').filter({ hasText: 'Lagret ✓' }).count()).toBe(1);
}

async function rateAll(page: Page, answers: [number | 'dk', number | 'dk'][]) {
	for (const [index, [likelihood, consequence]] of answers.entries()) {
		await rate(page, likelihood, consequence);
		if (index < answers.length - 1) await page.getByRole('button', { name: 'Neste', exact: true }).click();
	}
}

describe('a workshop in the browser', () => {
	it('runs from a pasted list to a ranked list and matrix, with members on a phone and a laptop', async () => {
		const facilitator = await newPage(LAPTOP);
		await facilitator.goto(server.url);
		await facilitator.getByLabel('Tittel', { exact: true }).fill('Nasjonalt fagpanel 2026');
		await screenshot(facilitator, '01-landing');
		await facilitator.getByRole('button', { name: 'Opprett workshop' }).click();
		await facilitator.getByRole('heading', { name: 'Nasjonalt fagpanel 2026' }).waitFor();
		expect(facilitator.url()).not.toContain('#key='); // the key leaves the address bar

		await facilitator.getByLabel('Lim inn risikopunkter').fill(POINTS.map((p) => `• ${p}`).join('\n'));
		await facilitator.getByRole('button', { name: 'Erstatt listen' }).click();
		await facilitator.getByText('Listen er lagret (4 punkter).').waitFor();
		await screenshot(facilitator, '02-facilitator-setup');
		// two members who give their names: a named workshop (an anonymous one shows no numbers below three answers)
		await facilitator.getByRole('tab', { name: 'Innstillinger' }).click();
		await facilitator.getByLabel('Med navn: hvem som er tilkoblet og hvem som ikke har svart').check();
		await facilitator.getByRole('button', { name: 'Lagre innstillingene' }).click();
		await facilitator.getByText('Innstillingene er lagret.').waitFor();
		await facilitator.getByRole('tab', { name: /^Punkter/ }).click();
		await facilitator.getByRole('button', { name: 'Åpne for vurdering' }).click();
		await facilitator.getByText('Åpen for vurdering', { exact: true }).waitFor();
		const joinCode = (await facilitator.locator('.join-code').first().textContent())!.trim();
		expect(joinCode).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);

		const phone = await newPage(PHONE);
		await phone.goto(`${server.url}/join/${joinCode}`);
		await phone.getByLabel('Navn (valgfritt)').fill('Kari');
		await screenshot(phone, '03-member-join-phone');
		await phone.getByRole('button', { name: 'Start' }).click();
		await phone.getByText('0 av 4 punkter vurdert').waitFor();
		await screenshot(phone, '04-member-rating-phone');
		await rateAll(phone, [
			[5, 5],
			[2, 2],
			[4, 3],
			[1, 1]
		]);
		await phone.getByText('4 av 4 punkter vurdert').waitFor();

		const laptop = await newPage(LAPTOP);
		await laptop.goto(server.url);
		await laptop.getByLabel('Kode').fill(joinCode.toLowerCase());
		await laptop.getByRole('button', { name: 'Bli med' }).click();
		await laptop.getByRole('button', { name: 'Start' }).click();
		await rateAll(laptop, [
			[4, 5],
			[3, 2],
			['dk', 4],
			[2, 1]
		]);
		await screenshot(laptop, '05-member-rating-laptop');

		// R1: 4.5 x 5 = 22.5; R3: 4 x 3.5 = 14; R2: 2.5 x 2 = 5; R4: 1.5 x 1 = 1.5
		const codes = facilitator.locator('table.results tbody tr td.code');
		await expect.poll(() => codes.allTextContents()).toEqual(['R1', 'R3', 'R2', 'R4']);
		const scores = await facilitator.locator('table.results tbody tr td:nth-child(4)').allTextContents();
		expect(scores).toEqual(['22,50', '14,00', '5,00', '1,50']);
		await facilitator.getByRole('tab', { name: 'Matrise' }).click();
		await facilitator.getByText('Vis matrisen som tabell').click();
		const cell = (likelihood: number, consequence: number) =>
			facilitator.locator('table.matrix-table tbody tr').nth(5 - likelihood).locator('td').nth(consequence - 1);
		await expect.poll(() => cell(5, 5).textContent()).toContain('R1');
		expect(await cell(4, 4).textContent()).toContain('R3');
		expect(await cell(3, 2).textContent()).toContain('R2');
		expect(await cell(2, 1).textContent()).toContain('R4');
		await facilitator.getByRole('tab', { name: /^Punkter/ }).click();
		expect(await facilitator.getByText('2 tilkoblet').count()).toBe(1);
		await screenshot(facilitator, '06-facilitator-live');

		// a member who reloads is recognised and sees their answers
		await phone.reload();
		await phone.getByText('4 av 4 punkter vurdert').waitFor();

		await facilitator.getByRole('button', { name: 'Avslutt vurderingen' }).click();
		// closing asks first
		await facilitator.getByRole('button', { name: 'Ja, avslutt' }).click();
		await phone.getByText('Workshopen er avsluttet. Takk for svarene dine!').waitFor();
		await screenshot(phone, '07-member-closed-phone');

		await facilitator.getByRole('tab', { name: 'Resultater' }).click();
		const download = facilitator.waitForEvent('download');
		await facilitator.getByRole('button', { name: 'CSV for Excel (semikolon)' }).click();
		const file = await (await download).path();
		const csv = await readFile(file, 'utf8');
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(csv.split('\r\n')[1]).toMatch(/^1;R1;Barnas behov blir ikke tilstrekkelig kartlagt;;22,50;Høy;5;5;2;/);
	});

	it('shows a clear message for a join code that does not exist', async () => {
		const page = await newPage(PHONE);
		await page.goto(`${server.url}/join/ZZZZZZ`);
		await page.getByText('Ingen workshop har koden «ZZZZZZ». Sjekk koden hos møteleder og prøv igjen.').waitFor();
		await screenshot(page, '08-unknown-code-phone');
	});
});
