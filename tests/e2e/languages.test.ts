import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, PHONE, launchChromium, settled } from '../helpers/browser';
import { axeViolations, describeViolations } from '../helpers/axe';
import { call, createWorkshop, joinAsMember, projectorPath, type CreatedWorkshop, type Member } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
	for (const member of members) member.socket.close();
	await browser?.close();
	await server?.stop();
});

/** A word each screen shows in each language (the skip link is on every page but the projector). */
const WORDS = {
	nb: { skip: 'Hopp til hovedinnhold', likelihood: 'Sannsynlighet', closed: 'avsluttet' },
	nn: { skip: 'Hopp til hovudinnhald', likelihood: 'Sannsyn', closed: 'avslutta' },
	en: { skip: 'Skip to main content', likelihood: 'Likelihood', closed: 'closed' }
} as const;

/** What the screens show: made once, before the first screen is checked. */
interface Made {
	workshop: CreatedWorkshop;
	closed: CreatedWorkshop;
	selfPaced: CreatedWorkshop;
	finished: CreatedWorkshop;
	second: CreatedWorkshop;
	assessment: { id: string; ownerKey: string };
	/** each workshop's projector link (its own key) */
	projectors: Record<'workshop' | 'selfPaced' | 'finished' | 'second', string>;
}
let made: Made;
const members: Member[] = [];

async function makeScreens(): Promise<Made> {
	// a facilitator-paced workshop with a revealed point, a closed one, and an assessment with results
	const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag'], { pacing: 'facilitator' });
	members.push(...(await Promise.all([0, 1, 2].map(() => joinAsMember(server.url, workshop.joinCode)))));
	for (const [i, member] of members.entries()) {
		await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: i + 2, consequence: 4 });
	}
	await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { revealed: [workshop.riskPointIds[0]] } });
	const closed = await createWorkshop(server.url, ['A']);
	await call(server.url, `/api/workshops/${closed.id}`, { method: 'PATCH', key: closed.facilitatorKey, json: { status: 'closed' } });
	const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Vurdering', riskPoints: [{ text: 'A' }, { text: 'B' }] } })).body;
	const added = await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'national' } });
	const national = added.body.workshops[0];
	await call(server.url, `/api/workshops/${national.id}`, { method: 'PATCH', key: national.facilitatorKey, json: { status: 'open' } });
	const ids = (await call(server.url, `/api/workshops/${national.id}/risk-points`, { key: national.facilitatorKey })).body.riskPoints.map((p: { id: string }) => p.id);
	const rater = await joinAsMember(server.url, national.joinCode);
	for (const id of ids) await rater.socket.emitWithAck('rate', { riskPointId: id, likelihood: 3, consequence: 4 });
	members.push(rater);

	// the screens of the live session: self-paced progress, the final view, a second round with a timer
	const selfPaced = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag']);
	const finished = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag']);
	const second = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag'], { pacing: 'facilitator' });
	for (const target of [selfPaced, finished, second]) {
		const one = await joinAsMember(server.url, target.joinCode);
		for (const [i, id] of target.riskPointIds.entries()) await one.socket.emitWithAck('rate', { riskPointId: id, likelihood: 2 + i, consequence: 4, comment: 'Vi ser det ofte' });
		members.push(one);
	}
	await call(server.url, `/api/workshops/${finished.id}`, { method: 'PATCH', key: finished.facilitatorKey, json: { status: 'closed' } });
	await call(server.url, `/api/workshops/${second.id}`, { method: 'PATCH', key: second.facilitatorKey, json: { revealed: [second.riskPointIds[0]] } });
	await call(server.url, `/api/workshops/${second.id}`, { method: 'PATCH', key: second.facilitatorKey, json: { newRound: [second.riskPointIds[0]], pointSeconds: 600, autoReveal: true } });
	const projectors = {
		workshop: await projectorPath(server.url, workshop),
		selfPaced: await projectorPath(server.url, selfPaced),
		finished: await projectorPath(server.url, finished),
		second: await projectorPath(server.url, second)
	};
	return { workshop, closed, selfPaced, finished, second, assessment, projectors };
}

/** Opens a console tab by its place among the tabs. */
const consoleTab = (index: number) => async (page: Page) => {
	await page.locator('[role="tab"]').nth(index).click();
	await page.locator('[role="tabpanel"]:not([hidden])').nth(0).waitFor();
};
/** Opens a tab of the assessment page by its place, and waits for what it shows. */
const assessmentTab = (index: number, shows: string) => async (page: Page) => {
	await page.locator('[role="tab"]').nth(index).click();
	await page.locator(`[role="tabpanel"]:not([hidden]) ${shows}`).first().waitFor();
};
const consoleOf = (m: Made) => `/facilitate/${m.workshop.id}#key=${m.workshop.facilitatorKey}`;

const SCREENS: { name: string; path: (m: Made) => string; options: object; then?: (page: Page) => Promise<void>; projector?: boolean }[] = [
	{ name: 'landing', path: () => '/', options: LAPTOP },
	{ name: 'facilitator console', path: consoleOf, options: LAPTOP },
	{ name: 'facilitator console: results tab', path: consoleOf, options: LAPTOP, then: consoleTab(1) },
	{ name: 'facilitator console: matrix tab', path: consoleOf, options: LAPTOP, then: consoleTab(2) },
	{ name: 'facilitator console: members tab', path: consoleOf, options: LAPTOP, then: consoleTab(3) },
	{ name: 'facilitator console: invite tab', path: consoleOf, options: LAPTOP, then: consoleTab(4) },
	{ name: 'facilitator console: settings tab', path: consoleOf, options: LAPTOP, then: consoleTab(5) },
	{ name: 'projector', path: (m) => m.projectors.workshop, options: { viewport: { width: 1920, height: 1080 } }, projector: true },
	{ name: 'projector: self pace progress', path: (m) => m.projectors.selfPaced, options: { viewport: { width: 1920, height: 1080 } }, projector: true },
	{ name: 'projector: final view', path: (m) => m.projectors.finished, options: { viewport: { width: 1280, height: 720 } }, projector: true },
	{ name: 'projector: round 1 beside round 2, timer', path: (m) => m.projectors.second, options: { viewport: { width: 1920, height: 1080 } }, projector: true },
	{ name: 'facilitator console: timer, round 2, reasons', path: (m) => `/facilitate/${m.second.id}#key=${m.second.facilitatorKey}`, options: { viewport: { width: 1280, height: 720 } } },
	{
		name: 'rating: round 2 with a reason and a countdown',
		path: (m) => `/join/${m.second.joinCode}`,
		options: PHONE,
		then: async (page) => {
			await page.locator('main form button[type="submit"]').click();
			await page.locator('.rate-point').waitFor();
			await page.locator('details.comment summary').click();
		}
	},
	{ name: 'join', path: (m) => `/join/${m.workshop.joinCode}`, options: PHONE },
	{
		name: 'rating (revealed point)',
		path: (m) => `/join/${m.workshop.joinCode}`,
		options: PHONE,
		then: async (page) => {
			await page.locator('main form button[type="submit"]').click();
			await page.locator('.rate-point').waitFor();
		}
	},
	{
		name: 'done (closed)',
		path: (m) => `/join/${m.closed.joinCode}`,
		options: PHONE,
		then: async (page) => {
			await page.locator('main form button[type="submit"]').click();
			await page.locator('.message.ok').waitFor();
		}
	},
	{ name: 'assessment: today', path: (m) => `/assessments/${m.assessment.id}#key=${m.assessment.ownerKey}`, options: LAPTOP, then: assessmentTab(0, 'table.workshops') },
	{ name: 'assessment: list and scales', path: (m) => `/assessments/${m.assessment.id}#key=${m.assessment.ownerKey}`, options: LAPTOP, then: assessmentTab(1, 'textarea') },
	{ name: 'assessment: results', path: (m) => `/assessments/${m.assessment.id}#key=${m.assessment.ownerKey}`, options: LAPTOP, then: assessmentTab(2, 'table.combined') },
	{ name: 'assessment: uncertainty', path: (m) => `/assessments/${m.assessment.id}#key=${m.assessment.ownerKey}`, options: LAPTOP, then: assessmentTab(3, 'form') },
	{ name: 'assessment: comparison', path: (m) => `/assessments/${m.assessment.id}#key=${m.assessment.ownerKey}`, options: LAPTOP, then: assessmentTab(4, 'table.comparison') },
	{ name: 'assessment: settings', path: (m) => `/assessments/${m.assessment.id}#key=${m.assessment.ownerKey}`, options: LAPTOP, then: assessmentTab(6, '#owner-link') },
	{ name: 'overview', path: () => '/assessments', options: LAPTOP },
	{ name: 'unknown code', path: () => '/join/ZZZZZZ', options: PHONE }
];

describe.each(['nb', 'nn', 'en'] as const)('every screen in %s', (language) => {
	/**
	 * One page per screen size, reused from screen to screen (a fresh context each time cost a
	 * fifth of the run). Each screen is a fresh load, and the page starts with nothing stored: a
	 * member's token or a key kept from one screen must not change the next.
	 */
	const pages = new Map<string, Page>();
	async function pageFor(options: object): Promise<Page> {
		const size = JSON.stringify(options);
		let page = pages.get(size);
		if (!page) {
			const context = await browser.newContext({ ...options, bypassCSP: true });
			await context.addCookies([{ name: 'lang', value: language, url: server.url }]);
			await context.addInitScript(() => localStorage.clear());
			page = await context.newPage();
			page.on('pageerror', (error) => {
				throw error;
			});
			pages.set(size, page);
		}
		return page;
	}
	beforeAll(async () => {
		made ??= await makeScreens();
	});
	afterAll(async () => {
		for (const page of pages.values()) await page.context().close();
	});
	it.each(SCREENS)('shows $name in the language, with no axe violations (WCAG 2.1 A and AA rules)', async (screen) => {
		const page = await pageFor(screen.options);
		await page.goto(server.url + screen.path(made));
		await settled(page);
		await screen.then?.(page);
		if (screen.name.startsWith('facilitator console')) await page.locator('table.results').waitFor({ state: 'attached' });
		if (screen.name.includes('timer')) await page.getByRole('timer').waitFor();
		if (screen.name.startsWith('projector:')) await page.locator('.top').waitFor();
		expect(await page.locator('html').getAttribute('lang'), `${language} ${screen.name}`).toBe(language);
		if (!screen.projector) expect(await page.getByText(WORDS[language].skip).count(), `${language} ${screen.name}`).toBe(1);
		const violations = await axeViolations(page);
		expect(violations, `${language} ${screen.name}:\n${describeViolations(violations)}`).toEqual([]);
	});
});

describe('the member and the language switch', () => {
	it('fits a 320 px wide screen (WCAG reflow, = 1280 px at 400 % zoom) and rates with the keyboard alone', async () => {
		const workshop = await createWorkshop(server.url, ['Barnas behov blir ikke tilstrekkelig kartlagt']);
		const context = await browser.newContext({ viewport: { width: 320, height: 640 }, locale: 'nb-NO', bypassCSP: true });
		const page = await context.newPage();
		const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		for (const path of ['/', `/join/${workshop.joinCode}`]) {
			await page.goto(server.url + path);
			await settled(page);
			expect(await overflow(), path).toBeLessThanOrEqual(0);
		}
		await page.getByRole('button', { name: 'Start' }).click();
		await page.locator('.rate-point').waitFor();
		expect(await overflow(), 'rating').toBeLessThanOrEqual(0);
		// keyboard alone: Tab to each scale (a radio group named by the scale), arrows to pick a level
		const focused = () => page.evaluate(() => {
			const element = document.activeElement as HTMLInputElement | null;
			return element?.type === 'radio' ? element.name : '';
		});
		for (const scale of ['likelihood', 'consequence']) {
			for (let i = 0; i < 40 && !(await focused()).startsWith(scale); i++) await page.keyboard.press('Tab');
			expect(await focused()).toMatch(new RegExp(`^${scale}`));
			await page.keyboard.press('ArrowDown');
			await page.keyboard.press('ArrowDown');
		}
		const checked = await page.locator('input[type="radio"]:checked').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
		expect(checked).toHaveLength(2);
		await page.getByText('Lagret ✓').waitFor();
		await context.close();
	});

	it('remembers the language a person picks, on every page', async () => {
		const context = await browser.newContext({ ...LAPTOP, locale: 'nb-NO', bypassCSP: true });
		const page = await context.newPage();
		await page.goto(server.url);
		// the switch works once the page's script runs (a click before then does nothing)
		await settled(page);
		await page.getByRole('button', { name: 'Nynorsk' }).click();
		await page.getByText(WORDS.nn.skip).waitFor({ state: 'attached' });
		await page.goto(`${server.url}/assessments`);
		expect(await page.locator('html').getAttribute('lang')).toBe('nn');
		await page.getByText(WORDS.nn.skip).waitFor({ state: 'attached' });
		await context.close();

		// before the script runs (here: without it) the switch is a form the server keeps as the choice
		const plain = await browser.newContext({ ...LAPTOP, locale: 'nb-NO', javaScriptEnabled: false });
		const noScript = await plain.newPage();
		await noScript.goto(`${server.url}/assessments`);
		await noScript.getByRole('button', { name: 'English' }).click();
		await noScript.getByText(WORDS.en.skip).waitFor({ state: 'attached' });
		expect(new URL(noScript.url()).pathname).toBe('/assessments');
		expect(await noScript.locator('html').getAttribute('lang')).toBe('en');
		await plain.close();
	});
});
