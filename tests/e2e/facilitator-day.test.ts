/**
 * Issue 24: a facilitator's day without friction. Each item of the issue as its behaviour, found by
 * role and text, at the sizes where its layout matters (360x740, 1280x720, 1920x1080); the
 * cockpit during a day with eleven workshops goes to docs/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, checkedScreenshot as screenshot, launchChromium, newPage as openPage, settled } from '../helpers/browser';
import { call, createWorkshop, joinAsMember, projectorPath, until, type Member } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';
import type { MemberWorkshopView } from '../../src/lib/protocol';

let server: RunningServer;
let browser: Browser;
const members: Member[] = [];
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
	for (const member of members) member.socket.close();
	await browser?.close();
	await server?.stop();
});

const SIZES = [
	{ name: '360', options: PHONE },
	{ name: '1280', options: { viewport: { width: 1280, height: 720 } } },
	{ name: '1920', options: { viewport: { width: 1920, height: 1080 } } }
];
const LAPTOP = { viewport: { width: 1280, height: 720 } };
const POINTS = Array.from({ length: 35 }, (_, i) => `Risikopunkt ${i + 1}: ${['barnas behov blir ikke tilstrekkelig kartlagt', 'nødhjelp gis ikke samme dag', 'vedtak er mangelfullt begrunnet', 'oppfølgingen etter vedtak mangler', 'tolk brukes ikke når det trengs'][i % 5]}`);
const patch = (workshop: { id: string; facilitatorKey: string }, json: unknown) =>
	call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json });
const consoleOf = (workshop: { id: string; facilitatorKey: string }) => `${server.url}/facilitate/${workshop.id}#key=${workshop.facilitatorKey}`;
const fitsHeight = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1);

/** Members who join a workshop and answer its first `answered` points (likelihood and consequence apart per member, so some points are flagged). */
async function panel(joinCode: string, count: number, points: string[], answered: number) {
	const joined: Member[] = [];
	for (let m = 0; m < count; m++) {
		const member = await joinAsMember(server.url, joinCode, { name: `Medlem ${m + 1}` });
		for (const [p, id] of points.slice(0, answered).entries()) {
			await member.socket.emitWithAck('rate', { riskPointId: id, likelihood: m % 2 === 0 ? 1 : 5, consequence: 1 + ((p + m) % 5) });
		}
		joined.push(member);
	}
	members.push(...joined);
	return joined;
}

describe('a day of eleven workshops: the assessment cockpit (item 7) and the way back (item 8)', () => {
	let assessment: { id: string; ownerKey: string };
	let first: { id: string; facilitatorKey: string; joinCode: string; riskPointIds: string[] };
	beforeAll(async () => {
		assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Tilsyn med sosiale tjenester i Nav 2027', riskPoints: POINTS.map((text) => ({ text })) } })).body;
		await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'national' } });
		await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { preset: 'county-governors' } });
		const overview = (await call(server.url, `/api/assessments/${assessment.id}`, { key: assessment.ownerKey })).body;
		for (const [w, made] of overview.workshops.slice(0, 3).entries()) {
			const key = new URL(made.facilitatorUrl).hash.slice(5);
			await call(server.url, `/api/workshops/${made.id}`, { method: 'PATCH', key, json: { status: 'open', pacing: w === 0 ? 'facilitator' : 'self' } });
			const ids = (await call(server.url, `/api/workshops/${made.id}/risk-points`, { key })).body.riskPoints.map((p: { id: string }) => p.id);
			await panel(made.joinCode, 4, ids, 8 + w * 6);
			if (w === 0) first = { id: made.id, facilitatorKey: key, joinCode: made.joinCode, riskPointIds: ids };
		}
	});

	it.each(SIZES)('shows every workshop with status, connected, progress, flags and its console and projector at $name', async (size) => {
		const page = await openPage(browser, size.options);
		await page.goto(`${server.url}/assessments/${assessment.id}#key=${assessment.ownerKey}`);
		const table = page.getByRole('table', { name: 'Workshoper i risikovurderingen med status, deltakere og svar' });
		await expect.poll(() => table.locator('tbody tr').count()).toBe(11);
		for (const column of ['Status', 'Tilkoblet nå', 'Svart', 'Flagget']) await table.getByRole('columnheader', { name: column }).waitFor();
		await table.getByRole('rowheader', { name: 'Statsforvalteren i Østfold, Buskerud, Oslo og Akershus' }).waitFor();
		await page.getByRole('link', { name: 'Konsoll for Nasjonalt fagpanel' }).waitFor();
		await page.getByRole('link', { name: 'Projektor for Nasjonalt fagpanel' }).waitFor();
		await expect.poll(() => table.locator('tbody tr').first().textContent()).toMatch(/4\s*\/\s*4/);
		if (size.name !== '360') {
			// on the first screen: every workshop's row and its console button
			const lastRow = await table.locator('tbody tr').last().boundingBox();
			expect(lastRow!.y + lastRow!.height, `the eleventh row at ${size.name}`).toBeLessThanOrEqual(size.options.viewport.height);
		}
		await settled(page);
		await screenshot(page, `27-cockpit-${size.name}`, { fullPage: false });
		await page.context().close();
	});

	it('follows the day live: a new answer moves the workshop’s progress without a reload', async () => {
		const page = await openPage(browser, LAPTOP);
		await page.goto(`${server.url}/assessments/${assessment.id}#key=${assessment.ownerKey}`);
		const row = page.getByRole('row', { name: /Nasjonalt fagpanel/ });
		await row.waitFor();
		const before = (await row.textContent())!;
		const latecomer = (await panel(first.joinCode, 1, first.riskPointIds, 20))[0]!;
		await expect.poll(() => row.textContent(), { timeout: 15_000 }).not.toBe(before);
		latecomer.socket.close();
		await page.context().close();
	});

	it('links the console back to its assessment', async () => {
		const page = await openPage(browser, LAPTOP);
		// the owner's browser holds the assessment's key
		await page.goto(`${server.url}/assessments/${assessment.id}#key=${assessment.ownerKey}`);
		await page.getByRole('link', { name: 'Konsoll for Nasjonalt fagpanel' }).click();
		await page.getByRole('heading', { name: 'Nasjonalt fagpanel' }).waitFor();
		await page.getByRole('link', { name: /Til risikovurderingen/ }).click();
		await page.getByRole('heading', { name: 'Tilsyn med sosiale tjenester i Nav 2027' }).waitFor();
		await page.context().close();
	});

	it('chooses counts-only privacy on the assessment, for every workshop (item 1)', async () => {
		const fresh = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Bare antall', riskPoints: [{ text: 'A' }] } })).body;
		await call(server.url, `/api/assessments/${fresh.id}/workshops`, { method: 'POST', key: fresh.ownerKey, json: { kind: 'national' } });
		const page = await openPage(browser, LAPTOP);
		await page.goto(`${server.url}/assessments/${fresh.id}#key=${fresh.ownerKey}`);
		await page.getByRole('tab', { name: /^Liste og skalaer/ }).click();
		await page.getByLabel('Bare antall: hvor mange som har svart, til svarene vises for alle').check();
		await page.getByRole('button', { name: 'Lagre personvernet' }).click();
		await page.getByText('Lagret for alle workshopene.').waitFor();
		const overview = (await call(server.url, `/api/assessments/${fresh.id}`, { key: fresh.ownerKey })).body;
		const workshop = overview.workshops[0];
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { key: new URL(workshop.facilitatorUrl).hash.slice(5) })).body.countsOnly).toBe(true);
		// and a workshop added later has it too
		await call(server.url, `/api/assessments/${fresh.id}/workshops`, { method: 'POST', key: fresh.ownerKey, json: { kind: 'regional', title: 'Agder' } });
		const later = (await call(server.url, `/api/assessments/${fresh.id}`, { key: fresh.ownerKey })).body.workshops[1];
		expect((await call(server.url, `/api/workshops/${later.id}`, { key: new URL(later.facilitatorUrl).hash.slice(5) })).body.countsOnly).toBe(true);
		await page.context().close();
	});

	it.each(SIZES)('names every workshop whole in the comparison at $name (item 9)', async (size) => {
		const page = await openPage(browser, size.options);
		await page.goto(`${server.url}/assessments/${assessment.id}#key=${assessment.ownerKey}`);
		await page.getByRole('tab', { name: 'Sammenligning' }).click();
		const heads = page.locator('table.comparison th.workshop');
		await expect.poll(() => heads.count()).toBe(11);
		const clipped = await heads.evaluateAll((cells) => cells.filter((cell) => cell.scrollHeight > cell.clientHeight + 1 || cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent));
		expect(clipped).toEqual([]);
		await page.getByText('Kolonnene for de regionale workshopene heter «Statsforvalteren i …».').waitFor();
		await page.context().close();
	});

	it('lists the county governors as they are since 2024 (item 12)', async () => {
		const overview = (await call(server.url, `/api/assessments/${assessment.id}`, { key: assessment.ownerKey })).body;
		const titles = overview.workshops.map((w: { title: string }) => w.title);
		expect(titles).toContain('Statsforvalteren i Østfold, Buskerud, Oslo og Akershus');
		expect(titles.join()).not.toContain('Oslo og Viken');
		expect(titles).toHaveLength(11);
	});
});

describe('the console (items 2-5, 11)', () => {
	it('asks before closing, so a double click on Open cannot end the workshop (item 3)', async () => {
		const workshop = await createWorkshop(server.url, POINTS.slice(0, 3), { open: false });
		const page = await openPage(browser, LAPTOP);
		await page.goto(consoleOf(workshop));
		await page.getByRole('button', { name: 'Åpne for vurdering' }).dblclick();
		await page.getByText('Åpen for vurdering', { exact: true }).waitFor();
		await page.getByRole('button', { name: 'Avslutt vurderingen' }).click();
		await page.getByText('Avslutte vurderingen? Deltakerne kan ikke svare mer etterpå (du kan åpne igjen).').waitFor();
		await page.getByRole('button', { name: 'Nei, fortsett' }).click();
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).body.status).toBe('open');
		await page.getByRole('button', { name: 'Avslutt vurderingen' }).click();
		await page.getByRole('button', { name: 'Ja, avslutt' }).click();
		await page.getByText('Vurderingen er avsluttet.').waitFor({ state: 'attached' });
		expect((await call(server.url, `/api/workshops/${workshop.id}`, { key: workshop.facilitatorKey })).body.status).toBe('closed');
		await page.context().close();
	});

	it('says nobody is connected yet instead of "0 of 0 have answered, everyone has" (item 11)', async () => {
		const workshop = await createWorkshop(server.url, POINTS.slice(0, 3), { pacing: 'facilitator' });
		const page = await openPage(browser, LAPTOP);
		await page.goto(consoleOf(workshop));
		await page.getByText('Ingen er tilkoblet ennå. Vis koden til panelet.').waitFor();
		expect(await page.getByText('Alle tilkoblede har svart.').count()).toBe(0);
		await page.context().close();
	});

	it('shows how many are done in self pace, and each member’s answers as they come (item 2)', async () => {
		const workshop = await createWorkshop(server.url, POINTS.slice(0, 3), { anonymous: false });
		const [kari] = await panel(workshop.joinCode, 1, workshop.riskPointIds, 0);
		const page = await openPage(browser, LAPTOP);
		await page.goto(consoleOf(workshop));
		await page.getByText('0 av 1 er ferdige med alle punktene').first().waitFor();
		await page.getByRole('tab', { name: /^Deltakere/ }).click();
		const row = page.getByRole('row', { name: /Medlem 1/ });
		await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('0');
		for (const id of workshop.riskPointIds) await kari!.socket.emitWithAck('rate', { riskPointId: id, likelihood: 3, consequence: 3 });
		// no reload: the members tab and the count follow the answers
		await expect.poll(() => row.locator('td').nth(1).textContent(), { timeout: 10_000 }).toBe('3');
		await page.getByText('1 av 1 er ferdige med alle punktene').first().waitFor();
		await page.context().close();
	});

	it.each(SIZES)('starts a new round of the flagged points at its first point, on the console and the phones, and walks only those at $name (items 4, 5)', async (size) => {
		const workshop = await createWorkshop(server.url, POINTS.slice(0, 8), { pacing: 'facilitator' });
		const raters = await panel(workshop.joinCode, 4, workshop.riskPointIds, 8);
		// points 3, 5 and 7 are agreed on (everyone the same): the rest are flagged
		for (const member of raters) for (const p of [2, 4, 6]) await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[p]!, likelihood: 3, consequence: 3 });
		await patch(workshop, { currentRiskPointId: workshop.riskPointIds[2] });
		const page = await openPage(browser, size.options);
		await page.goto(consoleOf(workshop));
		await page.getByRole('heading', { name: POINTS[2] }).waitFor();
		const phone = until<MemberWorkshopView>(raters[0]!.socket, 'workshop', (view) => view.currentRiskPointId === workshop.riskPointIds[0] && view.rounds[workshop.riskPointIds[0]!] === 2);
		await page.getByRole('button', { name: /^Ny runde for flaggede punkter \(5\)/ }).click();
		// the console and the phones are at the round's first point, in round 2
		await page.getByRole('heading', { name: POINTS[0] }).waitFor();
		await phone;
		await page.getByText('Ny runde: punkt 1 av 5 i runden. ← → går bare gjennom dem.').waitFor();
		// → skips the agreed points: 1, 2, 4
		for (const index of [1, 3]) {
			// the left pane starts at the top on each point (item 5)
			await page.locator('.stage').evaluate((stage) => (stage.scrollTop = stage.scrollHeight));
			await page.locator('body').press('ArrowRight');
			await page.getByRole('heading', { name: POINTS[index] }).waitFor();
			expect(await page.locator('.stage').evaluate((stage) => stage.scrollTop)).toBe(0);
		}
		// a clicker's Page Up goes back
		await page.locator('body').press('PageUp');
		await page.getByRole('heading', { name: POINTS[1] }).waitFor();
		await page.getByRole('button', { name: 'Gå gjennom alle punktene' }).click();
		// the walk is the whole list once the server has it (the hint goes)
		await page.getByText(/^Ny runde: punkt/).waitFor({ state: 'detached' });
		await page.locator('body').press('ArrowRight');
		await page.getByRole('heading', { name: POINTS[2] }).waitFor();
		await page.context().close();
	});
});

describe('the projector with 35 points (item 6)', () => {
	let selfPaced = '';
	let closed = '';
	beforeAll(async () => {
		const self = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Vestland' });
		const done = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Agder' });
		await panel(self.joinCode, 3, self.riskPointIds, 20);
		await panel(done.joinCode, 3, done.riskPointIds, 35);
		await patch(done, { status: 'closed' });
		[selfPaced, closed] = [await projectorPath(server.url, self), await projectorPath(server.url, done)];
	});

	it.each(SIZES.slice(1))('fits the self-paced answers of all 35 points on the screen at $name, a page at a time', async (size) => {
		const page = await openPage(browser, size.options);
		await page.goto(server.url + selfPaced);
		await page.getByText(/^R1\b/).first().waitFor();
		await settled(page);
		expect(await fitsHeight(page)).toBe(true);
		// every shown row inside the screen; the pages say where they are
		const bottom = await page.locator('.point-progress li').last().evaluate((row) => row.getBoundingClientRect().bottom);
		expect(bottom).toBeLessThanOrEqual(size.options.viewport.height);
		const note = page.getByText(/av 35 · side 1 av \d/);
		if ((await page.locator('.point-progress li').count()) < 35) await note.waitFor();
		await screenshot(page, `28-projector-self-35-${size.name}`, { fullPage: false });
		await page.context().close();
	});

	it.each(SIZES.slice(1))('fits the closed view at $name, with "the workshop is closed" as its heading', async (size) => {
		const page = await openPage(browser, size.options);
		await page.goto(server.url + closed);
		await page.getByRole('heading', { name: 'Workshopen er avsluttet. Takk for innsatsen!' }).waitFor();
		await page.getByRole('heading', { name: 'De 10 høyeste risikoene' }).waitFor();
		await settled(page);
		expect(await fitsHeight(page)).toBe(true);
		const axis = await page.getByText('Konsekvens', { exact: true }).last().boundingBox();
		expect(axis!.y + axis!.height).toBeLessThanOrEqual(size.options.viewport.height);
		await screenshot(page, `29-projector-closed-35-${size.name}`, { fullPage: false });
		await page.context().close();
	});
});

describe('a phone with text at 200 % (item 10)', () => {
	it('shows the options in one column, in order, and nothing cut off sideways', async () => {
		const workshop = await createWorkshop(server.url, POINTS.slice(0, 2));
		// 360 px at 200 % zoom is 180 CSS px
		const page = await openPage(browser, { ...PHONE, viewport: { width: 180, height: 370 } });
		await page.goto(`${server.url}/join/${workshop.joinCode}`);
		await page.getByRole('button', { name: 'Start' }).click();
		const group = page.getByRole('group', { name: 'Sannsynlighet' });
		await group.waitFor();
		expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
		const boxes = await group.locator('label.option').evaluateAll((options) => options.map((option) => option.getBoundingClientRect()).map(({ left, top, right }) => ({ left, top, right })));
		expect(boxes).toHaveLength(6);
		for (let i = 1; i < boxes.length; i++) {
			expect(boxes[i]!.top, `option ${i + 1} below option ${i}`).toBeGreaterThan(boxes[i - 1]!.top);
			expect(boxes[i]!.right).toBeLessThanOrEqual(180);
		}
		await screenshot(page, '30-member-rating-200-percent', { fullPage: true });
		await page.context().close();
	});
});
