import { writeFileSync } from 'node:fs';
/**
 * Every number of an assessment's reports, checked against one computation written here from the
 * raw answers (not with the app's own functions): a national panel and six regional workshops of
 * different sizes, 31 points in categories, "don't know" answers, skipped points, a second round,
 * a workshop scored by mean of products, and one workshop without answers. JSON, CSV (both
 * weightings, both delimiters), the workbook and the PDF's text must all say the same.
 */
import ExcelJS from 'exceljs';
import { PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from '@cantoo/pdf-lib';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, joinAsMember } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

type Answer = { l: number | null; c: number | null };
/** workshop -> member -> point -> round -> answer */
type Answers = Map<string, Map<number, Map<number, Answer>>[]>;

/** A seeded generator, so the data is the same on every run. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 4294967296;
	};
}

// ---- the independent computation -------------------------------------------------------------

const round2 = (value: number) => {
	// half away from zero on the decimal value, as people round (written out here on purpose)
	const [whole, fraction = ''] = Math.abs(value).toFixed(12).split('.');
	const digits = Number(`${whole}${fraction.slice(0, 2)}`) + (Number(fraction[2]) >= 5 ? 1 : 0);
	return (Math.sign(value) || 1) * (digits / 100);
};
const meanOf = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const quantile7 = (sorted: number[], p: number) => {
	const position = (sorted.length - 1) * p;
	const below = Math.floor(position);
	return sorted[below]! + (position - below) * ((sorted[below + 1] ?? sorted[below]!) - sorted[below]!);
};
const consensus = (values: number[]) => {
	const mean = meanOf(values)!;
	return 1 + values.reduce((sum, v) => sum + Math.log2(1 - Math.abs(v - mean) / 4), 0) / values.length;
};
const flagged = (values: number[]) => {
	if (values.length === 0) return false;
	const sorted = [...values].sort((a, b) => a - b);
	const iqr = quantile7(sorted, 0.75) - quantile7(sorted, 0.25);
	return consensus(values) < 0.6 && iqr >= 2;
};
const levelOf = (score: number | null) => (score === null ? null : round2(score) >= 10 ? 'Høy' : round2(score) >= 5 ? 'Middels' : 'Lav');
const cellOf = (mean: number | null) => (mean === null ? null : Math.floor(round2(mean) + 0.5 + 1e-9));

interface PointStats {
	responses: number;
	n: number;
	l: number[];
	c: number[];
	products: number[];
}

/** A workshop's answers to each point in the round its results use (the latest with answers). */
function workshopStats(members: Map<number, Map<number, Answer>>[], points: number): PointStats[] {
	return Array.from({ length: points }, (_, p) => {
		const rounds = members.map((member) => member.get(p)).filter(Boolean) as Map<number, Answer>[];
		const latest = Math.max(1, ...rounds.flatMap((r) => [...r.keys()]));
		const answers = rounds.map((r) => r.get(latest)).filter(Boolean) as Answer[];
		return {
			responses: answers.length,
			n: answers.filter((a) => a.l !== null || a.c !== null).length,
			l: answers.flatMap((a) => (a.l === null ? [] : [a.l])),
			c: answers.flatMap((a) => (a.c === null ? [] : [a.c])),
			products: answers.flatMap((a) => (a.l !== null && a.c !== null ? [a.l * a.c] : []))
		};
	});
}

interface Ranked {
	score: number | null;
	cons: number | null;
	n: number;
	enough: boolean;
	index: number;
}

/** Competition ranks by the report's rule: ranked, then too few answers, then nobody scored (sharing the last rank). */
function ranks(items: Ranked[]): { rank: number; status: string }[] {
	const tier = (i: Ranked) => (i.score === null ? 2 : i.enough ? 0 : 1);
	const compare = (a: Ranked, b: Ranked) => {
		if (tier(a) !== tier(b)) return tier(a) - tier(b);
		if (tier(a) === 2) return 0;
		const d = (x: number | null, y: number | null) => (x === null && y === null ? 0 : x === null ? 1 : y === null ? -1 : Math.abs(x - y) < 1e-9 ? 0 : y - x);
		return d(a.score, b.score) || d(a.cons, b.cons) || b.n - a.n;
	};
	const sorted = [...items].sort((a, b) => compare(a, b) || a.index - b.index);
	const result: { rank: number; status: string }[] = new Array(items.length);
	sorted.forEach((item, position) => {
		const previous = sorted[position - 1];
		const rank = previous && compare(previous, item) === 0 ? result[previous.index]!.rank : position + 1;
		result[item.index] = { rank, status: ['Rangert', 'For få svar', 'Ikke vurdert'][tier(item)]! };
	});
	return result;
}

function kendall(x: number[], y: number[]) {
	let concordant = 0;
	let discordant = 0;
	let tx = 0;
	let ty = 0;
	for (let i = 0; i < x.length; i++) {
		for (let j = i + 1; j < x.length; j++) {
			const dx = x[i]! - x[j]!;
			const dy = y[i]! - y[j]!;
			if (Math.abs(dx) < 1e-9 && Math.abs(dy) < 1e-9) continue;
			if (Math.abs(dx) < 1e-9) tx++;
			else if (Math.abs(dy) < 1e-9) ty++;
			else if (dx * dy > 0) concordant++;
			else discordant++;
		}
	}
	const denominator = Math.sqrt((concordant + discordant + tx) * (concordant + discordant + ty));
	return x.length < 2 || denominator === 0 ? null : (concordant - discordant) / denominator;
}

// ---- the data -------------------------------------------------------------------------------------

const POINTS = Array.from({ length: 31 }, (_, i) => ({
	text: `Risikopunkt ${i + 1}: ${['barnas behov kartlegges ikke', 'vedtak begrunnes ikke', 'nødhjelp gis ikke', 'oppfølging mangler'][i % 4]}`,
	category: ['Kartlegging', 'Vurdering og beslutning', 'Oppfølging'][i % 3]!
}));
const WORKSHOPS = [
	{ kind: 'national', title: 'Nasjonalt fagpanel', members: 9 },
	{ kind: 'regional', title: 'Statsforvalteren i Agder', members: 5 },
	{ kind: 'regional', title: 'Statsforvalteren i Vestland', members: 12 },
	{ kind: 'regional', title: 'Statsforvalteren i Nordland', members: 3 },
	{ kind: 'regional', title: 'Statsforvalteren i Rogaland', members: 7 },
	{ kind: 'regional', title: 'Statsforvalteren i Innlandet', members: 4 },
	{ kind: 'regional', title: 'Statsforvalteren i Trøndelag', members: 0 }
] as const;

let pdfBytes: Uint8Array | undefined;

describe('the numbers of the reports', () => {
	it('say the same in JSON, CSV, the workbook and the PDF, and match a computation from the raw answers', async () => {
		const created = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Krysskontroll', riskPoints: POINTS, privacy: 'named' } })).body;
		const owner = { key: created.ownerKey };
		const path = `/api/assessments/${created.id}`;
		const ids: string[] = (await call(server.url, `${path}/risk-points`, owner)).body.riskPoints.map((p: { id: string }) => p.id);
		const next = random(42);
		const answers: Answers = new Map();
		const workshopIds: string[] = [];
		for (const [w, spec] of WORKSHOPS.entries()) {
			const made = (await call(server.url, `${path}/workshops`, { method: 'POST', ...owner, json: { kind: spec.kind, title: spec.title } })).body.workshops[0];
			workshopIds.push(made.id);
			const key = { key: made.facilitatorKey };
			// one workshop ranks by mean of products
			await call(server.url, `/api/workshops/${made.id}`, { method: 'PATCH', ...key, json: { status: 'open', ...(w === 2 ? { scoring: 'mean-of-products' } : {}) } });
			const members: Map<number, Map<number, Answer>>[] = [];
			// each workshop sees the points a little differently
			const bias = Array.from({ length: POINTS.length }, (_, p) => ((p * 7 + w * 3) % 5) - 2);
			const rate = async (member: Awaited<ReturnType<typeof joinAsMember>>, own: Map<number, Map<number, Answer>>, p: number, round: number, m = 0) => {
				const skip = next() < 0.08;
				// nobody rates the last point; only two members in Nordland rate the one before it
				if (skip || p === 30 || (p === 29 && !(w === 3 && m < 2))) return;
				const value = (base: number) => (next() < 0.07 ? null : Math.min(5, Math.max(1, Math.round(base + (next() - 0.5) * 3))));
				const answer = { l: value(3 + bias[p]! * 0.6), c: value(3 + ((p % 3) - 1)) };
				const ack = await member.socket.emitWithAck('rate', { riskPointId: ids[p]!, likelihood: answer.l, consequence: answer.c });
				expect(ack.ok).toBe(true);
				let rounds = own.get(p);
				if (!rounds) own.set(p, (rounds = new Map()));
				rounds.set(round, answer);
			};
			const sockets = [];
			for (let m = 0; m < spec.members; m++) {
				const member = await joinAsMember(server.url, made.joinCode);
				const own = new Map<number, Map<number, Answer>>();
				members.push(own);
				sockets.push({ member, own });
				for (let p = 0; p < POINTS.length; p++) await rate(member, own, p, 1, m);
			}
			// a second round of three points in Vestland
			if (w === 2) {
				await call(server.url, `/api/workshops/${made.id}`, { method: 'PATCH', ...key, json: { newRound: [ids[0], ids[5], ids[9]] } });
				for (const { member, own } of sockets.slice(0, 9)) for (const p of [0, 5, 9]) await rate(member, own, p, 2);
			}
			for (const { member } of sockets) member.socket.close();
			answers.set(made.id, members);
		}

		const stats = new Map(workshopIds.map((id) => [id, workshopStats(answers.get(id)!, POINTS.length)]));

		const answered = (id: string) => stats.get(id)!.some((s) => s.responses > 0);

		// ---- the combined ranking, both weightings, from the raw answers
		const expected = (weighting: 'workshop' | 'member') => {
			const rows = POINTS.map((_, p) => {
				const present = workshopIds.map((id) => stats.get(id)![p]!);
				const l =
					weighting === 'workshop' ? meanOf(present.flatMap((s) => (s.l.length ? [meanOf(s.l)!] : []))) : meanOf(present.flatMap((s) => s.l));
				const c =
					weighting === 'workshop' ? meanOf(present.flatMap((s) => (s.c.length ? [meanOf(s.c)!] : []))) : meanOf(present.flatMap((s) => s.c));
				const score = l === null || c === null ? null : l * c;
				const n = present.reduce((sum, s) => sum + s.n, 0);
				return {
					p,
					l,
					c,
					score,
					n,
					responses: present.reduce((sum, s) => sum + s.responses, 0),
					workshopsRated: present.filter((s) => s.responses > 0).length,
					flaggedIn: present.filter((s) => flagged(s.l) || flagged(s.c)).length
				};
			});
			const ranked = ranks(rows.map((row) => ({ score: row.score, cons: row.c, n: row.n, enough: row.n >= 3, index: row.p })));
			return rows.map((row) => ({ ...row, ...ranked[row.p]! }));
		};

		// each workshop's own ranking, by its own scoring rule
		const ownRanks = workshopIds.map((id, w) => {
			const s = stats.get(id)!;
			const score = (x: PointStats) =>
				w === 2 ? meanOf(x.products) : x.l.length && x.c.length ? meanOf(x.l)! * meanOf(x.c)! : null;
			return ranks(s.map((x, p) => ({ score: score(x), cons: meanOf(x.c), n: x.n, enough: x.n >= 3, index: p })));
		});

		// the data has what the rules are about: flags, a point with too few answers, one nobody rated
		const all = expected('workshop');
		expect(all.some((row) => row.flaggedIn > 0)).toBe(true);
		expect(all.find((row) => row.p === 29)!.status).toBe('For få svar');
		expect(all.find((row) => row.p === 30)).toMatchObject({ status: 'Ikke vurdert', rank: 31 });

		for (const weighting of ['workshop', 'member'] as const) {
			const want = expected(weighting);
			const json = (await call(server.url, `${path}/export.json?weighting=${weighting}`, owner)).body;
			// JSON: full values
			for (const point of json.riskPoints) {
				const p = ids.indexOf(point.id);
				const row = want[p]!;
				if (row.score === null) expect(point.score, `score of ${p}`).toBeNull();
				else expect(point.score, `score of ${p}`).toBeCloseTo(row.score, 9);
				expect(point.rank, `rank of ${p} (${weighting})`).toBe(row.rank);
				expect(point.workshopsRated).toBe(row.workshopsRated);
				expect(point.responses).toBe(row.responses);
				expect(point.n).toBe(row.n);
				expect(point.flaggedIn, `flags of ${p}`).toBe(row.flaggedIn);
				expect(point.level).toBe(row.score === null ? null : { Høy: 'high', Middels: 'medium', Lav: 'low' }[levelOf(row.score)!]);
				expect(point.cell).toEqual(row.l === null || row.c === null ? null : { likelihood: cellOf(row.l), consequence: cellOf(row.c) });
			}
			// the workshop without answers: no ranking, out of every correlation
			const silent = json.workshops.find((w: { title: string }) => w.title === 'Statsforvalteren i Trøndelag');
			expect(silent).toMatchObject({ answered: false, answering: 0 });
			expect(json.agreement.find((a: { title: string }) => a.title === 'Statsforvalteren i Trøndelag')).toMatchObject({ answered: false, tau: null });
			expect(json.pairs.some((pair: { a: string; b: string }) => pair.a === silent.id || pair.b === silent.id)).toBe(false);
			expect(json.workshops.find((w: { title: string }) => w.title === 'Statsforvalteren i Vestland').scoring).toBe('mean-of-products');

			// leave-one-out tau of each answering workshop
			for (const [w, id] of workshopIds.entries()) {
				if (!answered(id)) continue;
				const others = workshopIds.filter((other) => other !== id && answered(other));
				const own: number[] = [];
				const rest: number[] = [];
				POINTS.forEach((_, p) => {
					const s = stats.get(id)![p]!;
					const mine = w === 2 ? meanOf(s.products) : s.l.length && s.c.length ? meanOf(s.l)! * meanOf(s.c)! : null;
					const present = others.map((o) => stats.get(o)![p]!);
					const l = weighting === 'workshop' ? meanOf(present.flatMap((x) => (x.l.length ? [meanOf(x.l)!] : []))) : meanOf(present.flatMap((x) => x.l));
					const c = weighting === 'workshop' ? meanOf(present.flatMap((x) => (x.c.length ? [meanOf(x.c)!] : []))) : meanOf(present.flatMap((x) => x.c));
					if (mine === null || l === null || c === null) return;
					own.push(mine);
					rest.push(l * c);
				});
				const agreement = json.agreement.find((a: { workshopId: string }) => a.workshopId === id);
				expect(agreement.points).toBe(own.length);
				expect(agreement.tau).toBeCloseTo(kendall(own, rest)!, 9);
			}

			// CSV in both delimiters: every figure as printed, the same as the JSON rounded by the one rule
			for (const delimiter of ['semicolon', 'comma'] as const) {
				const csv = await call(server.url, `${path}/export.csv?weighting=${weighting}&delimiter=${delimiter}`, owner);
				const sep = delimiter === 'semicolon' ? ';' : ',';
				const decimal = delimiter === 'semicolon' ? ',' : '.';
				const fmt = (value: number | null) => (value === null ? '' : Number.isInteger(round2(value)) ? String(round2(value)) : round2(value).toFixed(2).replace('.', decimal));
				const lines = csv.text.replace('\uFEFF', '').trim().split('\r\n');
				expect(lines.length).toBe(1 + POINTS.length);
				// the header's names may hold the separator (quoted): split it as CSV
				const header = [...lines[0]!.matchAll(new RegExp(`("(?:[^"]|"")*"|[^${sep}"]*)(?:${sep}|$)`, 'g'))].map((m) => m[1]!.replace(/^"|"$/g, '')).slice(0, -1);
				const ratedAt = header.indexOf('Workshoper som har vurdert');
				const firstRankAt = header.findIndex((name) => name.startsWith('Rang: '));
				expect([ratedAt, firstRankAt].every((at) => at > 0)).toBe(true);
				for (const line of lines.slice(1)) {
					const cells = line.split(sep);
					const row = want.find((r) => `R${r.p + 1}` === cells[2])!;
					expect(cells[0], line).toBe(row.status === 'Ikke vurdert' ? '' : String(row.rank));
					expect(cells[1]).toBe(row.status);
					expect(cells[5], `score ${line}`).toBe(fmt(row.score));
					expect(cells[6]).toBe(levelOf(row.score) ?? 'Ikke vurdert');
					expect(cells[9]).toBe(fmt(row.l));
					expect(cells[10]).toBe(fmt(row.c));
					expect(cells[ratedAt], line).toBe(String(row.workshopsRated));
					// each workshop's own rank, and "no answers" for the silent one
					workshopIds.forEach((id, w) => {
						const cell = cells[firstRankAt + w]!;
						if (!answered(id)) expect(cell).toBe('ingen svar');
						else {
							const own = ownRanks[w]![row.p]!;
							expect(cell, `${line}: rank in workshop ${w}`).toBe(own.status === 'Ikke vurdert' ? '–' : String(own.rank));
						}
					});
				}
				const file = csv.headers.get('content-disposition')!;
				expect(file).toContain(weighting === 'workshop' ? '-hver-workshop-likt' : '-hvert-medlem-likt');
			}

			// the workbook's first sheet: the same figures, stored at full precision (sums and sorting in
			// Excel use them), shown with the printed decimals through the cells' number format
			const xlsx = await fetch(`${server.url}${path}/export.xlsx?weighting=${weighting}`, { headers: { authorization: `Bearer ${created.ownerKey}` } });
			const workbook = new ExcelJS.Workbook();
			await workbook.xlsx.load(await xlsx.arrayBuffer());
			const sheet = workbook.worksheets[0]!;
			for (let r = 2; r <= POINTS.length + 1; r++) {
				const cells = sheet.getRow(r);
				const row = want.find((x) => `R${x.p + 1}` === cells.getCell(3).value)!;
				if (row.score === null) expect(cells.getCell(6).value, `xlsx score R${row.p + 1}`).toBeNull();
				else {
					expect(cells.getCell(6).value, `xlsx score R${row.p + 1}`).toBeCloseTo(row.score, 9);
					expect(cells.getCell(6).numFmt, `xlsx score format R${row.p + 1}`).toBe('0.00');
				}
				expect(cells.getCell(7).value).toBe(levelOf(row.score) ?? 'Ikke vurdert');
				if (row.l === null) expect(cells.getCell(10).value).toBeNull();
				else {
					expect(cells.getCell(10).value).toBeCloseTo(row.l, 9);
					expect(cells.getCell(10).numFmt).toBe('0.00');
				}
			}
			// the workbook, the CSV and the JSON agree on how sure each place is: the two-stage intervals, and beside them those with the workshops held as they are
			type Spread = { id: string; rankLow: number; rankHigh: number; pTop: number };
			expect(json.analysis.uncertainty.method).toBe('workshops-and-members');
			const interval = new Map<string, Spread>(json.analysis.uncertainty.points.map((x: Spread) => [x.id, x]));
			const within = new Map<string, Spread>(json.analysis.uncertainty.withinWorkshops.map((x: Spread) => [x.id, x]));
			const headers = (sheet.getRow(1).values as unknown[]).map(String);
			const column = (name: string) => {
				const at = headers.indexOf(name);
				expect(at, name).toBeGreaterThan(0);
				return at;
			};
			const [low, high, pTop, lowWithin, highWithin] = ['Rang, nedre grense (90 %)', 'Rang, øvre grense (90 %)', 'Sannsynlighet for topp 10', 'Rangintervall, nedre (bare medlemmer trukket)', 'Rangintervall, øvre (bare medlemmer trukket)'].map(column) as [number, number, number, number, number];
			let wider = 0;
			for (let r = 2; r <= POINTS.length + 1; r++) {
				const cells = sheet.getRow(r);
				const p = Number(String(cells.getCell(3).value).slice(1)) - 1;
				const spread = interval.get(ids[p]!)!;
				if (want[p]!.score === null) continue;
				// a point with too few answers has no interval: its place after the others says nothing of how sure it is
				if (cells.getCell(2).value === 'For få svar') {
					expect([low, high, pTop, lowWithin, highWithin].map((c) => cells.getCell(c).value ?? null)).toEqual([null, null, null, null, null]);
					continue;
				}
				expect(cells.getCell(low).value).toBe(spread.rankLow);
				expect(cells.getCell(high).value).toBe(spread.rankHigh);
				expect(cells.getCell(pTop).value).toBeCloseTo(spread.pTop, 12);
				expect(cells.getCell(pTop).numFmt).toBe('0.00');
				expect(cells.getCell(lowWithin).value).toBe(within.get(ids[p]!)!.rankLow);
				expect(cells.getCell(highWithin).value).toBe(within.get(ids[p]!)!.rankHigh);
				if (spread.rankHigh - spread.rankLow > within.get(ids[p]!)!.rankHigh - within.get(ids[p]!)!.rankLow) wider++;
			}
			// the workshops disagree more than their members: redrawing them too widens most intervals
			expect(wider).toBeGreaterThan(POINTS.length / 3);

			// the PDF's ranked list prints each point's code, score and level
			if (weighting === 'workshop') {
				const pdf = await fetch(`${server.url}${path}/export.pdf?weighting=${weighting}`, { headers: { authorization: `Bearer ${created.ownerKey}` } });
				pdfBytes = new Uint8Array(await pdf.arrayBuffer());
				// REPORT_PDF=file keeps it (docs/screenshots/report-page-*.png are its pages)
				if (process.env.REPORT_PDF) writeFileSync(process.env.REPORT_PDF, pdfBytes);
				const { text } = await extractText(await getDocumentProxy(pdfBytes.slice()), { mergePages: true });
				const flat = text.replace(/\s+/g, ' ');
				for (const row of want) {
					if (row.score === null) continue;
					const printedScore = round2(row.score).toFixed(2).replace('.', ',');
					expect(flat, `PDF: R${row.p + 1} ${printedScore}`).toMatch(new RegExp(`R${row.p + 1} .{0,400}?${printedScore.replace(',', '\\,')}`));
				}
				// both counts, truthfully: joined and answering
				const joined = WORKSHOPS.reduce((sum, w) => sum + w.members, 0);
				const answering = [...answers.values()].reduce((sum, members) => sum + members.filter((m) => m.size > 0).length, 0);
				expect(flat).toContain(`7 workshoper, 6 av dem med svar. ${joined} deltakere ble med, ${answering} svarte.`);
				expect(flat).toContain('Vedlegg: Statsforvalteren i Vestland');
				expect(flat).not.toContain('Vedlegg: Statsforvalteren i Trøndelag');
				expect(flat).toMatch(/november|desember|januar|februar|mars|april|mai|juni|juli|august|september|oktober/);
				expect(flat).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
			}
		}
	}, 120_000);

	it('come in a PDF tagged for PDF/UA: marked, language, title shown, a structure tree, tables with header cells, a figure with its text, all other ink an artifact', async () => {
		expect(pdfBytes, 'the first test keeps the PDF').toBeDefined();
		// the catalog, read as a PDF reader reads it (its objects are in compressed object streams)
		const parsed = await PDFDocument.load(pdfBytes!, { updateMetadata: false });
		const catalog = parsed.catalog;
		const markInfo = catalog.lookupMaybe(PDFName.of('MarkInfo'), PDFDict);
		expect(markInfo?.get(PDFName.of('Marked'))?.toString(), 'the catalog is marked').toBe('true');
		expect(catalog.get(PDFName.of('Lang'))?.toString()).toBe('(nb-NO)');
		expect(catalog.get(PDFName.of('StructTreeRoot')), 'a structure tree').toBeDefined();
		expect(catalog.lookupMaybe(PDFName.of('ViewerPreferences'), PDFDict)?.get(PDFName.of('DisplayDocTitle'))?.toString()).toBe('true');
		const metadata = catalog.lookup(PDFName.of('Metadata')) as PDFRawStream;
		expect(Buffer.from(decodePDFRawStream(metadata).decode()).toString('utf8')).toMatch(/pdfuaid:part[^0-9]{0,4}1/);
		// object streams keep it small: the report of 31 points in seven workshops in well under 500 KB
		expect(pdfBytes!.length).toBeLessThan(500_000);

		const doc = await getDocumentProxy(pdfBytes!.slice());
		const meta = await doc.getMetadata();
		expect((meta.info as { Title?: string }).Title).toBe('Krysskontroll');
		expect((meta.info as { Language?: string }).Language).toBe('nb-NO');

		type Node = { role?: string; alt?: string; children?: Node[]; type?: string; id?: string };
		const roles = new Map<string, number>();
		const figures: Node[] = [];
		const walk = (node: Node) => {
			if (node.role) roles.set(node.role, (roles.get(node.role) ?? 0) + 1);
			if (node.role === 'Figure') figures.push(node);
			node.children?.forEach(walk);
		};
		let inkOutside = 0;
		let artifacts = 0;
		for (let n = 1; n <= doc.numPages; n++) {
			const page = await doc.getPage(n);
			const tree = (await page.getStructTree()) as Node | null;
			expect(tree, `page ${n} has a structure tree`).toBeTruthy();
			walk(tree!);
			// every piece of text is either in tagged content or an artifact
			const content = await page.getTextContent({ includeMarkedContent: true });
			let depth = 0;
			for (const item of content.items as { type?: string; tag?: string; str?: string }[]) {
				if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') {
					depth++;
					if (item.tag === 'Artifact') artifacts++;
				} else if (item.type === 'endMarkedContent') depth--;
				else if (item.str && item.str.trim() && depth === 0) inkOutside++;
			}
		}
		expect(inkOutside, 'text outside tagged content and artifacts').toBe(0);
		expect(artifacts, 'page furniture (page numbers) marked as artifacts').toBeGreaterThanOrEqual(doc.numPages - 1);
		for (const role of ['Document', 'Sect', 'H1', 'H2', 'P', 'Table', 'TR', 'TH', 'TD', 'Figure']) expect(roles.get(role) ?? 0, role).toBeGreaterThan(0);
		expect(figures.length).toBeGreaterThan(0);
		for (const figure of figures) expect(figure.alt ?? '', 'a figure has its text alternative').toMatch(/\S{10,}/);
	}, 60_000);
});
