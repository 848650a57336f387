/**
 * Is the facilitator's dashboard usable during a burst of ratings? A 60-point workshop with 40
 * members rating at `rate` per second while the facilitator types notes in Chromium. Reports the
 * time from each keystroke to the next painted frame (median, p95, worst), long tasks (> 50 ms) on
 * the page's main thread during the burst, and whether every typed character arrived.
 *
 *   npm run bench:dashboard [-- --members 40 --points 60 --rate 200]
 */
import { parseArgs } from 'node:util';
import { createWorkshop, joinAsMember } from '../tests/helpers/clients';
import { launchChromium } from '../tests/helpers/browser';
import { startServer } from '../tests/helpers/server';
import { percentile, round1, summaryLine } from './stats';

const { values } = parseArgs({
	options: {
		members: { type: 'string', default: '40' },
		points: { type: 'string', default: '60' },
		rate: { type: 'string', default: '200' }
	}
});
const MEMBERS = Number(values.members);
const POINTS = Number(values.points);
const SPACING = 1000 / Number(values.rate);

const server = await startServer();
const browser = await launchChromium();
try {
	const workshop = await createWorkshop(server.url, Array.from({ length: POINTS }, (_, i) => `Risikopunkt ${i + 1} om tjenestene`), {
		pacing: 'facilitator'
	});
	const members = [];
	for (let i = 0; i < MEMBERS; i++) members.push(await joinAsMember(server.url, workshop.joinCode));

	const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'nb-NO' });
	await page.goto(workshop.facilitatorUrl.replace(/^http:\/\/[^/]+/, server.url));
	const notes = page.getByLabel('Oppsummering av diskusjonen');
	await notes.waitFor();
	await page.evaluate(() => {
		const w = window as unknown as { longTasks: number[]; keyToPaint: number[] };
		w.longTasks = [];
		w.keyToPaint = [];
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
		}).observe({ type: 'longtask', buffered: false });
		document.addEventListener(
			'keydown',
			(event) => {
				const start = event.timeStamp;
				requestAnimationFrame(() => setTimeout(() => w.keyToPaint.push(performance.now() - start), 0));
			},
			true
		);
	});
	await notes.click();

	let resultsShown = 0;
	const burst = (async () => {
		const sends: Promise<unknown>[] = [];
		const started = performance.now();
		for (let p = 0; p < POINTS; p++) {
			for (let m = 0; m < MEMBERS; m++) {
				const wait = started + (p * MEMBERS + m) * SPACING - performance.now();
				if (wait > 1) await new Promise((done) => setTimeout(done, wait));
				sends.push(members[m]!.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[p]!, likelihood: ((m + p) % 5) + 1, consequence: (m % 5) + 1 }));
			}
		}
		await Promise.all(sends);
	})();

	const text = 'Panelet var uenig om hvor ofte kartleggingen mangler, særlig i små kommuner med få ansatte. ';
	let typed = '';
	const typingStarted = performance.now();
	while (performance.now() - typingStarted < (POINTS * MEMBERS * SPACING) * 0.9) {
		await page.keyboard.type(text, { delay: 60 });
		typed += text;
	}
	await burst;
	await page.waitForTimeout(500);
	const value = await notes.inputValue();
	resultsShown = Number(await page.locator('.live tbody tr').first().locator('.count').textContent());
	const { longTasks, keyToPaint } = await page.evaluate(() => {
		const w = window as unknown as { longTasks: number[]; keyToPaint: number[] };
		return { longTasks: w.longTasks, keyToPaint: w.keyToPaint };
	});

	console.log(
		summaryLine('dashboard-typing', {
			members: MEMBERS,
			points: POINTS,
			ratings: MEMBERS * POINTS,
			ratePerSecond: round1(1000 / SPACING),
			keystrokes: keyToPaint.length,
			keyToPaintMedianMs: round1(percentile(keyToPaint, 50)),
			keyToPaintP95Ms: round1(percentile(keyToPaint, 95)),
			keyToPaintWorstMs: round1(Math.max(...keyToPaint)),
			longTasks: longTasks.length,
			longTaskWorstMs: round1(Math.max(0, ...longTasks)),
			longTaskTotalMs: round1(longTasks.reduce((a, b) => a + b, 0)),
			charactersLost: typed.length - value.length,
			firstPointAnswersShown: resultsShown
		})
	);
	for (const member of members) member.socket.close();
} finally {
	await browser.close();
	await server.stop();
}
