// Preloaded into the server by `npm run bench:load -- --loop-delay`: prints every second the event
// loop's delay (how late the main thread gets to work that is ready, to tell server stalls from
// generator stalls) and the garbage collection of that second (time spent, collections).
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
let gcMs = 0;
let gcs = 0;
new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		gcMs += entry.duration;
		gcs++;
	}
}).observe({ entryTypes: ['gc'] });
setInterval(() => {
	const ms = (ns) => (ns / 1e6).toFixed(1);
	console.log(`LOOPDELAY p50=${ms(histogram.percentile(50))} p99=${ms(histogram.percentile(99))} max=${ms(histogram.max)} gcMs=${gcMs.toFixed(1)} gcs=${gcs}`);
	histogram.reset();
	gcMs = 0;
	gcs = 0;
}, 1000).unref();
