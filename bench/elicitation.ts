/**
 * A two-round elicitation at full size: 40 members, 60 points, every member rates every point in
 * round 1, the facilitator starts round 2 for all points, and everyone rates again. Measures how
 * long after each `rate` the facilitator's `results` and the projector's view show it, and the
 * server's memory (VmRSS of the server process, sampled every 100 ms).
 *
 *   npm run bench:elicitation [-- --members 40 --points 60 --rate 200]
 *
 * Ratings go out in a fixed order, point by point, `rate` per second in total, so the n-th rating
 * of a point in a round is the one that lifts that round's answer count to n.
 */
import { parseArgs } from 'node:util';
import { call, createWorkshop, followProjector, followResults, joinAsFacilitator, joinAsMember, joinAsProjector } from '../tests/helpers/clients';
import { startServer } from '../tests/helpers/server';
import type { WorkshopResults } from '../src/lib/domain/results';
import type { ProjectorView } from '../src/lib/protocol';
import { percentile, round1, summaryLine } from './stats';
import { rssMb } from './proc';

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
const pid = server.child.pid!;
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 100);
try {
	const idleRss = rssMb(pid);
	const workshop = await createWorkshop(server.url, Array.from({ length: POINTS }, (_, i) => `Risikopunkt ${i + 1}`), {
		pacing: 'facilitator'
	});
	const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
	const projector = await joinAsProjector(server.url, workshop);
	const members = [];
	for (let i = 0; i < MEMBERS; i++) members.push(await joinAsMember(server.url, workshop.joinCode, { name: `Medlem ${i + 1}` }));
	const indexOf = new Map(workshop.riskPointIds.map((id, i) => [id, i]));

	/** "round:point:n" -> when the n-th rating of the point in the round was sent / first seen */
	const sentAt = new Map<string, number>();
	const onFacilitator = new Map<string, number>();
	const onProjector = new Map<string, number>();
	const mark = (seen: Map<string, number>, round: number, point: number, responses: number, now: number) => {
		for (let n = responses; n >= 1; n--) {
			const key = `${round}:${point}:${n}`;
			if (seen.has(key)) break;
			if (sentAt.has(key)) seen.set(key, now);
		}
	};
	let resultsEvents = 0;
	let projectorEvents = 0;
	// whole results, then what changed (resultsDelta), merged
	followResults(facilitator.socket, (results: WorkshopResults) => {
		const now = performance.now();
		resultsEvents++;
		for (const point of results.riskPoints) {
			point.rounds.forEach((r) => mark(onFacilitator, r.round, indexOf.get(point.id)!, r.responses, now));
		}
	});
	followProjector(projector.socket, (view: ProjectorView) => {
		const now = performance.now();
		projectorEvents++;
		for (const point of view.points) mark(onProjector, point.round, indexOf.get(point.id)!, point.responses, now);
	});

	const ackTimes: number[] = [];
	const runRound = async (round: number) => {
		const sends: Promise<void>[] = [];
		const started = performance.now();
		for (let p = 0; p < POINTS; p++) {
			for (let m = 0; m < MEMBERS; m++) {
				const due = started + (p * MEMBERS + m) * SPACING;
				const wait = due - performance.now();
				if (wait > 1) await new Promise((done) => setTimeout(done, wait));
				const key = `${round}:${p}:${m + 1}`;
				const sent = performance.now();
				sentAt.set(key, sent);
				const likelihood = round === 1 ? ((m + p) % 5) + 1 : ((m + p) % 2) + 3;
				sends.push(
					members[m]!.socket
						.emitWithAck('rate', { riskPointId: workshop.riskPointIds[p]!, likelihood, consequence: (m % 5) + 1 })
						.then((ack) => {
							if (!ack.ok) throw new Error(ack.error);
							ackTimes.push(performance.now() - sent);
						})
				);
			}
		}
		await Promise.all(sends);
		await new Promise((done) => setTimeout(done, 500));
	};

	await runRound(1);
	const started = await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { newRound: 'all' } });
	if (started.status !== 200) throw new Error(started.text);
	await runRound(2);

	const latencies = (seen: Map<string, number>) => {
		const list = [...sentAt].map(([key, sent]) => (seen.get(key) ?? Number.NaN) - sent);
		const shown = list.filter((value) => !Number.isNaN(value));
		return { shown, missing: list.length - shown.length };
	};
	const f = latencies(onFacilitator);
	const p = latencies(onProjector);
	console.log(
		summaryLine('elicitation', {
			members: MEMBERS,
			points: POINTS,
			rounds: 2,
			ratings: sentAt.size,
			ratePerSecond: round1(1000 / SPACING),
			facilitatorMedianMs: round1(percentile(f.shown, 50)),
			facilitatorP95Ms: round1(percentile(f.shown, 95)),
			facilitatorWorstMs: round1(Math.max(...f.shown)),
			facilitatorMissing: f.missing,
			resultsEvents,
			projectorMedianMs: round1(percentile(p.shown, 50)),
			projectorP95Ms: round1(percentile(p.shown, 95)),
			projectorWorstMs: round1(Math.max(...p.shown)),
			projectorMissing: p.missing,
			projectorEvents,
			ackMedianMs: round1(percentile(ackTimes, 50)),
			ackWorstMs: round1(Math.max(...ackTimes)),
			serverRssIdleMb: round1(idleRss),
			serverRssPeakMb: round1(peakRss),
			serverRssEndMb: round1(rssMb(pid))
		})
	);
	for (const member of members) member.socket.close();
	facilitator.socket.close();
	projector.socket.close();
} finally {
	clearInterval(sampler);
	await server.stop();
}
