import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, checkedScreenshot as screenshot, inkOn, launchChromium, newPage as openPage } from '../helpers/browser';
import { axeViolations } from '../helpers/axe';
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

const POINTS = [
	'Barnas behov blir ikke tilstrekkelig kartlagt',
	'Barn og unge får ikke et samordnet tjenestetilbud',
	'Den sosiale situasjonen og helsesituasjonen blir ikke kartlagt',
	'Personer får ikke tilbud om opplysning, råd og veiledning',
	'Nødhjelp gis ikke samme dag'
];

async function rate(workshop: { id: string; joinCode: string; facilitatorUrl: string }, members: number, answers: [number, number][]) {
	// each workshop's own facilitator key, from its link on the owner's page
	const key = workshop.facilitatorUrl.split('#key=')[1]!;
	await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key, json: { status: 'open' } });
	const ids = (await call(server.url, `/api/workshops/${workshop.id}/risk-points`, { key })).body.riskPoints.map((p: { id: string }) => p.id);
	for (let m = 0; m < members; m++) {
		const member = await joinAsMember(server.url, workshop.joinCode);
		for (const [i, [likelihood, consequence]] of answers.entries()) {
			await member.socket.emitWithAck('rate', { riskPointId: ids[i], likelihood, consequence });
		}
		member.socket.close();
	}
}

const page = (options: object) => openPage(browser, options);


// one owner's afternoon, step by step: each step starts where the one before left the page
describe('an assessment in the browser', () => {
	let owner: Page;
	let ownerKey = '';
	let assessmentId = '';
	let codes: Locator;
	/** The assessment page's parts are tabs: the day first, then the list, results, uncertainty, comparison… */
	const tab = (name: string | RegExp) => owner.getByRole('tab', { name }).click();

	it('is made with a list and four workshops', async () => {
		owner = await page({ viewport: { width: 1440, height: 900 } });
		await owner.goto(server.url);
		await owner.getByLabel('Tittel på risikovurderingen').fill('Sosiale tjenester i Nav 2026');
		await owner.getByLabel('Beskrivelse (valgfritt)').fill('Nasjonalt fagpanel og statsforvalterne');
		await owner.getByRole('button', { name: 'Opprett risikovurdering' }).click();
		await owner.getByRole('heading', { name: 'Sosiale tjenester i Nav 2026' }).waitFor();
		expect(owner.url()).not.toContain('#key=');
		// the day comes first; the list is set up in its own tab
		await owner.getByRole('tab', { name: /^I dag/, selected: true }).waitFor();
		await tab(/^Liste og skalaer/);
		await owner.getByLabel('Lim inn risikopunkter').fill(POINTS.join('\n'));
		await owner.getByRole('button', { name: 'Erstatt listen' }).click();
		await owner.getByText('Listen er lagret (5 punkter).').waitFor();
		await tab(/^I dag/);
		await owner.getByRole('button', { name: 'Legg til nasjonalt fagpanel' }).click();
		// the workshops' own table (the agreement table names them too)
		const workshopsTable = owner.getByRole('table', { name: 'Workshoper i risikovurderingen med status, deltakere og svar' });
		await workshopsTable.getByRole('rowheader', { name: 'Nasjonalt fagpanel' }).waitFor();
		for (const region of ['Statsforvalteren i Agder', 'Statsforvalteren i Vestland', 'Statsforvalteren i Nordland']) {
			await owner.getByLabel('Navn på regional workshop').fill(region);
			await owner.getByRole('button', { name: 'Legg til regional workshop' }).click();
			await workshopsTable.getByRole('rowheader', { name: region }).waitFor();
			await expect.poll(() => owner.getByRole('button', { name: 'Legg til regional workshop' }).isEnabled()).toBe(true);
		}

		assessmentId = owner.url().split('/').pop()!;
		ownerKey = JSON.parse((await owner.evaluate((id) => localStorage.getItem(`risikoverksted:assessment:${id}`), assessmentId))!);
	});

	it('ranks the combined list and compares the workshops side by side', async () => {
		// rate over sockets with each workshop's own key, as its facilitator would
		const overview = (await call(server.url, `/api/assessments/${assessmentId}`, { key: ownerKey })).body;
		const [national, agder, vestland, nordland] = overview.workshops;
		await rate(national, 5, [[5, 5], [4, 5], [4, 4], [3, 3], [2, 2]]);
		// anonymous workshops: three members at least, or a point shows only its number of answers
		await rate(agder, 3, [[4, 4], [5, 5], [3, 4], [2, 2], [1, 2]]);
		await rate(vestland, 3, [[5, 4], [3, 3], [4, 5], [3, 2], [2, 1]]);
		await rate(nordland, 8, [[2, 2], [2, 3], [3, 3], [5, 5], [4, 4]]);

		// by workshop: R1 (5+4+5+2)/4 = 4 x (5+4+4+2)/4 = 3.75 -> 15; R2 and R3 3.5 x 4 = 14 (tied: shared rank 2);
		// R4 3.25 x 3 = 9.75; R5 2.25 x 2.25 = 5.06
		await tab('Resultater');
		const ranks = owner.locator('table.combined > tbody > tr > td:first-child');
		await expect.poll(() => ranks.allTextContents(), { timeout: 10_000 }).toEqual(['1', '2', '2', '4', '5']);
		codes = owner.locator('table.combined > tbody > tr > td.code');
		expect(await codes.allTextContents()).toEqual(['R1', 'R2', 'R3', 'R4', 'R5']);
		// R1's rank in each workshop: national 25 -> 1; Agder 16 -> 2; Vestland 20, tied with R3 on score but
		// R3 has the higher consequence -> 2; Nordland 4 -> 5
		await tab('Sammenligning');
		const heatRow = owner.getByRole('table', { name: /Sammenligning/ }).locator('tbody tr').first();
		expect((await heatRow.locator('td.heat').allTextContents()).map((text) => text.trim())).toEqual(['1', '2', '2', '5']);
		await owner.getByText('Rangsamsvar med samlet rangering (Kendalls tau)').waitFor();
		await screenshot(owner, '15-assessment-combined');
	});

	it('shows how sure the ranking is, and narrows the report to the top 2', async () => {
		// how sure the ranking is: rank intervals and P(top N) in the list, the sensitivity table, agreement
		await tab('Resultater');
		await owner.getByRole('columnheader', { name: 'P(topp 10)' }).waitFor({ timeout: 15_000 });
		const intervals = owner.locator('table.combined > tbody > tr > td.interval');
		expect(await intervals.count()).toBe(5);
		for (const text of await intervals.allTextContents()) expect(text.trim()).toMatch(/^\d+–\d+$/);
		await tab('Usikkerhet');
		const sensitivity = owner.getByRole('table', { name: 'Følsomhet: topp 10 i hver variant' });
		await expect.poll(() => sensitivity.locator('tbody tr').count(), { timeout: 20_000 }).toBe(2 + 2 + 4);
		await owner.getByRole('rowheader', { name: 'Uten Statsforvalteren i Nordland' }).waitFor();
		await owner.getByText('Robust topp 10 (i alle variantene):').waitFor();
		await owner.getByRole('table', { name: 'Samsvar mellom workshopene' }).getByRole('rowheader', { name: 'Nasjonalt fagpanel' }).waitFor();
		await owner.getByRole('table', { name: 'Der nasjonalt fagpanel og de regionale workshopene skiller seg mest' }).waitFor();
		// the facilitator narrows the report to the top 2 and marks it as a draft
		await owner.getByLabel('Topp N (hvor mange punkter rapporten spør om)').fill('2');
		await owner.getByLabel('Merk rapporten «Foreløpig»').check();
		await owner.getByRole('button', { name: 'Lagre innstillingene' }).click();
		await owner.getByText('Innstillingene er lagret. Tallene er regnet ut på nytt.').waitFor();
		await owner.getByText('Robust topp 2 (i alle variantene):').waitFor();
		await owner.getByRole('heading', { name: 'Hvor sikker er rangeringen?' }).scrollIntoViewIfNeeded();
		await screenshot(owner, '16-assessment-analysis');
		await tab('Resultater');
		await owner.getByRole('columnheader', { name: 'P(topp 2)' }).waitFor({ timeout: 15_000 });
	});

	it('draws the rank intervals, P(top N) and the agreement with chart.js, each with its figures as a table, with no axe violations', async () => {
		await tab('Usikkerhet');
		for (const name of ['Hvor sikker er plassen? Rangintervaller (90 %)', 'Sannsynlighet for å være blant de 2 øverste', 'Samsvar med de andre workshopene (Kendalls tau)']) {
			const chart = owner.getByRole('img', { name });
			await chart.scrollIntoViewIfNeeded();
			// drawn: the canvas has ink on it (chart.js is loaded when the first chart is drawn)
			await expect.poll(() => inkOn(chart), { timeout: 20_000 }).toBeGreaterThan(2000);
		}
		// the figures behind the intervals, for a screen reader or a keyboard: every ranked point in rank order
		await owner.getByText('Vis tallene i grafen som tabell').first().click();
		const rows = owner.locator('table[data-chart="chart-rank-intervals"] tbody tr');
		expect(await rows.count()).toBe(5);
		const first = (await rows.first().locator('td, th').allTextContents()).map((text) => text.trim());
		expect(first[0]).toBe('1');
		expect(first[1]).toBe(await codes.first().textContent());
		// two-stage (three regional workshops): the members-only interval beside it
		expect(first.slice(3)).toEqual([expect.stringMatching(/^\d+–\d+$/), expect.stringMatching(/^\d+–\d+$/)]);
		await owner.getByText('Vis tallene i grafen som tabell').nth(1).click();
		for (const text of await owner.locator('table[data-chart="chart-p-top"] tbody td:last-child').allTextContents()) expect(text.trim()).toMatch(/^\d+ %$/);
		expect(await axeViolations(owner)).toEqual([]);
		await owner.getByRole('img', { name: 'Hvor sikker er plassen? Rangintervaller (90 %)' }).scrollIntoViewIfNeeded();
		await screenshot(owner, '16b-assessment-charts');
		// a projector-sized screen and a phone: the charts fit the width
		for (const options of [{ viewport: { width: 1920, height: 1080 } }, PHONE]) {
			const other = await page(options);
			await other.goto(`${server.url}/assessments/${assessmentId}#key=${ownerKey}`);
			await other.getByRole('tab', { name: 'Usikkerhet' }).click();
			const chart = other.getByRole('img', { name: 'Hvor sikker er plassen? Rangintervaller (90 %)' });
			await chart.scrollIntoViewIfNeeded();
			await expect.poll(() => inkOn(chart), { timeout: 20_000 }).toBeGreaterThan(2000);
			expect(await other.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
			await screenshot(other, `16c-assessment-charts-${(options as { viewport: { width: number } }).viewport.width}`, { fullPage: false });
			await other.context().close();
		}
		await tab('Resultater');
	});

	it('lets each member count equally', async () => {
		// each member counts: Nordland's 8 members pull R4 up
		await owner.getByLabel('Hvert panelmedlem teller likt (alle svar samlet)').check();
		await expect.poll(() => codes.first().textContent(), { timeout: 10_000 }).toBe('R4');

	});

	it('shows the assessment on a phone', async () => {
		const phone = await page(PHONE);
		await phone.goto(`${server.url}/assessments/${assessmentId}#key=${ownerKey}`);
		await phone.getByRole('heading', { name: 'Sosiale tjenester i Nav 2026' }).waitFor();
		await phone.getByRole('tab', { name: 'Sammenligning' }).click();
		await phone.getByRole('table', { name: /Sammenligning/ }).waitFor();
		await screenshot(phone, '17-assessment-phone');
		await phone.context().close();
	});

	it('lists the assessment with its workshops, members and answers in the overview', async () => {
		await owner.goto(`${server.url}/assessments`);
		await owner.getByRole('link', { name: 'Sosiale tjenester i Nav 2026' }).waitFor();
		await owner.getByText('4 workshoper · 19 deltakere · 95 svar').waitFor();
		await screenshot(owner, '18-overview');
	});
});
