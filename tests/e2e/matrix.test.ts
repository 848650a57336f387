/**
 * The matrix stays readable with many points (issue 14, item 1): 60 points, 30 of them in one
 * cell, at 360, 1280 and 1920 px: no two labels intersect, none leaves its cell or the matrix,
 * every point is either shown or counted in its cell's "+N", and the labels are not smaller on a
 * bigger screen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedScreenshot as screenshot, launchChromium, newPage as openPage } from '../helpers/browser';
import { createWorkshop, joinAsMember } from '../helpers/clients';
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

interface Geometry {
	chips: { cell: string; text: string; box: DOMRect; inCell: boolean; inGrid: boolean }[];
	overlaps: string[];
	counted: number;
	fontPx: number;
}

/** Every chip of the first matrix on the page, with its cell and the checks made in the page. */
function geometry(page: Page): Promise<Geometry> {
	return page.evaluate(() => {
		const grid = document.querySelector('.matrix .grid')!;
		const gridBox = grid.getBoundingClientRect();
		const inside = (a: DOMRect, b: DOMRect) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
		const chips = [...grid.querySelectorAll<HTMLElement>('.cell .chip')].map((chip) => {
			const cell = chip.closest<HTMLElement>('.cell')!;
			const box = chip.getBoundingClientRect();
			return { cell: cell.dataset.cell!, text: chip.textContent!.trim(), box: box.toJSON() as DOMRect, inCell: inside(box, cell.getBoundingClientRect()), inGrid: inside(box, gridBox) };
		});
		const overlaps: string[] = [];
		for (let i = 0; i < chips.length; i++) {
			for (let j = i + 1; j < chips.length; j++) {
				const a = chips[i]!.box;
				const b = chips[j]!.box;
				if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push(`${chips[i]!.text} × ${chips[j]!.text}`);
			}
		}
		// every placed point: shown as a chip, or counted in its cell's "+N"
		const counted = chips.reduce((sum, chip) => sum + (chip.text.startsWith('+') ? Number(chip.text.slice(1).split(/\s/)[0]) : /^R\d+$/.test(chip.text) ? 1 : 0), 0);
		const fontPx = parseFloat(getComputedStyle(grid.querySelector('.chip')!).fontSize);
		return { chips, overlaps, counted, fontPx };
	});
}

describe('the risk matrix with 60 points', () => {
	it('keeps every label inside its cell, apart from the others and readable at 360, 1280 and 1920 px', async () => {
		const points = Array.from({ length: 60 }, (_, i) => `Risikopunkt ${i + 1}`);
		const workshop = await createWorkshop(server.url, points, { title: 'Seksti punkter' });
		// 30 points in cell 4-4, 10 in 3-3, the rest spread over the matrix
		const answerOf = (p: number): [number, number] => (p < 30 ? [4, 4] : p < 40 ? [3, 3] : [1 + (p % 5), 1 + ((p * 3) % 5)]);
		for (let m = 0; m < 3; m++) {
			const member = await joinAsMember(server.url, workshop.joinCode);
			for (const [p, riskPointId] of workshop.riskPointIds.entries()) {
				const [likelihood, consequence] = answerOf(p);
				await member.socket.emitWithAck('rate', { riskPointId, likelihood, consequence });
			}
			member.socket.close();
		}

		const sizes: Record<number, number> = {};
		for (const width of [360, 1280, 1920]) {
			const page = await openPage(browser, { viewport: { width, height: width === 360 ? 740 : width === 1280 ? 720 : 1080 } });
			await page.goto(`${server.url}/facilitate/${workshop.id}#key=${workshop.facilitatorKey}`);
			await page.getByRole('tab', { name: 'Matrise' }).click();
			const matrix = page.locator('.matrix .grid').first();
			await matrix.scrollIntoViewIfNeeded();
			await expect.poll(async () => (await geometry(page)).counted, { timeout: 15_000 }).toBe(60);
			const shape = await geometry(page);
			expect(shape.overlaps, `${width} px: overlapping labels`).toEqual([]);
			expect(shape.chips.filter((chip) => !chip.inCell).map((chip) => chip.text), `${width} px: labels outside their cell`).toEqual([]);
			expect(shape.chips.filter((chip) => !chip.inGrid).map((chip) => chip.text), `${width} px: labels outside the matrix`).toEqual([]);
			// the crowded cell shows some codes and "+N" for the rest
			const crowded = shape.chips.filter((chip) => chip.cell === '4-4');
			expect(crowded.at(-1)!.text).toMatch(/^\+\d+/);
			expect(crowded.length).toBeGreaterThan(1);
			sizes[width] = shape.fontPx;

			// the full text on focus, and the crowded cell opens
			await page.locator('.cell[data-cell="4-4"] .chip').first().focus();
			await page.locator('.matrix .detail').getByText('Risikopunkt').waitFor();
			await page.locator('.cell[data-cell="4-4"] .chip.more').click();
			await expect.poll(async () => (await geometry(page)).chips.filter((chip) => chip.cell === '4-4' && /^R\d+$/.test(chip.text)).length).toBe(30);
			const opened = await geometry(page);
			expect(opened.overlaps, `${width} px, cell opened: overlapping labels`).toEqual([]);
			expect(opened.chips.filter((chip) => !chip.inCell).map((chip) => chip.text)).toEqual([]);
			await page.locator('.cell[data-cell="4-4"] .chip.more').click();
			await matrix.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp/risikoverksted-screenshots'}/19-matrix-60-points-${width}.png` });
			if (width === 1280) await screenshot(page, '19-facilitator-matrix-60-points-1280');
			await page.close();
		}
		expect(sizes[1920]!).toBeGreaterThanOrEqual(sizes[1280]!);
	}, 120_000);
});
