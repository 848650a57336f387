// Preloaded into the server by `npm run bench:load -- --loop-delay`: prints the event loop's delay
// (how late the main thread gets to work that is ready) every second, to tell server stalls from
// generator stalls.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
setInterval(() => {
	const ms = (ns) => (ns / 1e6).toFixed(1);
	console.log(`LOOPDELAY p50=${ms(histogram.percentile(50))} p99=${ms(histogram.percentile(99))} max=${ms(histogram.max)}`);
	histogram.reset();
}, 1000).unref();
