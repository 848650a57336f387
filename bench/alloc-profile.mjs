// Preloaded into the server by `npm run bench:load -- --alloc-profile FILE`: samples every
// allocation, those already collected included (what garbage the hot path makes), from start-up
// for ALLOC_PROFILE_SECONDS (default 40) and writes the profile to FILE (Chrome's .heapprofile).
// ALLOC_PROFILE_MINOR=0 leaves out what the young generation's collections took: what is left is
// what lived long enough to be promoted (still alive, or old-generation garbage).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
const post = (method, params) => new Promise((done, fail) => session.post(method, params, (error, result) => (error ? fail(error) : done(result))));
await post('HeapProfiler.enable');
await post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.ALLOC_PROFILE_MINOR !== '0' });
setTimeout(async () => {
	const { profile } = await post('HeapProfiler.stopSampling');
	writeFileSync(process.env.ALLOC_PROFILE_FILE ?? '/tmp/alloc.heapprofile', JSON.stringify(profile));
	console.log('ALLOCPROFILE written');
}, Number(process.env.ALLOC_PROFILE_SECONDS ?? 40) * 1000).unref();
