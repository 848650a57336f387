/**
 * Load generator: W workshops of M members made over the public API, every member a real
 * socket.io connection, rating at a set total rate. Reports members connected, ratings
 * acknowledged per second, rate-to-ack latency (p50, p99, max), rate-to-facilitator-`results`
 * latency (p50, p99), server RSS and CPU, and errors, as one `BENCH load …` line.
 *
 *   npm run bench:load -- --workshops 40 --members 50 --rate 1000 --duration 60
 *   npm run bench:load -- --workshops 1 --members 1000 --rate 1000 --duration 20
 *   npm run bench:load -- --workshops 100 --members 50 --idle 15          (5,000 idle members)
 *   npm run bench:load -- … --naive                                      (baseline, see below)
 *   npm run bench:load -- … --in-process                                 (server in this process)
 *   npm run bench:load -- … --profile /tmp/prof                          (CPU profile of the server)
 *   npm run bench:load -- … --node-args=--trace-gc --server-log /tmp/log  (other node flags, server output)
 *   npm run bench:load -- … --processes 2 [--route spread]               (several processes, Redis adapter)
 *
 * --processes N starts N server processes sharing socket.io rooms through a redis-server of its own
 * on loopback (Debian's redis-server must be installed). Workshop w is created on process w % N and
 * so lives there. Members connect to the process holding their workshop (--route owner, the
 * default: a load balancer that hashes on the workshop) or to process m % N (--route spread: any
 * process, which forwards ratings to the owner through Redis). RSS is the largest process's peak
 * and the sum of the peaks; CPU is summed over the processes.
 *
 * The server runs as its own process (the honest setting) unless --in-process. --naive starts it
 * with RISIKOVERKSTED_NAIVE=1: one whole-file write per rating and a full recompute of the results
 * per rating, sent at once (no coalescing, no throttle), to compare against.
 *
 * Ratings go out point by point in each workshop (member 1..M rate point 1, then point 2, …), so
 * the n-th rating of a point is the one that lifts its answer count to n, and the first `results`
 * showing that count is the one that carries it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { call, joinAsFacilitator, type ClientSocket } from '../tests/helpers/clients';
import { newDataDir, startServer } from '../tests/helpers/server';
import { freePort, startRedis } from '../tests/helpers/redis';
import { io } from 'socket.io-client';
import type { WorkshopResults } from '../src/lib/domain/results';
import { percentile, round1, summaryLine } from './stats';

const { values } = parseArgs({
	options: {
		workshops: { type: 'string', default: '40' },
		members: { type: 'string', default: '50' },
		points: { type: 'string', default: '30' },
		rate: { type: 'string', default: '1000' },
		duration: { type: 'string', default: '60' },
		idle: { type: 'string' },
		naive: { type: 'boolean', default: false },
		'in-process': { type: 'boolean', default: false },
		/** write a CPU profile of the server process into this folder (node --cpu-prof) */
		profile: { type: 'string' },
		/** more flags for the server's node, space-separated (e.g. --trace-gc) */
		'node-args': { type: 'string' },
		/** write what the server printed into this file at the end */
		'server-log': { type: 'string' },
		/** measure the event loop delay of the server (bench/loop-delay.mjs) and of this generator */
		'loop-delay': { type: 'boolean', default: false },
		processes: { type: 'string', default: '1' },
		route: { type: 'string', default: 'owner' }
	}
});
const W = Number(values.workshops);
const M = Number(values.members);
const P = Number(values.points);
const RATE = Number(values.rate);
const DURATION = Number(values.duration);
const IDLE = values.idle === undefined ? null : Number(values.idle);
const NAIVE = values.naive ?? false;
const IN_PROCESS = values['in-process'] ?? false;
const PROCESSES = Number(values.processes);
const SPREAD = values.route === 'spread';
if (values.route !== 'owner' && values.route !== 'spread') throw new Error('--route is owner or spread');
if (PROCESSES > 1 && IN_PROCESS) throw new Error('--processes needs the servers as their own processes');

interface BenchServer {
	url: string;
	pid: number;
	stop: () => Promise<void>;
	output: () => string;
}

/** The servers: one or more processes of their own (default), or this process. */
async function startAll(): Promise<BenchServer[]> {
	if (PROCESSES <= 1) return [await start({})];
	const redis = await startRedis();
	const servers = await Promise.all(Array.from({ length: PROCESSES }, () => start({ REDIS_URL: redis.url })));
	const last = servers[servers.length - 1]!;
	const stopLast = last.stop;
	last.stop = async () => {
		await stopLast();
		redis.stop();
	};
	return servers;
}

/** One server: its own process (default) or this one. */
async function start(extraEnv: Record<string, string>): Promise<BenchServer> {
	const env: Record<string, string> = { ...(NAIVE ? { RISIKOVERKSTED_NAIVE: '1' } : {}), ...extraEnv };
	const nodeArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
	if (values['loop-delay']) nodeArgs.push('--import', new URL('./loop-delay.mjs', import.meta.url).pathname);
	if (values['node-args']) nodeArgs.push(...values['node-args'].split(' ').filter(Boolean));
	if (!IN_PROCESS) {
		const server = await startServer({ env, nodeArgs });
		return { url: server.url, pid: server.child.pid!, stop: server.stop, output: server.output };
	}
	const port = await freePort();
	Object.assign(process.env, env, { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: await newDataDir() });
	await import(new URL('../build/server.js', import.meta.url).href);
	await new Promise((done) => setTimeout(done, 500));
	return { url: `http://127.0.0.1:${port}`, pid: process.pid, stop: async () => process.exit(0), output: () => '' };
}

const status = (pid: number) => readFileSync(`/proc/${pid}/status`, 'utf8');
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(status(pid))?.[1] ?? NaN) / 1024;
/** user + system CPU seconds of a process */
const cpuSeconds = (pid: number) => {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
};

const servers = await startAll();
const server = servers[0]!;
const peaks = servers.map((s) => rssMb(s.pid));
const sampler = setInterval(() => servers.forEach((s, i) => (peaks[i] = Math.max(peaks[i]!, rssMb(s.pid)))), 250);
const peakRssOf = () => ({ max: Math.max(...peaks), sum: peaks.reduce((a, b) => a + b, 0) });
const rssNow = () => servers.reduce((sum, s) => sum + rssMb(s.pid), 0);
const cpuOfServers = () => servers.reduce((sum, s) => sum + cpuSeconds(s.pid), 0);
const serverOutput = () => servers.map((s) => s.output()).join('\n');
/** The process holding workshop w, and the one member m of it connects to. */
const ownerOf = (w: number) => servers[w % servers.length]!;
const entryFor = (w: number, m: number) => (SPREAD ? servers[m % servers.length]! : ownerOf(w));
const errors: string[] = [];

try {
	// workshops over the public API
	const workshops: { id: string; joinCode: string; key: string; points: string[] }[] = [];
	for (let w = 0; w < W; w++) {
		const url = ownerOf(w).url;
		const created = await call(url, '/api/workshops', { method: 'POST', json: { title: `Last ${w + 1}` } });
		const { id, joinCode, facilitatorKey: key } = created.body;
		const list = await call(url, `/api/workshops/${id}/risk-points`, {
			method: 'PUT',
			key,
			type: 'text/plain',
			body: Array.from({ length: P }, (_, i) => `Punkt ${i + 1}`).join('\n')
		});
		await call(url, `/api/workshops/${id}`, { method: 'PATCH', key, json: { status: 'open' } });
		workshops.push({ id, joinCode, key, points: list.body.riskPoints.map((p: { id: string }) => p.id) });
	}

	// members: real sockets, joined a few at a time
	const members: ClientSocket[][] = workshops.map(() => []);
	const connectStarted = performance.now();
	for (let w = 0; w < W; w++) {
		for (let batch = 0; batch < M; batch += 50) {
			await Promise.all(
				Array.from({ length: Math.min(50, M - batch) }, async (_, i) => {
					const socket = io(entryFor(w, batch + i).url, {
						auth: { joinCode: workshops[w]!.joinCode },
						transports: ['websocket'],
						forceNew: true,
						reconnection: false
					}) as ClientSocket;
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

	if (IDLE !== null) {
		const rssConnected = rssNow();
		await new Promise((done) => setTimeout(done, IDLE * 1000));
		console.log(
			summaryLine('load-idle', {
				workshops: W,
				members: M,
				connected,
				connectSeconds: round1(connectSeconds),
				serverRssConnectedMb: round1(rssConnected),
				serverRssAfterIdleMb: round1(rssNow()),
				serverRssPeakMb: round1(peakRssOf().max),
				...(servers.length > 1 ? { processes: servers.length, serverRssPeakSumMb: round1(peakRssOf().sum) } : {}),
				naive: NAIVE
			})
		);
	} else {
		// a facilitator per workshop, watching results
		const sentAt = new Map<string, number>();
		const shownAt = new Map<string, number>();
		const facilitators = await Promise.all(workshops.map((w, i) => joinAsFacilitator(ownerOf(i).url, w.id, w.key)));
		facilitators.forEach((facilitator, w) => {
			const indexOf = new Map(workshops[w]!.points.map((id, i) => [id, i]));
			facilitator.socket.on('results', (results: WorkshopResults) => {
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
		});

		const total = Math.min(RATE * DURATION, W * M * P);
		const perWorkshop = Math.ceil(total / W);
		const ackMs: number[] = [];
		let acked = 0;
		const pending: Promise<void>[] = [];
		const cpuBefore = cpuOfServers();
		const ownBefore = cpuSeconds(process.pid);
		const started = performance.now();
		const generatorDelay = monitorEventLoopDelay({ resolution: 5 });
		generatorDelay.enable();
		const serverLogFrom = servers.map((s) => s.output().length);
		let sent = 0;
		// round-robin over workshops; the i-th rating of a workshop is (point i / M, member i % M)
		while (sent < total) {
			const due = Math.floor(((performance.now() - started) / 1000) * RATE);
			while (sent < Math.min(due, total)) {
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
						.emitWithAck('rate', { riskPointId: workshops[w]!.points[p]!, likelihood: ((m + p) % 5) + 1, consequence: (m % 5) + 1 })
						.then(
							(ack) => {
								if (ack.ok) {
									acked++;
									ackMs.push(performance.now() - at);
								} else errors.push(ack.error);
							},
							(error: Error) => void errors.push(error.message)
						)
				);
			}
			await new Promise((done) => setTimeout(done, 5));
		}
		await Promise.all(pending);
		const elapsed = (performance.now() - started) / 1000;
		const cpuAfter = cpuOfServers();
		const ownAfter = cpuSeconds(process.pid);
		generatorDelay.disable();
		// with --loop-delay: the worst second of the server's event loop during the run
		const serverDelays = [...servers.map((s, i) => s.output().slice(serverLogFrom[i])).join('\n').matchAll(/LOOPDELAY p50=[\d.]+ p99=([\d.]+) max=([\d.]+)/g)];
		const loopDelay = values['loop-delay']
			? {
					serverLoopDelayWorstP99Ms: Math.max(...serverDelays.map((m) => Number(m[1]))),
					serverLoopDelayMaxMs: Math.max(...serverDelays.map((m) => Number(m[2]))),
					generatorLoopDelayP99Ms: round1(generatorDelay.percentile(99) / 1e6),
					generatorLoopDelayMaxMs: round1(generatorDelay.max / 1e6)
				}
			: {};
		await new Promise((done) => setTimeout(done, 600));
		const toResults = [...sentAt].flatMap(([key, at]) => {
			const shown = shownAt.get(key);
			return shown === undefined ? [] : [shown - at];
		});
		console.log(
			summaryLine('load', {
				workshops: W,
				members: M,
				points: P,
				connected,
				connectSeconds: round1(connectSeconds),
				ratingsSent: sent,
				acked,
				ackedPerSecond: round1(acked / elapsed),
				ackP50Ms: round1(percentile(ackMs, 50)),
				ackP99Ms: round1(percentile(ackMs, 99)),
				ackMaxMs: round1(Math.max(...ackMs)),
				resultsP50Ms: round1(percentile(toResults, 50)),
				resultsP99Ms: round1(percentile(toResults, 99)),
				resultsMissing: sentAt.size - toResults.length,
				serverRssPeakMb: round1(peakRssOf().max),
				...(servers.length > 1 ? { processes: servers.length, route: values.route, serverRssPeakSumMb: round1(peakRssOf().sum) } : {}),
				serverCpuPercent: round1(((cpuAfter - cpuBefore) / elapsed) * 100),
				generatorCpuPercent: round1(((ownAfter - ownBefore) / elapsed) * 100),
				errors: errors.length,
				...loopDelay,
				naive: NAIVE,
				inProcess: IN_PROCESS
			})
		);
		if (errors.length) console.error('first errors:', [...new Set(errors)].slice(0, 5));
		for (const facilitator of facilitators) facilitator.socket.close();
	}
	for (const list of members) for (const socket of list) socket.close();
} finally {
	clearInterval(sampler);
	const output = serverOutput();
	for (const one of servers) await one.stop();
	if (values['server-log']) writeFileSync(values['server-log'], output);
}
