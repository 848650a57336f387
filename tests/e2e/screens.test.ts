/**
 * The live session's screens at the three sizes the issue names (360x740, 1280x720, 1920x1080),
 * each checked with axe: the console, a member rating, and the projector joining, live, revealed
 * and closed. One test per screen and size; the workshops they show are made once per group.
 * `npm run screenshots` keeps them in docs/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, checkedScreenshot as screenshot, launchChromium, newPage as openPage, settled } from '../helpers/browser';
import { call, createWorkshop, joinAsMember, projectorPath, type CreatedWorkshop, type Member } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
const members: Member[] = [];
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
	for (const member of members) member.socket.disconnect();
	await browser?.close();
	await server?.stop();
});

const SIZES = [
	{ name: '360', options: PHONE },
	{ name: '1280', options: { viewport: { width: 1280, height: 720 } } },
	{ name: '1920', options: { viewport: { width: 1920, height: 1080 } } }
];
type Size = (typeof SIZES)[number];
const TEXTS = ['Barnas behov blir ikke tilstrekkelig kartlagt', 'Vedtak om økonomisk stønad er mangelfullt begrunnet', 'Nødhjelp gis ikke samme dag', 'Oppfølgingen etter vedtak mangler', 'Tolk brukes ikke når det trengs'];
const POINTS = Array.from({ length: 40 }, (_, i) => `${TEXTS[i % TEXTS.length]}${i >= TEXTS.length ? ` (${Math.floor(i / TEXTS.length) + 1})` : ''}`);

/** One screen at one size: axe-checked screenshot; the console and the projector fill laptop and projector screens without scrolling. */
async function shoot(path: string, name: string, size: Size, ready: (page: Page) => Promise<unknown>) {
	const page = await openPage(browser, size.options);
	try {
		await page.goto(server.url + path);
		await ready(page);
		await settled(page);
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
	} finally {
		await page.context().close();
	}
}

describe('a facilitator-paced session of 40 points, 12 members, 9 answers', () => {
	let live: CreatedWorkshop & { riskPointIds: string[] };
	let key = '';
	let projectorLive = '';
	beforeAll(async () => {
		live = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Vestland', pacing: 'facilitator' });
		for (let m = 0; m < 12; m++) members.push(await joinAsMember(server.url, live.joinCode));
		for (const [m, member] of members.slice(0, 9).entries()) {
			await member.socket.emitWithAck('rate', { riskPointId: live.riskPointIds[0]!, likelihood: 1 + (m % 5), consequence: 2 + (m % 4), ...(m % 3 === 0 ? { comment: 'Vi ser dette i mange saker' } : {}) });
		}
		await call(server.url, `/api/workshops/${live.id}`, { method: 'PATCH', key: live.facilitatorKey, json: { pointSeconds: 180 } });
		key = `#key=${live.facilitatorKey}`;
		projectorLive = await projectorPath(server.url, live);
	});

	describe('before the reveal', () => {
		it.each(SIZES)('shows the console at $name', (size) => shoot(`/facilitate/${live.id}${key}`, '20-console', size, (page) => page.getByText('9 av 12 har svart').waitFor()));
		it.each(SIZES)('shows a member the rating screen at $name', (size) =>
			shoot(`/join/${live.joinCode}`, '21-member-rating', size, async (page) => {
				await page.getByRole('button', { name: 'Start' }).click();
				await page.locator('.rate-point').waitFor();
			})
		);
		it.each(SIZES)('shows the projector live with a countdown at $name', (size) => shoot(projectorLive, '23-projector-live', size, (page) => page.getByRole('timer').waitFor()));
	});

	describe('after the first point is revealed', () => {
		beforeAll(async () => {
			await call(server.url, `/api/workshops/${live.id}`, { method: 'PATCH', key: live.facilitatorKey, json: { revealed: [live.riskPointIds[0]] } });
		});
		it.each(SIZES)('shows the projector the distribution at $name', (size) => shoot(projectorLive, '24-projector-revealed', size, (page) => page.locator('.distribution').waitFor()));
		it.each(SIZES)('shows the console the distribution and the reasons at $name', (size) =>
			shoot(`/facilitate/${live.id}${key}`, '20b-console-revealed', size, (page) => page.getByText('Begrunnelser fra panelet (3)').waitFor())
		);
	});
});

describe('a workshop members are joining', () => {
	let projectorJoining = '';
	beforeAll(async () => {
		const joining = await createWorkshop(server.url, POINTS.slice(0, 5), { title: 'Nasjonalt fagpanel', pacing: 'facilitator' });
		projectorJoining = await projectorPath(server.url, joining);
	});
	it.each(SIZES)('shows the projector the join code at $name', (size) => shoot(projectorJoining, '22-projector-joining', size, (page) => page.locator('.join-code').waitFor()));
});

describe('a closed workshop of 20 points rated by 6 members', () => {
	let projectorFinished = '';
	beforeAll(async () => {
		const made = await createWorkshop(server.url, POINTS.slice(0, 20), { title: 'Statsforvalteren i Agder' });
		for (let m = 0; m < 6; m++) {
			const member = await joinAsMember(server.url, made.joinCode);
			for (const [p, id] of made.riskPointIds.entries()) await member.socket.emitWithAck('rate', { riskPointId: id, likelihood: 1 + ((p * 3 + m) % 5), consequence: 1 + ((p + m * 2) % 5) });
			members.push(member);
		}
		await call(server.url, `/api/workshops/${made.id}`, { method: 'PATCH', key: made.facilitatorKey, json: { status: 'closed' } });
		projectorFinished = await projectorPath(server.url, made);
	});
	it.each(SIZES)('shows the projector the top ten and the matrix at $name', (size) => shoot(projectorFinished, '25-projector-final', size, (page) => page.locator('.top-list').waitFor()));
});

describe('an assessment with ten county governors', () => {
	let path = '';
	const heading = (page: Page) => page.getByRole('heading', { name: /Workshoper \(10\)/ }).waitFor();
	beforeAll(async () => {
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Tilsyn med sosiale tjenester i Nav 2027', riskPoints: POINTS.slice(0, 12).map((text) => ({ text })) } })).body;
		await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { preset: 'county-governors' } });
		path = `/assessments/${assessment.id}#key=${assessment.ownerKey}`;
	});
	// its wide tables scroll in their own boxes
	it.each(SIZES)('shows the assessment page at $name', (size) => shoot(path, '26-assessment', size, heading));
	it('uses the width of a projector-sized screen', async () => {
		const wide = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
		await wide.goto(server.url + path);
		await heading(wide);
		expect(await wide.locator('main').evaluate((main) => main.getBoundingClientRect().width)).toBeGreaterThan(1800);
		await wide.context().close();
	});
});
