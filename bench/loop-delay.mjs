// Preloaded into the server by `npm run bench:load -- --loop-delay`: prints every second the event
// loop's delay (how late the main thread gets to work that is ready, to tell server stalls from
// generator stalls), the garbage collection of that second (time spent, collections), and how
// long the disk took to make the acknowledged writes durable (to tell a slow disk from a busy
// thread): the app's journal writes (fs.write on a descriptor opened with O_DSYNC: the write is
// the sync) and fdatasync calls, the ceiling's FileHandle.datasync.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

/** durations (ms) of the durable writes that ended this second */
let syncs = [];
/** wraps a callback-style fs call: the time until its callback, kept in `syncs` */
function timed(call) {
	return function (...args) {
		const callback = args[args.length - 1];
		if (typeof callback !== 'function') return call.apply(this, args);
		const start = performance.now();
		args[args.length - 1] = (...result) => {
			syncs.push(performance.now() - start);
			callback(...result);
		};
		return call.apply(this, args);
	};
}
fs.write = timed(fs.write);
fs.fdatasync = timed(fs.fdatasync);
syncBuiltinESMExports();
{
	const handle = await fs.promises.open('/dev/null');
	const prototype = Object.getPrototypeOf(handle);
	await handle.close();
	const datasync = prototype.datasync;
	prototype.datasync = async function () {
		const start = performance.now();
		try {
			return await datasync.call(this);
		} finally {
			syncs.push(performance.now() - start);
		}
	};
}

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
let gcMs = 0;
let gcs = 0;
let gcMax = 0;
let majors = 0;
new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		gcMs += entry.duration;
		gcs++;
		gcMax = Math.max(gcMax, entry.duration);
		// kind 4: mark-sweep-compact (a major collection); 1: scavenge; 8: incremental marking
		if (entry.detail?.kind === 4) majors++;
	}
}).observe({ entryTypes: ['gc'] });
setInterval(() => {
	const ms = (ns) => (ns / 1e6).toFixed(1);
	const sorted = syncs.sort((a, b) => a - b);
	const syncP99 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] : 0;
	const syncMax = sorted.length ? sorted[sorted.length - 1] : 0;
	syncs = [];
	// at= the second (wall clock) this line covers, to put it beside the generator's acks of that second
	console.log(`LOOPDELAY p50=${ms(histogram.percentile(50))} p99=${ms(histogram.percentile(99))} max=${ms(histogram.max)} gcMs=${gcMs.toFixed(1)} gcs=${gcs} gcMax=${gcMax.toFixed(1)} majors=${majors} syncs=${sorted.length} syncP99=${syncP99.toFixed(1)} syncMax=${syncMax.toFixed(1)} at=${Math.floor(Date.now() / 1000) - 1}`);
	histogram.reset();
	gcMs = 0;
	gcs = 0;
	gcMax = 0;
	majors = 0;
}, 1000).unref();
