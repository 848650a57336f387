/**
 * bench:load's --per-second view: each second of the run, the acks of the ratings sent in it beside
 * what the server (bench/loop-delay.mjs: loop delay, GC, durable writes) and the generator itself
 * were doing that second, to tell a busy server from a slow disk or a late generator.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { percentile, round1 } from './stats';

/** Every second, the generator's loop delay (p99/max) and GC time of the second before, into `seconds` by wall-clock second; returns a stop. */
export function watchSeconds(seconds: Map<number, string>): () => void {
	const delay = monitorEventLoopDelay({ resolution: 5 });
	delay.enable();
	let gcMs = 0;
	const observer = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) gcMs += entry.duration;
	});
	observer.observe({ entryTypes: ['gc'] });
	const timer = setInterval(() => {
		seconds.set(Math.floor(Date.now() / 1000) - 1, `${round1(delay.percentile(99) / 1e6)}/${round1(delay.max / 1e6)}, gc ${round1(gcMs)}`);
		delay.reset();
		gcMs = 0;
	}, 1000);
	return () => {
		clearInterval(timer);
		observer.disconnect();
		delay.disable();
	};
}

/** Prints a line per second: the acks of ratings sent in it (p99, max) beside the server's LOOPDELAY line and the generator's of that second. */
export function printPerSecond(target: string, serverLog: string, ackBySecond: ReadonlyMap<number, number[]>, generatorSeconds: ReadonlyMap<number, string>): void {
	const serverSeconds = new Map(
		[...serverLog.matchAll(/LOOPDELAY .*? p99=([\d.]+) max=([\d.]+) gcMs=([\d.]+) gcs=(\d+) gcMax=([\d.]+) majors=(\d+) syncs=(\d+) syncP99=([\d.]+) syncMax=([\d.]+) at=(\d+)/g)].map((m) => [Number(m[10]), m])
	);
	console.log(
		`per second (${target}): second, ratings, ack p99/max ms | server loop delay p99/max ms, GC ms, collections, longest GC ms, major GCs | durable writes that ended in the second: count, p99/max ms | generator loop delay p99/max ms, GC ms`
	);
	for (const [second, acks] of [...ackBySecond].sort((a, b) => a[0] - b[0])) {
		const server = serverSeconds.get(second);
		const serverPart = server ? `${server[1]}/${server[2]} | gc ${server[3]} ms ${server[4]}× longest ${server[5]} majors ${server[6]} | sync ${server[7]}× ${server[8]}/${server[9]}` : '–';
		console.log(`  ${second % 1000} n=${acks.length} ack ${round1(percentile(acks, 99))}/${round1(Math.max(...acks))} | loop ${serverPart} | generator ${generatorSeconds.get(second) ?? '–'}`);
	}
}
