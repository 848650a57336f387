// Preloaded into the server by `npm run bench:load -- --loop-delay`: prints every second the event
// loop's delay (how late the main thread gets to work that is ready, to tell server stalls from
// generator stalls) and the garbage collection of that second (time spent, collections).
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

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
	// at= the second (wall clock) this line covers, to put it beside the generator's acks of that second
	console.log(`LOOPDELAY p50=${ms(histogram.percentile(50))} p99=${ms(histogram.percentile(99))} max=${ms(histogram.max)} gcMs=${gcMs.toFixed(1)} gcs=${gcs} gcMax=${gcMax.toFixed(1)} majors=${majors} at=${Math.floor(Date.now() / 1000) - 1}`);
	histogram.reset();
	gcMs = 0;
	gcs = 0;
	gcMax = 0;
	majors = 0;
}, 1000).unref();
