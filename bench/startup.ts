/**
 * Start-up with many stored workshops: writes N workshops of P points, each with M members who
 * answered every point, into a fresh data folder through the store itself (as the server would
 * have left them, faster than through the API), then starts the built server on it: time until it
 * listens and until it answers for one workshop, and its memory then.
 *
 *   npm run bench:startup -- --workshops 10000 --points 30 --members 3
 *   npm run bench:startup -- --workshops 10000 --entry /work/base/build/server.js   (an older build)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LowdbStore } from '../src/lib/server/store/lowdb/lowdb-store';
import type { WorkshopRecord } from '../src/lib/server/store/records';
import { defaultMatrix, defaultScales } from '../src/lib/domain/scales';
import { dictionary } from '../src/lib/domain/ids';
import { hashSecret, newSecret, randomId } from '../src/lib/server/workshops/secrets';
import { call } from '../tests/helpers/clients';
import { newDataDir, startServer } from '../tests/helpers/server';
import { round1, summaryLine } from './stats';

const { values } = parseArgs({
	options: {
		workshops: { type: 'string', default: '10000' },
		points: { type: 'string', default: '30' },
		members: { type: 'string', default: '3' },
		/** another build's build/server.js, to compare (e.g. a worktree of an older commit) */
		entry: { type: 'string' }
	}
});
const W = Number(values.workshops);
const P = Number(values.points);
const M = Number(values.members);
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const dataDir = await newDataDir();
const store = new LowdbStore(dataDir);
await store.open();
const now = new Date().toISOString();
const probe = { id: '', key: '' };
const filled = performance.now();
for (let batch = 0; batch < W; batch += 50) {
	await Promise.all(
		Array.from({ length: Math.min(50, W - batch) }, async (_, i) => {
			const key = newSecret();
			const riskPoints = Array.from({ length: P }, (_, p) => ({ id: randomId(6), code: `R${p + 1}`, text: `Risikopunkt ${p + 1}: noe som kan gå galt i tjenesten`, category: '', description: '' }));
			const participants = Array.from({ length: M }, () => ({ id: randomId(), tokenHash: hashSecret(newSecret()), name: '', joinedAt: now }));
			const record: WorkshopRecord = {
				version: 1,
				workshop: {
					id: randomId(),
					title: `Workshop ${batch + i + 1}`,
					language: 'nb',
					status: 'open',
					pacing: 'self',
					scales: defaultScales('nb'),
					matrix: defaultMatrix(),
					scoring: 'product-of-means',
					riskPoints,
					currentRiskPointId: null,
					joinCode: randomId(4).toUpperCase().replace(/[^A-Z0-9]/g, 'X').slice(0, 6),
					facilitatorKeyHash: hashSecret(key),
					createdAt: now,
					updatedAt: now,
					anonymous: true,
					countsOnly: false,
					consensusThreshold: 0.6,
					flagRule: 'consensus-and-iqr',
					minAnswers: 3,
					rounds: dictionary(),
					revealed: dictionary(),
					notes: dictionary(),
					assessmentId: null,
					kind: 'standalone'
				},
				participants,
				ratings: participants.flatMap((participant, m) =>
					riskPoints.map((point, p) => ({ participantId: participant.id, riskPointId: point.id, round: 1, likelihood: 1 + ((p + m) % 5), consequence: 1 + ((p * 3 + m) % 5), at: now }))
				),
				journalSeq: 0
			};
			await store.workshops.create(record);
			if (batch + i === Math.floor(W / 2)) Object.assign(probe, { id: record.workshop.id, key });
		})
	);
}
const fillSeconds = (performance.now() - filled) / 1000;

const started = performance.now();
const server = await startServer({ dataDir, entry: values.entry, env: { NODE_OPTIONS: '--max-old-space-size=4096' } });
const listening = (performance.now() - started) / 1000;
const rssListening = rssMb(server.child.pid!);
const answer = await call(server.url, `/api/workshops/${probe.id}/results`, { key: probe.key });
const firstAnswer = (performance.now() - started) / 1000;
console.log(
	summaryLine('startup', {
		workshops: W,
		points: P,
		members: M,
		fillSeconds: round1(fillSeconds),
		startSeconds: round1(listening),
		rssAtStartMb: round1(rssListening),
		firstAnswerSeconds: round1(firstAnswer),
		firstAnswerStatus: answer.status,
		answered: answer.body?.riskPoints?.[0]?.responses ?? '-',
		rssAfterFirstAnswerMb: round1(rssMb(server.child.pid!))
	})
);
await server.stop();
