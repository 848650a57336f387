/**
 * Load generator: W workshops of M members made over the public API, every member a real
 * socket.io connection, rating at a set total rate at random (Poisson) intervals. The app and the
 * ceiling (bench/ceiling.mjs: a bare socket.io server that only appends, fdatasyncs once per file
 * per turn and acks) run in the same invocation, interleaved (--runs N each, app first), and the
 * medians are printed as app, ceiling and their ratio, since this machine's absolute timings drift.
 *
 * Per run, one `BENCH load …` line: members connected and join time, ratings acknowledged per
 * second, rate-to-ack latency (p50, p99, max), rate-to-facilitator latency (p50, p99: the first
 * update showing the rating's count), server RSS peak and CPU, bytes a member receives per own
 * rating, bytes a facilitator receives per second, and with --loop-delay the server's event loop
 * delay and garbage collection (time and collections per second).
 *
 *   npm run bench:load -- --workshops 40 --members 50 --rate 2000 --duration 30 --runs 3
 *   npm run bench:load -- --workshops 1 --members 2000 --rate 2000 --duration 20
 *   npm run bench:load -- --workshops 200 --members 50 --rate 1000 --duration 30     (10,000 members)
 *   npm run bench:load -- --workshops 100 --members 50 --idle 15                     (idle members)
 *   npm run bench:load -- … --target app                                             (app only)
 *   npm run bench:load -- … --app-entry /work/base/build/server.js                   (an older build of the app)
 *   npm run bench:load -- … --profile /tmp/prof                                      (CPU profile of each server process)
 *   npm run bench:load -- … --node-args=--trace-gc --server-log /tmp/log              (node flags, server output)
 *   npm run bench:load -- … --target app,pg,pg3 --runs 3                             (lowdb, PostgreSQL, 3 processes on PostgreSQL behind HAProxy)
 *   npm run bench:load -- … --target app,types --runs 3                              (one consequence against five consequence types, DSB's method)
 *
 * Ratings go out point by point in each workshop (member 1..M rate point 1, then point 2, …), so
 * the n-th rating of a point is the one that lifts its answer count to n, and the first update of
 * the facilitator's results showing that count is the one that carries it.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import { call, followResults, joinAsFacilitator, type ClientSocket } from '../tests/helpers/clients';
import { newDataDir, startServer } from '../tests/helpers/server';
import pg from 'pg';
import { databaseFor, startPostgres, type PostgresCluster } from '../tests/helpers/postgres';
import { freePort } from '../tests/helpers/ports';
import { cpuSeconds, cpuSecondsOf, machineShares, machineTimes, rssMb } from './proc';
import { startHaproxy } from '../tests/helpers/balancer';
import { percentile, round1, summaryLine } from './stats';
import { printPerSecond, watchSeconds } from './per-second';

const { values } = parseArgs({
	options: {
		workshops: { type: 'string', default: '40' },
		members: { type: 'string', default: '50' },
		points: { type: 'string', default: '30' },
		rate: { type: 'string', default: '1000' },
		duration: { type: 'string', default: '30' },
		idle: { type: 'string' },
		/** app (lowdb), ceiling, pg (PostgreSQL, one process), pg3 (three behind HAProxy), types (the app with workshops by five consequence types); both = app,ceiling; a comma list runs them interleaved */
		target: { type: 'string', default: 'both' },
		runs: { type: 'string', default: '1' },
		/** write a CPU profile of each server process, the ceiling's too, into this folder (node --cpu-prof) */
		profile: { type: 'string' },
		'node-args': { type: 'string' },
		'server-log': { type: 'string' },
		'loop-delay': { type: 'boolean', default: false },
		/** with --loop-delay: a line per second of the run, the acks of ratings sent in it (p99, max) beside the server's loop delay and GC of that second */
		'per-second': { type: 'boolean', default: false },
		/** another build of the app (e.g. a worktree of an older commit: the figures before) */
		'app-entry': { type: 'string' },
		/** pg3: room (a workshop's members to one process, as the pages ask) or spread (round robin: every workshop on every process) */
		route: { type: 'string', default: 'room' }
	}
});
const W = Number(values.workshops);
const M = Number(values.members);
const P = Number(values.points);
const RATE = Number(values.rate);
const DURATION = Number(values.duration);
const IDLE = values.idle === undefined ? null : Number(values.idle);
type Target = 'app' | 'ceiling' | 'pg' | 'pg3' | 'types';
const TARGETS = (values.target === 'both' ? 'app,ceiling' : values.target!).split(',') as Target[];
if (!TARGETS.every((target) => ['app', 'ceiling', 'pg', 'pg3', 'types'].includes(target))) throw new Error('--target is app, ceiling, pg, pg3, types, both or a comma list');
const ROUTE = values.route;
if (ROUTE !== 'room' && ROUTE !== 'spread') throw new Error('--route is room or spread');
/** one throwaway PostgreSQL cluster for the pg targets, a fresh database per run */
let postgres: PostgresCluster | null = null;

interface BenchServer {
	url: string;
	/** where clients connect: the balancer in front of several processes */
	entry?: string;
	database?: string;
	pid: number;
	stop: () => Promise<void>;
	output: () => string;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The servers of one run: the app (one or more processes) or the ceiling. */
async function startTarget(target: Target): Promise<BenchServer[]> {
	const nodeArgs: string[] = [];
	if (values['loop-delay']) nodeArgs.push('--import', new URL('./loop-delay.mjs', import.meta.url).pathname);
	if (values['node-args']) nodeArgs.push(...values['node-args'].split(' ').filter(Boolean));
	const one = async (env: Record<string, string>) => {
		const server = await startServer({
			env,
			nodeArgs: values.profile ? [...nodeArgs, '--cpu-prof', `--cpu-prof-dir=${values.profile}`] : nodeArgs,
			entry: target === 'ceiling' ? new URL('./ceiling.mjs', import.meta.url).pathname : values['app-entry']
		});
		return { url: server.url, pid: server.child.pid!, stop: server.stop, output: server.output };
	};
	if (target === 'ceiling' || target === 'app' || target === 'types') return [await one({})];
	postgres ??= await startPostgres();
	const database = await databaseFor(postgres.adminUrl, await newDataDir());
	if (target === 'pg') return [{ ...(await one({ DATABASE_URL: database })), database }];
	const ports = [await freePort(), await freePort(), await freePort()];
	const servers: BenchServer[] = [];
	for (const port of ports) servers.push({ ...(await one({ DATABASE_URL: database, PORT: String(port) })), database });
	const balancer = await startHaproxy(ports);
	for (const server of servers) server.entry = balancer.url;
	const last = servers[servers.length - 1]!;
	const stopLast = last.stop;
	last.stop = async () => {
		await stopLast();
		balancer.stop();
	};
	return servers;
}

/** Bytes received by a socket, counted from its engine's packets (what crossed the wire, pings included). */
function countBytes(socket: ClientSocket, counter: { bytes: number }): void {
	socket.io.engine.on('packet', (packet: { data?: unknown }) => {
		if (typeof packet.data === 'string') counter.bytes += Buffer.byteLength(packet.data);
	});
}

/** An exponential wait (Poisson arrivals) with the given mean, in ms. */
const randomGap = (meanMs: number) => -Math.log(1 - Math.random()) * meanMs;

async function run(target: Target): Promise<Record<string, number | string>> {
	const servers = await startTarget(target);
	const peaks = servers.map((s) => rssMb(s.pid));
	const sampler = setInterval(() => servers.forEach((s, i) => (peaks[i] = Math.max(peaks[i]!, rssMb(s.pid)))), 250);
	const peakRss = () => Math.max(...peaks);
	const rssNow = () => servers.reduce((sum, s) => sum + rssMb(s.pid), 0);
	const cpuOfServers = () => servers.reduce((sum, s) => sum + cpuSeconds(s.pid), 0);
	// where every client goes: the one process, or the balancer in front of three
	const entry = servers[0]!.entry ?? servers[0]!.url;
	const cpuEach = () => servers.map((s) => cpuSeconds(s.pid));
	const database = servers[0]!.database;
	const commits = async () => {
		if (!database) return { commits: 0, syncs: 0 };
		const client = new pg.Client({ connectionString: database });
		await client.connect();
		try {
			// transactions (reads too) and WAL syncs (the fsyncs the commits cost)
			const row = (await client.query('SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits, (SELECT wal_sync FROM pg_stat_wal) AS syncs')).rows[0];
			return { commits: Number(row.commits), syncs: Number(row.syncs) };
		} finally {
			await client.end();
		}
	};
	const errors: string[] = [];
	const figures: Record<string, number | string> = { target };
	const memberBytes = { bytes: 0 };
	const facilitatorBytes = { bytes: 0 };
	try {
		const workshops: { id: string; joinCode: string; key: string; points: string[] }[] = [];
		for (let w = 0; w < W; w++) {
			// types: workshops by DSB's method, every rating with five consequence types
			const created = await call(entry, '/api/workshops', { method: 'POST', json: { title: `Last ${w + 1}`, ...(target === 'types' ? { method: 'perType' } : {}) } });
			const { id, joinCode, facilitatorKey: key } = created.body;
			const list = await call(entry, `/api/workshops/${id}/risk-points`, {
				method: 'PUT',
				key,
				type: 'text/plain',
				body: Array.from({ length: P }, (_, i) => `Punkt ${i + 1}`).join('\n')
			});
			await call(entry, `/api/workshops/${id}`, { method: 'PATCH', key, json: { status: 'open' } });
			workshops.push({ id, joinCode, key, points: list.body.riskPoints.map((p: { id: string }) => p.id) });
		}

		// members: real sockets, joined 50 at a time
		const members: ClientSocket[][] = workshops.map(() => []);
		const connectStarted = performance.now();
		for (let w = 0; w < W; w++) {
			for (let batch = 0; batch < M; batch += 50) {
				await Promise.all(
					Array.from({ length: Math.min(50, M - batch) }, async (_, i) => {
						const socket = io(entry, {
							auth: { joinCode: workshops[w]!.joinCode },
							// as the member's page does: a balancer may keep a workshop on one process
							query: ROUTE === 'room' ? { room: workshops[w]!.joinCode } : {},
							transports: ['websocket'],
							forceNew: true,
							reconnection: false
						}) as ClientSocket;
						// as the member's page does: say the token has arrived, so the server counts the member
						socket.on('participant', (_who, received) => received?.());
						await new Promise<void>((done, fail) => {
							socket.once('workshop', () => done());
							socket.once('connect_error', (error) => fail(error));
						});
						members[w]!.push(socket);
					})
				);
			}
		}
		const connectSeconds = (performance.now() - connectStarted) / 1000;
		const connected = members.reduce((sum, list) => sum + list.filter((s) => s.connected).length, 0);
		Object.assign(figures, { workshops: W, members: M, points: P, connected, connectSeconds: round1(connectSeconds) });

		if (IDLE !== null) {
			const rssConnected = rssNow();
			await sleep(IDLE * 1000);
			Object.assign(figures, { serverRssConnectedMb: round1(rssConnected), serverRssAfterIdleMb: round1(rssNow()), serverRssPeakMb: round1(peakRss()) });
			return figures;
		}

		// a facilitator per workshop, following the results (whole or deltas)
		const sentAt = new Map<string, number>();
		const shownAt = new Map<string, number>();
		const facilitators = await Promise.all(workshops.map((w) => joinAsFacilitator(entry, w.id, w.key, ROUTE === 'room' ? { room: w.joinCode } : {})));
		facilitators.forEach((facilitator, w) => {
			const indexOf = new Map(workshops[w]!.points.map((id, i) => [id, i]));
			followResults(facilitator.socket, (results) => {
				const now = performance.now();
				for (const point of results.riskPoints) {
					const p = indexOf.get(point.id)!;
					for (let n = point.responses; n >= 1; n--) {
						const key = `${w}:${p}:${n}`;
						if (shownAt.has(key)) break;
						if (sentAt.has(key)) shownAt.set(key, now);
					}
				}
			});
			countBytes(facilitator.socket, facilitatorBytes);
		});
		for (const list of members) for (const socket of list) countBytes(socket, memberBytes);
		await sleep(500);
		memberBytes.bytes = 0;
		facilitatorBytes.bytes = 0;

		const total = Math.min(RATE * DURATION, W * M * P);
		const perWorkshop = Math.ceil(total / W);
		const ackMs: number[] = [];
		/** acks by the wall-clock second their rating was sent in (--per-second) */
		const ackBySecond = new Map<number, number[]>();
		let acked = 0;
		const pending: Promise<void>[] = [];
		const cpuBefore = cpuOfServers();
		const cpuEachBefore = cpuEach();
		const commitsBefore = await commits();
		const dbCpuBefore = cpuSecondsOf('postgres');
		const machineBefore = machineTimes();
		const balancerCpuBefore = cpuSecondsOf('haproxy');
		const started = performance.now();
		const generatorDelay = monitorEventLoopDelay({ resolution: 5 });
		generatorDelay.enable();
		// with --per-second, the generator's own loop delay and GC each second: a late generator makes acks look late
		const generatorSeconds = new Map<number, string>();
		const stopGeneratorSeconds = values['per-second'] ? watchSeconds(generatorSeconds) : () => {};
		const serverLogFrom = servers.map((s) => s.output().length);
		let sent = 0;
		// random intervals with the set mean rate; round-robin over workshops; the i-th rating of a
		// workshop is (point i / M, member i % M)
		let nextAt = 0;
		while (sent < total) {
			const now = performance.now() - started;
			while (sent < total && nextAt <= now) {
				nextAt += randomGap(1000 / RATE);
				const w = sent % W;
				const i = Math.floor(sent / W);
				sent++;
				if (i >= perWorkshop) continue;
				const p = Math.floor(i / M);
				const m = i % M;
				const key = `${w}:${p}:${m + 1}`;
				const at = performance.now();
				sentAt.set(key, at);
				pending.push(
					members[w]![m]!
						.timeout(10_000)
						.emitWithAck(
							'rate',
							target === 'types'
								? { riskPointId: workshops[w]!.points[p]!, likelihood: ((m + p) % 5) + 1, consequence: null, types: [(m % 5) + 1, m % 3 ? 'na' : ((m + p) % 5) + 1, ((m + 2 * p) % 5) + 1, m % 7 ? ((p + 3) % 5) + 1 : null, ((m * p) % 5) + 1] }
								: { riskPointId: workshops[w]!.points[p]!, likelihood: ((m + p) % 5) + 1, consequence: (m % 5) + 1 }
						)
						.then(
							(ack) => {
								if (ack.ok) {
									acked++;
									const ms = performance.now() - at;
									ackMs.push(ms);
									if (values['per-second']) {
										const second = Math.floor((Date.now() - ms) / 1000);
										if (!ackBySecond.has(second)) ackBySecond.set(second, []);
										ackBySecond.get(second)!.push(ms);
									}
								} else errors.push(ack.error);
							},
							(error: Error) => void errors.push(error.message)
						)
				);
			}
			await sleep(2);
		}
		await Promise.all(pending);
		const elapsed = (performance.now() - started) / 1000;
		const cpuAfter = cpuOfServers();
		const cpuEachAfter = cpuEach();
		const dbCpuAfter = cpuSecondsOf('postgres');
		const machineAfter = machineTimes();
		const balancerCpuAfter = cpuSecondsOf('haproxy');
		const commitsAfter = await commits();
		generatorDelay.disable();
		stopGeneratorSeconds();
		await sleep(600);
		const traffic = { member: memberBytes.bytes, facilitator: facilitatorBytes.bytes };
		const serverLog = servers.map((s, i) => s.output().slice(serverLogFrom[i])).join('\n');
		const delays = [...serverLog.matchAll(/LOOPDELAY p50=[\d.]+ p99=([\d.]+) max=([\d.]+) gcMs=([\d.]+) gcs=(\d+)/g)];
		if (values['per-second']) printPerSecond(target, serverLog, ackBySecond, generatorSeconds);
		const toResults = [...sentAt].flatMap(([key, at]) => {
			const shown = shownAt.get(key);
			return shown === undefined ? [] : [shown - at];
		});
		Object.assign(figures, {
			ratingsSent: sent,
			acked,
			ackedPerSecond: round1(acked / elapsed),
			ackP50Ms: round1(percentile(ackMs, 50)),
			ackP99Ms: round1(percentile(ackMs, 99)),
			ackMaxMs: round1(Math.max(...ackMs)),
			resultsP50Ms: round1(percentile(toResults, 50)),
			resultsP99Ms: round1(percentile(toResults, 99)),
			resultsMissing: sentAt.size - toResults.length,
			serverRssPeakMb: round1(peakRss()),
			serverCpuPercent: round1(((cpuAfter - cpuBefore) / elapsed) * 100),
			memberBytesPerRating: round1(traffic.member / Math.max(acked, 1)),
			facilitatorKbPerSecond: round1(traffic.facilitator / 1024 / elapsed / W),
			errors: errors.length,
			generatorLoopDelayP99Ms: round1(generatorDelay.percentile(99) / 1e6),
			// the whole machine while ratings were sent: how busy its cores were, and how much time the host took from it
			...(() => {
				const { busy, steal } = machineShares(machineBefore, machineAfter);
				return { machineBusyPercent: round1(busy), machineStealPercent: round1(steal) };
			})(),
			...(values['loop-delay'] && delays.length
				? {
						serverLoopDelayWorstP99Ms: Math.max(...delays.map((m) => Number(m[1]))),
						serverLoopDelayMaxMs: Math.max(...delays.map((m) => Number(m[2]))),
						serverGcMsPerSecond: round1(delays.reduce((sum, m) => sum + Number(m[3]), 0) / delays.length),
						serverGcsPerSecond: round1(delays.reduce((sum, m) => sum + Number(m[4]), 0) / delays.length)
					}
				: {}),
			...(database
				? {
						dbTransactionsPerSecond: round1((commitsAfter.commits - commitsBefore.commits) / elapsed),
						walSyncsPerSecond: round1((commitsAfter.syncs - commitsBefore.syncs) / elapsed),
						// the database server's processes (CPU of backends that ended during the run is not counted)
						dbCpuPercent: round1(((dbCpuAfter - dbCpuBefore) / elapsed) * 100)
					}
				: {}),
			...(servers.length > 1
				? {
						processes: servers.length,
						route: ROUTE,
						balancerCpuPercent: round1(((balancerCpuAfter - balancerCpuBefore) / elapsed) * 100),
						cpuPercentEach: cpuEachAfter.map((after, i) => round1(((after - cpuEachBefore[i]!) / elapsed) * 100)).join('/'),
						rssPeakMbEach: peaks.map(round1).join('/')
					}
				: {})
		});
		if (errors.length) console.error('first errors:', [...new Set(errors)].slice(0, 5));
		for (const facilitator of facilitators) facilitator.socket.close();
		for (const list of members) for (const socket of list) socket.close();
		return figures;
	} finally {
		clearInterval(sampler);
		const output = servers.map((s) => s.output()).join('\n');
		for (const one of servers) await one.stop();
		if (values['server-log']) writeFileSync(`${values['server-log']}.${target}`, output);
	}
}

const results: Record<Target, Record<string, number | string>[]> = { app: [], ceiling: [], pg: [], pg3: [], types: [] };
for (let r = 0; r < Number(values.runs); r++) {
	for (const target of TARGETS) {
		const figures = await run(target);
		results[target].push(figures);
		console.log(summaryLine(IDLE === null ? 'load' : 'load-idle', figures));
	}
}

// medians per figure, and app / ceiling
if (TARGETS.length === 2 && TARGETS.includes('app') && TARGETS.includes('ceiling') && IDLE === null) {
	const median = (list: number[]) => percentile(list, 50);
	const compared = ['ackP50Ms', 'ackP99Ms', 'ackMaxMs', 'resultsP99Ms', 'serverCpuPercent', 'serverRssPeakMb', 'memberBytesPerRating', 'facilitatorKbPerSecond'];
	const line: Record<string, string | number> = { runs: Number(values.runs), workshops: W, members: M, rate: RATE };
	for (const key of compared) {
		const app = median(results.app.map((f) => Number(f[key])));
		const ceiling = median(results.ceiling.map((f) => Number(f[key])));
		line[key] = `${round1(app)}/${round1(ceiling)}/${round1(app / ceiling)}x`;
	}
	console.log(summaryLine('load-vs-ceiling (app/ceiling/ratio, medians)', line));
} else if (TARGETS.length === 2 && TARGETS.includes('app') && TARGETS.includes('types') && IDLE === null) {
	// five consequence types against one (issue 27): every run's pair, then the medians
	const compared = ['ackP50Ms', 'ackP99Ms', 'serverCpuPercent', 'serverRssPeakMb', 'memberBytesPerRating', 'facilitatorKbPerSecond'];
	results.types.forEach((types, run) => {
		const line: Record<string, string | number> = { run: run + 1 };
		for (const key of compared) line[key] = `${round1(Number(types[key]))}/${round1(Number(results.app[run]![key]))}/${round1(Number(types[key]) / Number(results.app[run]![key]))}x`;
		console.log(summaryLine('types-vs-one (types/one/ratio)', line));
	});
	const median = (list: number[]) => percentile(list, 50);
	const line: Record<string, string | number> = { runs: Number(values.runs), workshops: W, members: M, rate: RATE };
	for (const key of compared) {
		const types = median(results.types.map((f) => Number(f[key])));
		const one = median(results.app.map((f) => Number(f[key])));
		line[key] = `${round1(types)}/${round1(one)}/${round1(types / one)}x`;
	}
	console.log(summaryLine('types-vs-one (types/one/ratio, medians)', line));
} else if (IDLE === null && Number(values.runs) > 1) {
	// several targets: the median of each figure per target
	const median = (list: number[]) => percentile(list, 50);
	for (const target of TARGETS) {
		const line: Record<string, string | number> = { target, runs: results[target].length };
		for (const key of ['acked', 'ratingsSent', 'ackP50Ms', 'ackP99Ms', 'ackMaxMs', 'resultsP99Ms', 'serverCpuPercent', 'serverRssPeakMb', 'dbTransactionsPerSecond', 'walSyncsPerSecond', 'dbCpuPercent', 'balancerCpuPercent']) {
			const list = results[target].map((f) => Number(f[key])).filter((n) => Number.isFinite(n));
			if (list.length) line[key] = round1(median(list));
		}
		console.log(summaryLine('load-median', line));
	}
}
postgres?.stop();
process.exit(0);

