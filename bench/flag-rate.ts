/**
 * How often each flag rule fires on simulated panels (docs/method.md, "Disagreement"): points with
 * a true level per scale, members who answer it with the spread experts show (half exactly, most
 * of the rest one level off, a few two or three), and a tenth of the points truly contested (the
 * panel split between two levels three apart). A rule worth having flags the contested points
 * and few of the others.
 *
 *   npx tsx bench/flag-rate.ts [--lists 2000] [--points 30]
 */
import { summarizeScale, countLevels } from '../src/lib/domain/statistics';
import { FLAG_RULES, flaggedScales } from '../src/lib/domain/results';
import { DEFAULT_CONSENSUS_THRESHOLD } from '../src/lib/domain/consensus';

const arg = (name: string, fallback: number) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LISTS = arg('lists', 2000);
const POINTS = arg('points', 30);

let state = 20261125;
const random = () => {
	state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
	return state / 4294967296;
};
const clip = (level: number) => Math.max(1, Math.min(5, level));
/** one expert's answer to a point whose true level is `truth` */
function answer(truth: number): number {
	const r = random();
	const off = r < 0.5 ? 0 : r < 0.85 ? 1 : r < 0.97 ? 2 : 3;
	return clip(truth + (random() < 0.5 ? -off : off));
}

const fired = new Map<string, { ordinary: number; contested: number }>(FLAG_RULES.map((rule) => [rule, { ordinary: 0, contested: 0 }]));
let ordinary = 0;
let contested = 0;
for (let list = 0; list < LISTS; list++) {
	for (let p = 0; p < POINTS; p++) {
		const members = 5 + Math.floor(random() * 8);
		const isContested = random() < 0.1;
		const truth = () => 1 + Math.floor(random() * 5);
		const scale = () => {
			if (isContested) {
				const low = 1 + Math.floor(random() * 2);
				return Array.from({ length: members }, () => (random() < 0.5 ? low : low + 3));
			}
			const t = truth();
			return Array.from({ length: members }, () => answer(t));
		};
		const likelihood = summarizeScale(countLevels(scale(), 5), 0);
		const consequence = summarizeScale(countLevels(scale(), 5), 0);
		if (isContested) contested++;
		else ordinary++;
		for (const rule of FLAG_RULES) {
			const hit = flaggedScales(likelihood, consequence, DEFAULT_CONSENSUS_THRESHOLD, rule).length > 0;
			if (hit) fired.get(rule)![isContested ? 'contested' : 'ordinary']++;
		}
	}
}
console.log(`${LISTS} lists of ${POINTS} points, panels of 5-12, ${((contested / (contested + ordinary)) * 100).toFixed(1)} % contested, threshold ${DEFAULT_CONSENSUS_THRESHOLD}`);
console.log('rule                 flagged per 30 points   ordinary flagged   contested flagged');
for (const rule of FLAG_RULES) {
	const { ordinary: o, contested: c } = fired.get(rule)!;
	console.log(
		`${rule.padEnd(20)} ${(((o + c) / (LISTS * POINTS)) * 30).toFixed(1).padStart(20)} ${((o / ordinary) * 100).toFixed(1).padStart(17)} % ${((c / contested) * 100).toFixed(1).padStart(17)} %`
	);
}
