/**
 * Size and time of each export of a full assessment: 11 workshops (1 national, 10 county
 * governors) x 30 members x 60 points, every member rating every point (19,800 ratings).
 * The workshops are made over the API; their ratings are written into the data files while the
 * server is stopped (faster than 19,800 socket round trips, and the same files the server writes);
 * then the server is restarted on them and each export is fetched 3 times.
 *
 *   npm run bench:export [-- --workshops 11 --members 30 --points 60]   (EXPORT_DIR=dir keeps the files)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { call } from '../tests/helpers/clients';
import { newDataDir, startServer } from '../tests/helpers/server';
import { percentile, round1, summaryLine } from './stats';

const { values } = parseArgs({
	options: {
		workshops: { type: 'string', default: '11' },
		members: { type: 'string', default: '30' },
		points: { type: 'string', default: '60' }
	}
});
const WORKSHOPS = Number(values.workshops);
const MEMBERS = Number(values.members);
const POINTS = Number(values.points);

const dataDir = await newDataDir();
let server = await startServer({ dataDir });
const created = await call(server.url, '/api/assessments', {
	method: 'POST',
	json: {
		title: 'Risikovurdering av sosiale tjenester i Nav',
		description: 'Nasjonalt fagpanel og ti statsforvaltere',
		riskPoints: Array.from({ length: POINTS }, (_, i) => ({ text: `Risikopunkt ${i + 1}: tjenesten svikter på område ${i + 1}`, category: ['kartlegging', 'vurdering og beslutning', 'oppfølging'][i % 3] }))
	}
});
const { id, ownerKey } = created.body as { id: string; ownerKey: string };
await call(server.url, `/api/assessments/${id}/workshops`, { method: 'POST', key: ownerKey, json: { kind: 'national' } });
if (WORKSHOPS > 1) {
	await call(server.url, `/api/assessments/${id}/workshops`, { method: 'POST', key: ownerKey, json: { preset: 'county-governors' } });
}
const overview = (await call(server.url, `/api/assessments/${id}`, { key: ownerKey })).body as { workshops: { id: string }[] };
await server.stop();

// deterministic pseudo-random answers
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const answer = (bias: number) => (random() < 0.05 ? null : Math.min(5, Math.max(1, Math.round(bias + (random() - 0.5) * 3))));
for (const workshop of overview.workshops.slice(0, WORKSHOPS)) {
	const path = join(dataDir, 'workshops', `${workshop.id}.json`);
	const record = JSON.parse(await readFile(path, 'utf8'));
	record.workshop.status = 'closed';
	const now = new Date().toISOString();
	for (let m = 0; m < MEMBERS; m++) {
		const participantId = `p${m}-${workshop.id}`;
		record.participants.push({ id: participantId, tokenHash: `${m}`.padStart(64, '0'), name: '', joinedAt: now });
		record.workshop.riskPoints.forEach((point: { id: string }, p: number) => {
			const bias = 1 + ((p * 7) % 5);
			record.ratings.push({ participantId, riskPointId: point.id, round: 1, likelihood: answer(bias), consequence: answer(6 - bias / 2), at: now });
		});
	}
	await writeFile(path, JSON.stringify(record));
}

server = await startServer({ dataDir });
try {
	const fields: Record<string, number | string> = { workshops: WORKSHOPS, members: MEMBERS, points: POINTS, ratings: WORKSHOPS * MEMBERS * POINTS };
	for (const format of ['xlsx', 'pdf', 'csv', 'json']) {
		const times: number[] = [];
		let bytes = 0;
		for (let i = 0; i < 3; i++) {
			const started = performance.now();
			const response = await fetch(`${server.url}/api/assessments/${id}/export.${format}`, { headers: { authorization: `Bearer ${ownerKey}` } });
			const body = new Uint8Array(await response.arrayBuffer());
			times.push(performance.now() - started);
			if (response.status !== 200) throw new Error(`${format}: ${response.status} ${new TextDecoder().decode(body).slice(0, 200)}`);
			bytes = body.byteLength;
			if (process.env.EXPORT_DIR) await writeFile(join(process.env.EXPORT_DIR, `assessment.${format}`), body);
		}
		fields[`${format}Kb`] = round1(bytes / 1024);
		fields[`${format}MedianMs`] = round1(percentile(times, 50));
		fields[`${format}WorstMs`] = round1(Math.max(...times));
	}
	const results = performance.now();
	await call(server.url, `/api/assessments/${id}/results`, { key: ownerKey });
	fields.resultsMs = round1(performance.now() - results);
	console.log(summaryLine('assessment-export', fields));
} finally {
	await server.stop();
}
