/**
 * Start-up with many stored workshops: makes N workshops of P points (each opened, with M members
 * and their ratings) through the API, stops the server, and starts it again on the same data:
 * time until it answers, and its memory then and after reading one workshop.
 *
 *   npm run bench:startup -- --workshops 10000 --points 30 --members 3
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import { call } from '../tests/helpers/clients';
import { startServer } from '../tests/helpers/server';
import { round1, summaryLine } from './stats';

const { values } = parseArgs({
	options: { workshops: { type: 'string', default: '10000' }, points: { type: 'string', default: '30' }, members: { type: 'string', default: '3' } }
});
const W = Number(values.workshops);
const P = Number(values.points);
const M = Number(values.members);
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const first = await startServer();
const list = Array.from({ length: P }, (_, i) => `Risikopunkt ${i + 1}: noe som kan gå galt i tjenesten`).join('\n');
const made: { id: string; key: string }[] = [];
const started = performance.now();
for (let batch = 0; batch < W; batch += 25) {
	await Promise.all(
		Array.from({ length: Math.min(25, W - batch) }, async (_, i) => {
			const created = (await call(first.url, '/api/workshops', { method: 'POST', json: { title: `Workshop ${batch + i + 1}` } })).body;
			const points = await call(first.url, `/api/workshops/${created.id}/risk-points`, { method: 'PUT', key: created.facilitatorKey, type: 'text/plain', body: list });
			await call(first.url, `/api/workshops/${created.id}`, { method: 'PATCH', key: created.facilitatorKey, json: { status: 'open' } });
			made.push({ id: created.id, key: created.facilitatorKey });
			for (let m = 0; m < M; m++) {
				const socket = io(first.url, { auth: { joinCode: created.joinCode }, transports: ['websocket'], forceNew: true, reconnection: false });
				await new Promise((done) => socket.once('workshop', done));
				for (const [p, point] of (points.body.riskPoints as { id: string }[]).entries()) {
					await socket.emitWithAck('rate', { riskPointId: point.id, likelihood: 1 + ((p + m) % 5), consequence: 1 + ((p * 3 + m) % 5) });
				}
				socket.close();
			}
		})
	);
}
const fillSeconds = (performance.now() - started) / 1000;
const rssFull = rssMb(first.child.pid!);
await first.stop();

const restarted = performance.now();
const second = await startServer({ dataDir: first.dataDir });
const listening = (performance.now() - restarted) / 1000;
const probe = made[Math.floor(made.length / 2)]!;
const answer = await call(second.url, `/api/workshops/${probe.id}/results`, { key: probe.key });
const firstAnswer = (performance.now() - restarted) / 1000;
const rssStarted = rssMb(second.child.pid!);
console.log(
	summaryLine('startup', {
		workshops: W,
		points: P,
		members: M,
		fillSeconds: round1(fillSeconds),
		rssAfterFillingMb: round1(rssFull),
		startSeconds: round1(listening),
		firstAnswerSeconds: round1(firstAnswer),
		firstAnswerStatus: answer.status,
		rssAfterStartMb: round1(rssStarted)
	})
);
await second.stop();
