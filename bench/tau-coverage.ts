/**
 * How often the 95% interval of the rank agreement between two workshops (Kendall's tau-b)
 * covers the true agreement, by simulation (issue 25, item 15). Each simulated assessment draws
 * 31 risk points from a population, two workshops of 8 members who rate them on the 1-5 scales
 * (rounded, tied, with 5 % "don't know"), each workshop with its own view of each point and each
 * member with a leaning, and computes the interval three ways:
 *   - fisher: Fisher's z with standard error sqrt(0.437 / (n - 4)) (the method until now);
 *   - points: the app's interval, a bootstrap over the points (domain/agreement.ts agreementIntervals);
 *   - pointsAndMembers: the same bootstrap redrawing the members of each workshop too.
 * The true agreement is tau-b between the two workshops' scores over 2,000 points, averaged over
 * fresh panels (the same population the small samples come from).
 *
 *   npm run bench:tau-coverage [-- --assessments 400 --resamples 1000]
 */
import { parseArgs } from 'node:util';
import { agreementIntervals } from '../src/lib/domain/agreement';
import { seededRandom, type AnalysisWorkshop } from '../src/lib/domain/analysis';
import { kendallTauB } from '../src/lib/domain/kendall';
import { round1, summaryLine } from './stats';

const { values } = parseArgs({
	options: {
		assessments: { type: 'string', default: '400' },
		resamples: { type: 'string', default: '1000' },
		points: { type: 'string', default: '31' },
		members: { type: 'string', default: '8' },
		/** how much the workshops' views of a point differ (standard deviation on the 1-5 scale) */
		disagreement: { type: 'string', default: '0.7' }
	}
});
const ASSESSMENTS = Number(values.assessments);
const RESAMPLES = Number(values.resamples);
const POINTS = Number(values.points);
const MEMBERS = Number(values.members);
const DISAGREEMENT = Number(values.disagreement);

const random = seededRandom(2026_12_05);
const normal = () => {
	const u = Math.max(1e-12, random());
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
};
const level = (value: number) => Math.min(5, Math.max(1, Math.round(value)));

/** Two workshops rating `points` fresh points: their members' answers (0: don't know). */
function simulate(points: number): AnalysisWorkshop[] {
	const truth = Array.from({ length: points }, () => ({ l: 1 + 4 * random(), c: 1 + 4 * random() }));
	return ['a', 'b'].map((id) => {
		const view = truth.map(({ l, c }) => ({ l: l + DISAGREEMENT * normal(), c: c + DISAGREEMENT * normal() }));
		const likelihood: Uint8Array[] = [];
		const consequence: Uint8Array[] = [];
		for (let m = 0; m < MEMBERS; m++) {
			const lean = { l: 0.5 * normal(), c: 0.5 * normal() };
			likelihood.push(Uint8Array.from(view, ({ l }) => (random() < 0.05 ? 0 : level(l + lean.l + 0.8 * normal()))));
			consequence.push(Uint8Array.from(view, ({ c }) => (random() < 0.05 ? 0 : level(c + lean.c + 0.8 * normal()))));
		}
		return { id, title: id, kind: 'regional', likelihood, consequence };
	});
}

/** Each workshop's product of means per point (NaN: no score). */
function scores(workshop: AnalysisWorkshop, points: number): Float64Array {
	const out = new Float64Array(points);
	for (let p = 0; p < points; p++) {
		const ls = workshop.likelihood.map((row) => row[p]!).filter(Boolean);
		const cs = workshop.consequence.map((row) => row[p]!).filter(Boolean);
		out[p] = ls.length && cs.length ? (ls.reduce((a, b) => a + b, 0) / ls.length) * (cs.reduce((a, b) => a + b, 0) / cs.length) : NaN;
	}
	return out;
}

function tauOf(workshops: AnalysisWorkshop[], points: number): { tau: number | null; n: number } {
	const [x, y] = workshops.map((w) => scores(w, points)) as [Float64Array, Float64Array];
	const xs: number[] = [];
	const ys: number[] = [];
	for (let p = 0; p < points; p++) if (!Number.isNaN(x[p]!) && !Number.isNaN(y[p]!)) (xs.push(x[p]!), ys.push(y[p]!));
	return { tau: kendallTauB(xs, ys), n: xs.length };
}

// the true agreement: large samples of points, fresh panels
const truths: number[] = [];
for (let i = 0; i < 20; i++) truths.push(tauOf(simulate(2000), 2000).tau!);
const truth = truths.reduce((a, b) => a + b, 0) / truths.length;

const fisher = (tau: number, n: number) => {
	const z = Math.atanh(Math.max(-0.999999, Math.min(0.999999, tau)));
	const se = Math.sqrt(0.437 / (n - 4));
	return { low: Math.tanh(z - 1.959964 * se), high: Math.tanh(z + 1.959964 * se) };
};

const methods = { fisher: { covered: 0, width: 0 }, points: { covered: 0, width: 0 }, pointsAndMembers: { covered: 0, width: 0 } };
const riskPoints = Array.from({ length: POINTS }, (_, i) => ({ id: `p${i}`, code: `R${i}`, text: '', category: '', description: '' }));
const input = (workshops: AnalysisWorkshop[], i: number) => ({ riskPoints, workshops, weighting: 'workshop' as const, minAnswers: 1, topN: 10, resamples: RESAMPLES, seed: i + 1 });
const started = performance.now();
for (let i = 0; i < ASSESSMENTS; i++) {
	const workshops = simulate(POINTS);
	const { tau, n } = tauOf(workshops, POINTS);
	if (tau === null) continue;
	const intervals = {
		fisher: fisher(tau, n),
		points: agreementIntervals(input(workshops, i)).pairs[0]!,
		pointsAndMembers: agreementIntervals(input(workshops, i), { redrawMembers: true }).pairs[0]!
	};
	for (const [name, { low, high }] of Object.entries(intervals) as [keyof typeof methods, { low: number | null; high: number | null }][]) {
		if (low === null || high === null) continue;
		if (low <= truth && truth <= high) methods[name].covered++;
		methods[name].width += high - low;
	}
}
const percent = (count: number) => round1((100 * count) / ASSESSMENTS);
console.log(
	summaryLine('tau-coverage', {
		assessments: ASSESSMENTS,
		points: POINTS,
		members: MEMBERS,
		resamples: RESAMPLES,
		trueTau: truth.toFixed(3),
		fisherCoveragePct: percent(methods.fisher.covered),
		fisherMeanWidth: (methods.fisher.width / ASSESSMENTS).toFixed(3),
		pointsCoveragePct: percent(methods.points.covered),
		pointsMeanWidth: (methods.points.width / ASSESSMENTS).toFixed(3),
		pointsAndMembersCoveragePct: percent(methods.pointsAndMembers.covered),
		pointsAndMembersMeanWidth: (methods.pointsAndMembers.width / ASSESSMENTS).toFixed(3),
		seconds: round1((performance.now() - started) / 1000)
	})
);
