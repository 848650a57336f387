/**
 * How long after a member's `rate` does the facilitator's `results` show it?
 * A 30-member, 40-point workshop (defaults) on the production build in its own process.
 *
 *   npm run bench:latency [-- --members 30 --points 40 --spacing 20]
 *
 * Ratings go out in a fixed order, `spacing` ms apart (each member rates each point once, point by
 * point), so the n-th rating of a point is the one that lifts that point's answer count to n: the
 * first `results` event showing that count is the one that carries it.
 */
import { parseArgs } from 'node:util';
import { createWorkshop, followResults, joinAsFacilitator, joinAsMember } from '../tests/helpers/clients';
import { startServer } from '../tests/helpers/server';
import type { WorkshopResults } from '../src/lib/domain/results';
import { percentile, round1, summaryLine } from './stats';

const { values } = parseArgs({
	options: {
		members: { type: 'string', default: '30' },
		points: { type: 'string', default: '40' },
		spacing: { type: 'string', default: '20' }
	}
});
const MEMBERS = Number(values.members);
const POINTS = Number(values.points);
const SPACING = Number(values.spacing);

const server = await startServer();
try {
	const workshop = await createWorkshop(
		server.url,
		Array.from({ length: POINTS }, (_, i) => `Risikopunkt ${i + 1}`)
	);
	const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
	const members = [];
	for (let i = 0; i < MEMBERS; i++) members.push(await joinAsMember(server.url, workshop.joinCode));

	const sentAt = new Map<string, number>(); // "pointIndex:n" -> when the n-th rating of the point was sent
	const shownAt = new Map<string, number>();
	let events = 0;
	// whole results, then what changed (resultsDelta), merged
	followResults(facilitator.socket, (results: WorkshopResults) => {
		const now = performance.now();
		events++;
		results.riskPoints.forEach((point) => {
			const index = workshop.riskPointIds.indexOf(point.id);
			for (let n = 1; n <= point.responses; n++) {
				const key = `${index}:${n}`;
				if (!shownAt.has(key) && sentAt.has(key)) shownAt.set(key, now);
			}
		});
	});

	const ackTimes: number[] = [];
	const sends: Promise<void>[] = [];
	const started = performance.now();
	for (let p = 0; p < POINTS; p++) {
		for (let m = 0; m < MEMBERS; m++) {
			const due = started + (p * MEMBERS + m) * SPACING;
			const wait = due - performance.now();
			if (wait > 0) await new Promise((done) => setTimeout(done, wait));
			const key = `${p}:${m + 1}`;
			const sent = performance.now();
			sentAt.set(key, sent);
			sends.push(
				members[m]!.socket
					.emitWithAck('rate', { riskPointId: workshop.riskPointIds[p]!, likelihood: ((m + p) % 5) + 1, consequence: (m % 5) + 1 })
					.then((ack) => {
						if (!ack.ok) throw new Error(ack.error);
						ackTimes.push(performance.now() - sent);
					})
			);
		}
	}
	await Promise.all(sends);
	await new Promise((done) => setTimeout(done, 500));

	const latencies = [...sentAt].map(([key, sent]) => (shownAt.get(key) ?? Number.NaN) - sent);
	const missing = latencies.filter(Number.isNaN).length;
	const shown = latencies.filter((value) => !Number.isNaN(value));
	console.log(
		summaryLine('rate-to-results', {
			members: MEMBERS,
			points: POINTS,
			ratings: sentAt.size,
			ratePerSecond: round1(1000 / SPACING),
			resultsEvents: events,
			medianMs: round1(percentile(shown, 50)),
			p95Ms: round1(percentile(shown, 95)),
			worstMs: round1(Math.max(...shown)),
			ackMedianMs: round1(percentile(ackTimes, 50)),
			ackWorstMs: round1(Math.max(...ackTimes)),
			missing
		})
	);
	for (const member of members) member.socket.close();
	facilitator.socket.close();
} finally {
	await server.stop();
}
