import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { axeViolations, describeViolations } from './axe';

/** Debian's Chromium (apt-get install chromium); never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}

/** Screenshots go to $SCREENSHOT_DIR (npm run screenshots sets docs/screenshots), else a temp folder. */
const directory = resolve(process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'risikoverksted-screenshots'));
mkdirSync(directory, { recursive: true });

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
	const path = join(directory, `${name}.png`);
	await page.screenshot({ path, fullPage: options.fullPage ?? true });
	return path;
}

/** How many pixels of a chart's canvas (inside the located element) are drawn on: 0 until chart.js has drawn it. */
export const inkOn = (chart: Locator) =>
	chart.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
		const context = canvas.getContext('2d');
		if (!context || canvas.width === 0) return 0;
		const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
		let ink = 0;
		for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) ink++;
		return ink;
	});

export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const LAPTOP = { viewport: { width: 1280, height: 800 } };

/** A page in a fresh context (Norwegian locale, CSP bypassed so axe can be injected); page errors fail the test. */
export async function newPage(browser: Browser, options: object = {}): Promise<Page> {
	const context = await browser.newContext({ locale: 'nb-NO', ...options, bypassCSP: true });
	const page = await context.newPage();
	page.on('pageerror', (error) => {
		throw error;
	});
	// a page is used once its script has run: a click before hydration is lost on a busy machine
	const goto = page.goto.bind(page);
	page.goto = async (url, gotoOptions) => {
		const response = await goto(url, gotoOptions);
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		return response;
	};
	return page;
}

/** Every screen a test shows is also checked with axe: a screenshot only of a page without violations. */
export async function checkedScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
	const violations = await axeViolations(page);
	if (violations.length > 0) throw new Error(`${name}: axe found violations:\n${describeViolations(violations)}`);
	return screenshot(page, name, options);
}

/**
 * Waits until the page shows what it will show: its script has run (the root layout marks
 * `<html data-hydrated>`), fonts are in, images decoded, no animation running, and two frames
 * painted. A condition, never a fixed sleep: on a busy machine it simply takes longer.
 */
export async function settled(page: Page): Promise<void> {
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
	await page.evaluate(async () => {
		await document.fonts.ready;
		await Promise.all([...document.images].filter((image) => !image.complete).map((image) => image.decode()));
		await Promise.all(document.getAnimations().map((animation) => animation.finished));
		await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
	});
}
