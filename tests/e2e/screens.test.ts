/**
 * The live session's screens at the three sizes the issue names (360x740, 1280x720, 1920x1080),
 * each checked with axe: the console, a member rating, and the projector joining, live, revealed
 * and closed. `npm run screenshots` keeps them in docs/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, checkedScreenshot as screenshot, launchChromium, newPage as openPage } from '../helpers/browser';
import { call, createWorkshop, joinAsMember, type Member } from '../helpers/clients';
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

const SIZES = [
	{ name: '360', options: PHONE },
	{ name: '1280', options: { viewport: { width: 1280, height: 720 } } },
	{ name: '1920', options: { viewport: { width: 1920, height: 1080 } } }
];
const TEXTS = ['Barnas behov blir ikke tilstrekkelig kartlagt', 'Vedtak om økonomisk stønad er mangelfullt begrunnet', 'Nødhjelp gis ikke samme dag', 'Oppfølgingen etter vedtak mangler', 'Tolk brukes ikke når det trengs'];
const POINTS = Array.from({ length: 40 }, (_, i) => `${TEXTS[i % TEXTS.length]}${i >= TEXTS.length ? ` (${Math.floor(i / TEXTS.length) + 1})` : ''}`);

/** Each screen at each size; the console and the projector fill laptop and projector screens without scrolling. */
async function shoot(path: string, name: string, ready: (page: Page) => Promise<unknown>) {
	for (const size of SIZES) {
		const page = await openPage(browser, size.options);
		await page.goto(server.url + path);
		await ready(page);
		await page.waitForTimeout(300);
		// on a phone the first screen is what counts (the console's lists go on below)
		await screenshot(page, `${name}-${size.name}`, { fullPage: size.name !== '360' });
		const [height, right, viewport] = await page.evaluate(() => [
			document.documentElement.scrollHeight,
			Math.max(...[...document.querySelectorAll('main *')].filter((el) => !el.closest('.table-scroll, .visually-hidden, [hidden]')).map((el) => el.getBoundingClientRect().right)),
			innerWidth
		]);
		// nothing sticks out sideways, at any size (wide tables scroll in their own box)
		expect(right, `${name} at ${size.name}: right edge`).toBeLessThanOrEqual(viewport + 1);
		if (size.name !== '360' && /console|projector/.test(name)) expect(height, `${name} at ${size.name}: page height`).toBeLessThanOrEqual(size.options.viewport.height);
		await page.context().close();
	}
}

describe('the live session at phone, laptop and projector sizes', () => {
	it('has every screen readable and free of axe violations', async () => {
		const live = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Vestland', pacing: 'facilitator' });
		const members: Member[] = [];
		for (let m = 0; m < 12; m++) members.push(await joinAsMember(server.url, live.joinCode));
		for (const [m, member] of members.slice(0, 9).entries()) {
			await member.socket.emitWithAck('rate', { riskPointId: live.riskPointIds[0]!, likelihood: 1 + (m % 5), consequence: 2 + (m % 4), ...(m % 3 === 0 ? { comment: 'Vi ser dette i mange saker' } : {}) });
		}
		await call(server.url, `/api/workshops/${live.id}`, { method: 'PATCH', key: live.facilitatorKey, json: { pointSeconds: 180 } });
		const key = `#key=${live.facilitatorKey}`;

		await shoot(`/facilitate/${live.id}${key}`, '20-console', (page) => page.getByText('9 av 12 har svart').waitFor());
		await shoot(`/join/${live.joinCode}`, '21-member-rating', async (page) => {
			await page.getByRole('button', { name: 'Start' }).click();
			await page.locator('.rate-point').waitFor();
		});
		await shoot(`/project/${live.id}`, '23-projector-live', (page) => page.getByRole('timer').waitFor());
		await call(server.url, `/api/workshops/${live.id}`, { method: 'PATCH', key: live.facilitatorKey, json: { revealed: [live.riskPointIds[0]] } });
		await shoot(`/project/${live.id}`, '24-projector-revealed', (page) => page.locator('.distribution').waitFor());
		await shoot(`/facilitate/${live.id}${key}`, '20b-console-revealed', (page) => page.getByText('Begrunnelser fra panelet (3)').waitFor());

		const joining = await createWorkshop(server.url, POINTS.slice(0, 5), { title: 'Nasjonalt fagpanel', pacing: 'facilitator' });
		await shoot(`/project/${joining.id}`, '22-projector-joining', (page) => page.locator('.join-code').waitFor());

		const finished = await createWorkshop(server.url, POINTS.slice(0, 20), { title: 'Statsforvalteren i Agder' });
		for (let m = 0; m < 6; m++) {
			const member = await joinAsMember(server.url, finished.joinCode);
			for (const [p, id] of finished.riskPointIds.entries()) await member.socket.emitWithAck('rate', { riskPointId: id, likelihood: 1 + ((p * 3 + m) % 5), consequence: 1 + ((p + m * 2) % 5) });
			members.push(member);
		}
		await call(server.url, `/api/workshops/${finished.id}`, { method: 'PATCH', key: finished.facilitatorKey, json: { status: 'closed' } });
		await shoot(`/project/${finished.id}`, '25-projector-final', (page) => page.locator('.top-list').waitFor());

		// the assessment page uses a wide screen; its wide tables scroll in their own boxes
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Tilsyn med sosiale tjenester i Nav 2027', riskPoints: POINTS.slice(0, 12).map((text) => ({ text })) } })).body;
		await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { preset: 'county-governors' } });
		await shoot(`/assessments/${assessment.id}#key=${assessment.ownerKey}`, '26-assessment', (page) => page.getByRole('heading', { name: /Workshoper \(10\)/ }).waitFor());
		const wide = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
		await wide.goto(`${server.url}/assessments/${assessment.id}#key=${assessment.ownerKey}`);
		await wide.getByRole('heading', { name: /Workshoper \(10\)/ }).waitFor();
		expect(await wide.locator('main').evaluate((main) => main.getBoundingClientRect().width)).toBeGreaterThan(1800);
		expect(members.length).toBe(18);
		for (const member of members) member.socket.disconnect();
	});
});
