/**
 * A member with one bar of signal (issue 26, item 2): an answer given while the connection is
 * really gone (cut at a proxy between the phone and the server: Chromium's offline emulation
 * leaves an open WebSocket alone) waits on the phone, says so, survives the page being closed and
 * opened again, and reaches the server once when the connection is back.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, PHONE, launchChromium, newPage } from '../helpers/browser';
import { createWorkshop, joinAsMember, projectorPath } from '../helpers/clients';
import { startServer, storedWorkshop, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

/**
 * A TCP proxy in front of the server whose connection can be cut (every socket closed, nothing
 * accepted) and restored on the same port; with `blockWebSockets`, as some office proxies do, it
 * closes any connection that asks for a WebSocket and passes everything else.
 */
async function proxyTo(target: string, { blockWebSockets = false } = {}) {
	const { hostname, port } = new URL(target);
	const sockets = new Set<Socket>();
	let listener: Server | null = null;
	let at = 0;
	const listen = () =>
		new Promise<void>((resolve, reject) => {
			listener = createServer((client) => {
				const upstream = connect(Number(port), hostname);
				for (const socket of [client, upstream]) {
					sockets.add(socket);
					socket.on('close', () => sockets.delete(socket));
					socket.on('error', () => socket.destroy());
				}
				upstream.pipe(client);
				client.on('data', (chunk: Buffer) => {
					if (blockWebSockets && /^upgrade:\s*websocket/im.test(chunk.toString('latin1'))) {
						client.destroy();
						upstream.destroy();
					} else upstream.write(chunk);
				});
				client.on('end', () => upstream.end());
			});
			listener.once('error', reject);
			listener.listen(at, '127.0.0.1', () => {
				at = (listener!.address() as { port: number }).port;
				resolve();
			});
		});
	await listen();
	return {
		url: () => `http://127.0.0.1:${at}`,
		cut: async () => {
			await new Promise<void>((resolve) => {
				listener!.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			});
		},
		restore: listen
	};
}

const POINTS = ['Barnas behov blir ikke kartlagt', 'Nødhjelp gis ikke samme dag', 'Vedtak er mangelfullt begrunnet', 'Tolk brukes ikke når det trengs'];

async function answer(page: Page, likelihood: number, consequence: number) {
	await page.getByRole('group', { name: 'Sannsynlighet' }).getByRole('radio', { name: new RegExp(`^${likelihood} – `) }).check();
	await page.getByRole('group', { name: 'Konsekvens' }).getByRole('radio', { name: new RegExp(`^${consequence} – `) }).check();
}
const status = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });
const WAITING = 'Venter på nett – svaret sendes når du er tilkoblet igjen.';
const ratingsOf = async (workshopId: string, pointId: string) => (await storedWorkshop(server.dataDir, workshopId)).ratings.filter((rating) => rating.riskPointId === pointId);

describe('a member whose connection goes', () => {
	it('keeps an answer given offline on the phone, through closing the page, and the server gets it once when the connection is back', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Nordland' });
		const [first, second, third] = workshop.riskPointIds as [string, string, string];
		const proxy = await proxyTo(server.url);
		const page = await newPage(browser, PHONE);
		await page.goto(`${proxy.url()}/join/${workshop.joinCode}`);
		await page.getByRole('button', { name: 'Start' }).click();
		await page.getByRole('heading', { name: POINTS[0] }).waitFor();
		await answer(page, 4, 5);
		await expect.poll(() => status(page, 'Lagret ✓').count()).toBe(1);

		// the connection goes (a basement room): the next answer waits on the phone, and says so
		await proxy.cut();
		await page.getByRole('button', { name: 'Neste' }).click();
		await page.getByRole('heading', { name: POINTS[1] }).waitFor();
		await answer(page, 2, 3);
		await status(page, WAITING).waitFor();
		expect(await ratingsOf(workshop.id, second)).toEqual([]);

		// the page is closed (the phone locks, the browser drops the tab) and opened again once the connection is back
		const context = page.context();
		await page.close();
		await proxy.restore();
		const again = await context.newPage();
		await again.goto(`${proxy.url()}/join/${workshop.joinCode}`);
		// the server has it, once, from the same member (not a new one)
		await expect.poll(() => ratingsOf(workshop.id, second), { timeout: 30_000 }).toMatchObject([{ likelihood: 2, consequence: 3 }]);
		const stored = await storedWorkshop(server.dataDir, workshop.id);
		expect(stored.participants.length).toBe(1);
		expect(stored.ratings.filter((rating) => rating.riskPointId === first)).toMatchObject([{ likelihood: 4, consequence: 5 }]);

		// gone again without closing the page: the answer is sent when the socket finds its way back by itself
		await again.getByRole('radio').first().waitFor();
		await again.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		await proxy.cut();
		const goTo = async (index: number) => {
			for (let step = 0; step < 4 && !(await again.getByRole('heading', { name: POINTS[index] }).isVisible()); step++) {
				await again.getByRole('button', { name: 'Neste' }).click();
			}
			await again.getByRole('heading', { name: POINTS[index] }).waitFor();
		};
		await goTo(2);
		await answer(again, 5, 1);
		await status(again, WAITING).waitFor();
		await proxy.restore();
		await status(again, 'Lagret ✓').waitFor({ timeout: 30_000 });
		expect(await ratingsOf(workshop.id, third)).toMatchObject([{ likelihood: 5, consequence: 1 }]);
		expect(await ratingsOf(workshop.id, second)).toHaveLength(1);
		await context.close();
	});

	it('joins and saves behind a proxy that lets no WebSocket through (socket.io on long-polling instead)', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Troms og Finnmark' });
		const proxy = await proxyTo(server.url, { blockWebSockets: true });
		const page = await newPage(browser, PHONE);
		const sockets: string[] = [];
		page.on('websocket', (socket) => sockets.push(socket.url()));
		const polls: string[] = [];
		page.on('request', (request) => {
			if (request.url().includes('transport=polling')) polls.push(request.url());
		});
		await page.goto(`${proxy.url()}/join/${workshop.joinCode}`);
		await page.getByRole('button', { name: 'Start' }).click();
		await page.getByRole('heading', { name: POINTS[0] }).waitFor();
		await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
		await answer(page, 3, 4);
		await status(page, 'Lagret ✓').waitFor({ timeout: 30_000 });
		expect(await ratingsOf(workshop.id, workshop.riskPointIds[0]!)).toMatchObject([{ likelihood: 3, consequence: 4 }]);
		// the page tried a WebSocket first, then went on over polling
		expect(sockets.length).toBeGreaterThan(0);
		expect(polls.length).toBeGreaterThan(0);
		await proxy.cut();
		await page.context().close();
	});

	it('shows the facilitator console and the projector live behind that proxy too', async () => {
		const workshop = await createWorkshop(server.url, POINTS, { title: 'Statsforvalteren i Innlandet', pacing: 'facilitator' });
		const proxy = await proxyTo(server.url, { blockWebSockets: true });
		const consolePage = await newPage(browser, LAPTOP);
		await consolePage.goto(`${proxy.url()}/facilitate/${workshop.id}#key=${workshop.facilitatorKey}`);
		const screen = await newPage(browser, LAPTOP);
		await screen.goto(proxy.url() + (await projectorPath(server.url, workshop)));
		await screen.locator('.join-code').getByText(workshop.joinCode).waitFor();
		// a member answers (straight to the server): both screens hear of it over polling
		const member = await joinAsMember(server.url, workshop.joinCode);
		expect(await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 2, consequence: 3 })).toMatchObject({ ok: true });
		await screen.getByText('1 av 1 har svart').waitFor();
		await consolePage.getByText('1 av 1 har svart').waitFor();
		// the proxy let no WebSocket through: both went on over polling
		for (const page of [consolePage, screen]) expect(await page.evaluate(() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('transport=polling')))).toBe(true);
		member.socket.disconnect();
		await proxy.cut();
		await Promise.all([consolePage.context().close(), screen.context().close()]);
	});
});
