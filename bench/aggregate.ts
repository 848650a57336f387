/**
 * What one rating costs to aggregate, with 1,000 and with 100,000 ratings already stored in a
 * 60-point workshop: applying it to the running tallies and rebuilding the ranked results
 * (what the server does), against recomputing every tally from every stored rating (the naive
 * way). In process, no I/O.
 *
 *   npm run bench:aggregate
 */
import { buildResults } from '../src/lib/domain/results';
import { defaultMatrix } from '../src/lib/domain/scales';
import { applyToTally, emptyTally, type PointTally } from '../src/lib/domain/tally';
import type { RiskPoint } from '../src/lib/domain/types';
import { round1, summaryLine } from './stats';

const POINTS = 60;
const riskPoints: RiskPoint[] = Array.from({ length: POINTS }, (_, i) => ({ id: `p${i}`, code: `R${i + 1}`, text: `Punkt ${i + 1}`, category: '', description: '' }));
const answer = (i: number) => ({ likelihood: (i % 5) + 1, consequence: ((i * 7) % 5) + 1 });

const results = (tallies: Map<string, PointTally>) =>
	buildResults({
		workshop: { id: 'w', title: 'W', status: 'open' },
		scoring: 'product-of-means',
		matrix: defaultMatrix(),
		levelCount: 5,
		riskPoints,
		tallyFor: (id) => tallies.get(id)
	});

function measure(stored: number) {
	const ratings = Array.from({ length: stored }, (_, i) => ({ riskPointId: `p${i % POINTS}`, ...answer(i) }));
	const tallies = new Map(riskPoints.map((p) => [p.id, emptyTally(5)]));
	for (const rating of ratings) applyToTally(tallies.get(rating.riskPointId)!, rating, 1);

	// incremental: one more rating, then fresh results
	const rounds = 2000;
	let started = performance.now();
	for (let i = 0; i < rounds; i++) {
		const tally = tallies.get(`p${i % POINTS}`)!;
		applyToTally(tally, answer(i), 1);
		results(tallies);
		applyToTally(tally, answer(i), -1);
	}
	const incrementalUs = ((performance.now() - started) / rounds) * 1000;

	// naive: every tally rebuilt from every rating, then results
	const naiveRounds = stored >= 100_000 ? 20 : 500;
	started = performance.now();
	for (let i = 0; i < naiveRounds; i++) {
		const fresh = new Map(riskPoints.map((p) => [p.id, emptyTally(5)]));
		for (const rating of ratings) applyToTally(fresh.get(rating.riskPointId)!, rating, 1);
		results(fresh);
	}
	const naiveUs = ((performance.now() - started) / naiveRounds) * 1000;
	return { incrementalUs, naiveUs };
}

measure(1000); // warm up
const small = measure(1000);
const large = measure(100_000);
console.log(
	summaryLine('aggregate', {
		points: POINTS,
		perRatingUsAt1k: round1(small.incrementalUs),
		perRatingUsAt100k: round1(large.incrementalUs),
		naivePerRatingUsAt1k: round1(small.naiveUs),
		naivePerRatingUsAt100k: round1(large.naiveUs),
		naiveOverIncrementalAt100k: round1(large.naiveUs / large.incrementalUs)
	})
);
