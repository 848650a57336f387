/**
 * The room's screen (issue 14, items 11-12) in both paces at 1920x1080 and 1280x720: joining with
 * the QR, then a small code and QR in the corner for latecomers; self pace shows answers per point,
 * members done and the matrix of revealed points; facilitator pace shows the point, the countdown,
 * the revealed distribution and, after a second round, round 1 beside round 2; a closed workshop
 * shows its top ten and matrix. A fullscreen button.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, checkedScreenshot as screenshot, launchChromium, newPage as openPage } from '../helpers/browser';
import { call, createWorkshop, joinAsMember, projectorPath, type Member } from '../helpers/clients';
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

const POINTS = Array.from({ length: 14 }, (_, i) => `${['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag', 'Vedtak er mangelfullt begrunnet', 'Oppfølging etter vedtak mangler', 'Tolk brukes ikke når det trengs', 'Klager behandles ikke innen fristen', 'Brukere får ikke veiledning'][i % 7]}${i >= 7 ? ' (del 2)' : ''}`);
const BIG = { viewport: { width: 1920, height: 1080 } };
const SMALL = { viewport: { width: 1280, height: 720 } };

const patch = (workshop: { id: string; facilitatorKey: string }, json: unknown) =>
	call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json });

/** True when nothing on the page needs scrolling (the room cannot scroll a projector). */
const fits = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1);

describe('the projector', () => {
	it('shows progress in self pace, the matrix as points are revealed, and a final view when closed', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Vestland', pacing: 'self' });
		const members: Member[] = [];
		for (let m = 0; m < 6; m++) members.push(await joinAsMember(server.url, workshop.joinCode));
		// four members answer everything, two answer some
		for (const [m, member] of members.entries()) {
			const upTo = m < 4 ? POINTS.length : 5;
			for (let p = 0; p < upTo; p++) {
				const ack = await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[p]!, likelihood: 1 + ((p + m) % 5), consequence: 1 + ((p * 2 + m) % 5) });
				expect(ack).toMatchObject({ ok: true });
			}
		}
		const page = await openPage(browser, BIG);
		await page.goto(server.url + (await projectorPath(server.url, workshop)));
		await page.getByText('4 av 6 deltakere er ferdige').waitFor();
		await expect.poll(() => page.locator('.point-progress li').count()).toBe(14);
		expect(await page.locator('.point-progress li').first().textContent()).toContain('6 svar');
		expect(await page.locator('.point-progress li').last().textContent()).toContain('4 svar');
		// latecomers: the code and a QR in the corner
		await page.getByRole('img', { name: 'QR-kode til lenken for å bli med' }).waitFor();
		await page.locator('.corner-code').getByText(workshop.joinCode).waitFor();
		await page.getByRole('button', { name: 'Fullskjerm' }).waitFor();
		await screenshot(page, 'projector-self-1920');
		expect(await fits(page)).toBe(true);

		// the facilitator reveals two points: they appear in the matrix
		expect((await patch(workshop, { revealed: workshop.riskPointIds.slice(0, 2) })).status).toBe(200);
		await expect.poll(() => page.locator('.matrix .chip').count()).toBe(2);

		// closed: the top ten and every rated point in the matrix
		expect((await patch(workshop, { status: 'closed' })).status).toBe(200);
		await page.getByRole('heading', { name: 'De 10 høyeste risikoene' }).waitFor();
		await expect.poll(() => page.locator('.top-list li').count()).toBe(10);
		const results = (await call(server.url, `/api/workshops/${workshop.id}/export.json`, { key: workshop.facilitatorKey })).body as { riskPoints: { code: string; rank: number }[] };
		const firstRow = await page.locator('.top-list li').first().textContent();
		expect(firstRow).toContain(results.riskPoints[0]!.code);
		await expect.poll(() => page.locator('.matrix .chip, .matrix .more').count()).toBeGreaterThan(2);
		expect(await page.locator('.corner-join').count()).toBe(0);
		await screenshot(page, 'projector-final-1920');
		expect(await fits(page)).toBe(true);
		const small = await openPage(browser, SMALL);
		await small.goto(server.url + (await projectorPath(server.url, workshop)));
		await small.getByRole('heading', { name: 'De 10 høyeste risikoene' }).waitFor();
		await screenshot(small, 'projector-final-1280');
		expect(await fits(small)).toBe(true);
		for (const member of members) member.socket.disconnect();
	});

	it('follows the facilitator: joining, live with a countdown, revealed, and round 1 beside round 2', async () => {
		const workshop = await createWorkshop(server.url, POINTS.slice(0, 4), { title: 'Nasjonalt fagpanel', pacing: 'facilitator' });
		const [first] = workshop.riskPointIds as [string];
		const page = await openPage(browser, BIG);
		await page.goto(server.url + (await projectorPath(server.url, workshop)));
		// joining: the big QR and code
		await page.locator('.join-code').getByText(workshop.joinCode).waitFor();
		await screenshot(page, 'projector-joining-1920');

		const members: Member[] = [];
		for (let m = 0; m < 5; m++) members.push(await joinAsMember(server.url, workshop.joinCode));
		expect((await patch(workshop, { pointSeconds: 120 })).status).toBe(200);
		for (const [m, member] of members.entries()) await member.socket.emitWithAck('rate', { riskPointId: first, likelihood: 1 + m, consequence: 5 - (m % 2) });
		await page.getByText('5 av 5 har svart').waitFor();
		await page.getByRole('timer').waitFor();
		await page.locator('.corner-code').getByText(workshop.joinCode).waitFor();
		await screenshot(page, 'projector-live-1920');
		expect(await fits(page)).toBe(true);
		const small = await openPage(browser, SMALL);
		await small.goto(server.url + (await projectorPath(server.url, workshop)));
		await small.getByText('5 av 5 har svart').waitFor();
		await screenshot(small, 'projector-live-1280');
		expect(await fits(small)).toBe(true);
		// a phone checking the screen: the point and its count come first, the matrix below (it scrolls)
		const phone = await openPage(browser, PHONE);
		await phone.goto(server.url + (await projectorPath(server.url, workshop)));
		await phone.getByText('5 av 5 har svart').waitFor();
		// on the first screen and not clipped: what is drawn at its middle is the element itself
		const shown = (selector: string) => phone.locator(selector).evaluate((element) => {
			const box = element.getBoundingClientRect();
			const middle = box.top + box.height / 2;
			return middle >= 0 && middle <= innerHeight && element.contains(document.elementFromPoint(box.left + 4, middle));
		});
		expect(await shown('.point-text'), 'the point on the first screen').toBe(true);
		expect(await shown('.answered'), 'how many have answered, on the first screen').toBe(true);
		await screenshot(phone, 'projector-live-360');

		expect((await patch(workshop, { revealed: [first] })).status).toBe(200);
		await expect.poll(() => page.locator('.distribution').count()).toBe(1);
		expect(await page.getByRole('timer').count()).toBe(0);
		await screenshot(page, 'projector-revealed-1920');

		// a second round: round 1 beside round 2 (hidden until revealed)
		expect((await patch(workshop, { newRound: [first] })).status).toBe(200);
		await page.getByRole('heading', { name: 'Runde 1', exact: true }).waitFor();
		await page.getByRole('heading', { name: 'Runde 2', exact: true }).waitFor();
		for (const member of members) await member.socket.emitWithAck('rate', { riskPointId: first, likelihood: 3, consequence: 4 });
		expect((await patch(workshop, { revealed: [first] })).status).toBe(200);
		await expect.poll(() => page.locator('.compare .distribution').count()).toBe(2);
		await screenshot(page, 'projector-compare-1920');
		expect(await fits(page)).toBe(true);
		for (const member of members) member.socket.disconnect();
	});

	it('stops at once, saying why, when the facilitator makes a new link; the new link shows the workshop', async () => {
		const workshop = await createWorkshop(server.url, POINTS.slice(0, 3), { title: 'Statsforvalteren i Agder' });
		const page = await openPage(browser, SMALL);
		await page.goto(server.url + (await projectorPath(server.url, workshop)));
		await page.locator('.corner-code').getByText(workshop.joinCode).waitFor();
		// over a WebSocket with socket.io's protocol, not socket.io's client (light-socket.ts)
		expect(await page.evaluate(() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('transport=polling')))).toBe(false);

		const renewed = await call(server.url, `/api/workshops/${workshop.id}/projector`, { method: 'POST', key: workshop.facilitatorKey });
		expect(renewed.status).toBe(200);
		await page.getByRole('alert').getByText('Denne projektorlenken virker ikke lenger').waitFor();
		expect(await page.getByText(workshop.joinCode).count()).toBe(0);
		await screenshot(page, 'projector-revoked-1280');

		const again = await openPage(browser, SMALL);
		await again.goto(`${server.url}/project/${workshop.id}${new URL(renewed.body.projectorUrl).hash}`);
		await again.locator('.corner-code').getByText(workshop.joinCode).waitFor();
	});
});
