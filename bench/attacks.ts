/**
 * The attacks of issue 12 (1-6 and 8) and issue 23 (9-12) against the built server, each on a fresh server of its own,
 * while an honest member in another workshop rates every 50 ms. One `BENCH attack …` line each:
 * whether the server is still up, its peak RSS, the longest acknowledgement the honest member
 * waited for meanwhile, what the attack achieved, and the time to start again on the same data.
 *
 *   npm run bench:attacks                 (all)
 *   npm run bench:attacks -- --only bomb  (proto, bomb, flood, lockout, export, members, journal,
 *                                          oracle, slowProjectors, roles, rotation)
 *   npm run bench:attacks -- --entry /work/base/build/server.js   (an older build: the figures before)
 *
 * The server is `node build/server.js` with ADDRESS_HEADER=x-forwarded-for, so the attacker can
 * pretend to be many addresses (as behind a proxy).
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { io } from 'socket.io-client';
import { call, joinAsMember, type ClientSocket } from '../tests/helpers/clients';
import { startServer, type RunningServer } from '../tests/helpers/server';
import { round1, summaryLine } from './stats';

const { values } = parseArgs({
	options: {
		only: { type: 'string' },
		/** another build's build/server.js (e.g. a worktree of an older commit), for the figures before */
		entry: { type: 'string' }
	}
});
const ENV = { ADDRESS_HEADER: 'x-forwarded-for' };
/** the flood meets the creation limit as a public deployment has it (the test helper raises it for the other set-ups) */
const ENV_OF: Record<string, Record<string, string>> = { flood: { CREATE_BURST: '' } };

const rssMb = (pid: number) => {
	try {
		return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
	} catch {
		return 0;
	}
};
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const alive = (server: RunningServer) => server.child.exitCode === null && server.child.signalCode === null;

/** An honest member rating one point after another every 50 ms; the longest wait for an ack. */
async function honestMember(url: string) {
	const points = Array.from({ length: 30 }, (_, i) => `Ærlig punkt ${i + 1}`);
	const workshop = await call(url, '/api/workshops', { method: 'POST', json: { title: 'Ærlig' }, headers: { 'x-forwarded-for': '10.9.9.9' } });
	const { id, joinCode, facilitatorKey: key } = workshop.body;
	const list = await call(url, `/api/workshops/${id}/risk-points`, { method: 'PUT', key, type: 'text/plain', body: points.join('\n') });
	await call(url, `/api/workshops/${id}`, { method: 'PATCH', key, json: { status: 'open' } });
	const ids: string[] = list.body.riskPoints.map((p: { id: string }) => p.id);
	const member = await joinAsMember(url, joinCode);
	let worst = 0;
	const times: number[] = [];
	let unanswered = 0;
	let stop = false;
	let n = 0;
	const loop = (async () => {
		while (!stop) {
			const started = performance.now();
			const rating = { riskPointId: ids[n++ % ids.length]!, likelihood: 1 + (n % 5), consequence: 1 + ((n * 3) % 5) };
			const answered = await Promise.race([
				new Promise<boolean>((done) => member.socket.emit('rate', rating, () => done(true))),
				sleep(10_000).then(() => false)
			]);
			if (!answered) unanswered++;
			worst = Math.max(worst, performance.now() - started);
			times.push(performance.now() - started);
			await sleep(50);
		}
	})();
	return {
		workshopId: id,
		key,
		finish: async () => {
			stop = true;
			await loop;
			member.socket.close();
			const sorted = times.sort((a, b) => a - b);
			const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? 0;
			return { honestAckP99Ms: round1(p99), honestAckMaxMs: round1(worst), honestUnanswered: unanswered };
		}
	};
}

type Attack = (server: RunningServer) => Promise<Record<string, string | number>>;

const header = (address: string) => ({ 'x-forwarded-for': address });

/** 1: risk points whose id and code are names of Object.prototype, through every door. */
const proto: Attack = async ({ url }) => {
	let accepted = 0;
	let refused = 0;
	for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
		const created = await call(url, '/api/assessments', {
			method: 'POST',
			json: { title: 'Proto', riskPoints: [{ id: name, code: name, text: 'x' }, { text: 'y' }] }
		}).catch(() => ({ status: 0, body: {} as any }));
		if (created.status !== 201) {
			refused++;
			continue;
		}
		accepted++;
		const { id, ownerKey } = created.body;
		const made = await call(url, `/api/assessments/${id}/workshops`, { method: 'POST', key: ownerKey, json: { kind: 'national' } }).catch(() => null);
		const workshop = made?.body?.workshops?.[0];
		if (!workshop) continue;
		const key = workshop.facilitatorKey;
		await call(url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key, json: { status: 'open' } }).catch(() => null);
		// the projector's events need no key; a member sends ratings of that point
		for (const auth of [{ projectorFor: workshop.id }, { projectorFor: name }, { joinCode: workshop.joinCode }]) {
			const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false }) as ClientSocket;
			await Promise.race([new Promise((done) => socket.once('connect', () => done(null))), sleep(1000)]);
			socket.emit('rate', { riskPointId: name, likelihood: 3, consequence: 3 }, () => {});
			await sleep(200);
			socket.close();
		}
		// an upload naming the point by that id and code
		await call(url, `/api/assessments/${id}/risk-points`, {
			method: 'POST',
			key: ownerKey,
			json: { riskPoints: [{ id: name, code: `${name}2`, text: 'z' }] }
		}).catch(() => null);
	}
	return { listsAccepted: accepted, listsRefused: refused };
};

/** A small workbook whose sheet declares a merged range of a hundred million cells. */
async function spreadsheetBomb(): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('Ark1');
	sheet.addRow(['text']);
	sheet.addRow(['et punkt']);
	const zip = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
	const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
	zip.file(
		'xl/worksheets/sheet1.xml',
		xml.replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="A3:XFD200000"/></mergeCells>')
	);
	return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** 2: the bomb uploaded as a risk-point list, three times. */
const bomb: Attack = async ({ url }) => {
	const bytes = await spreadsheetBomb();
	const created = await call(url, '/api/assessments', { method: 'POST', json: { title: 'Bombe' } });
	const statuses: number[] = [];
	for (let i = 0; i < 3; i++) {
		const answer = await call(url, `/api/assessments/${created.body.id}/risk-points`, {
			method: 'PUT',
			key: created.body.ownerKey,
			type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			body: bytes
		}).catch(() => ({ status: 0 }));
		statuses.push(answer.status);
	}
	return { bombKb: round1(bytes.length / 1024), answers: statuses.join('/') };
};

const bigList = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ text: `Punkt ${i} `.padEnd(500, 'x'), description: ''.padEnd(2000, 'y') }));

/** 3: 450 assessments with 300 long points each, with a workshop each, from one address, in 60 s at most. */
const flood: Attack = async ({ url }) => {
	let created = 0;
	let refused = 0;
	const statuses = new Set<number>();
	const until = performance.now() + 60_000;
	const riskPoints = bigList(300);
	for (let i = 0; i < 450 && performance.now() < until; i++) {
		const answer = await call(url, '/api/assessments', { method: 'POST', json: { title: `Flom ${i}`, riskPoints }, headers: header('10.0.0.66') }).catch(
			() => ({ status: 0, body: {} as any })
		);
		statuses.add(answer.status);
		if (answer.status !== 201) {
			refused++;
			continue;
		}
		created++;
		await call(url, `/api/assessments/${answer.body.id}/workshops`, {
			method: 'POST',
			key: answer.body.ownerKey,
			json: { kind: 'national' },
			headers: header('10.0.0.66')
		}).catch(() => null);
	}
	return { created, refused, statuses: [...statuses].join('/') };
};

/** 4: wrong codes from the members' own address, and then from 250 addresses; can members still get in? */
const lockout: Attack = async ({ url }) => {
	const workshop = await call(url, '/api/workshops', { method: 'POST', json: { title: 'Panel' } });
	const { id, joinCode, facilitatorKey: key } = workshop.body;
	await call(url, `/api/workshops/${id}/risk-points`, { method: 'PUT', key, type: 'text/plain', body: 'a\nb' });
	await call(url, `/api/workshops/${id}`, { method: 'PATCH', key, json: { status: 'open' } });
	const venue = '10.1.1.1';
	const connect = (auth: Record<string, unknown>, address: string) =>
		new Promise<string>((done) => {
			const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: header(address) });
			socket.once('participant', (p: { participantToken: string }, received?: () => void) => {
				received?.();
				socket.close();
				done(`ok:${p.participantToken}`);
			});
			socket.once('connect_error', (error: Error & { data?: { code?: string } }) => done(error.data?.code ?? error.message));
		});
	const first = await connect({ joinCode }, venue);
	const token = first.split(':')[1];
	for (let i = 0; i < 15; i++) await connect({ joinCode: 'ZZZZZZ' }, venue);
	const rejoin = await connect({ joinCode, participantToken: token }, venue);
	const otherMember = await connect({ joinCode }, '10.1.1.2');
	let guessesAnswered = 0;
	for (let a = 0; a < 250; a++) {
		for (let g = 0; g < 8; g++) {
			const answer = await call(url, `/api/join/QQQQ${String.fromCharCode(65 + (a % 26))}${String.fromCharCode(65 + g)}`, { headers: header(`10.2.${a >> 8}.${a & 255}`) });
			if (answer.status === 404) guessesAnswered++;
		}
	}
	return {
		tokenRejoinFromVenue: rejoin.startsWith('ok') ? 'in' : `refused(${rejoin})`,
		newMemberOtherAddress: otherMember.startsWith('ok') ? 'in' : `refused(${otherMember})`,
		wrongGuessesAnsweredOf2000: guessesAnswered
	};
};

/** 5: the PDF and xlsx of a 300-point assessment with 100 workshops (two members' ratings in two of them). */
const exportFreeze: Attack = async ({ url }) => {
	const created = await call(url, '/api/assessments', {
		method: 'POST',
		json: { title: 'Stor', riskPoints: Array.from({ length: 300 }, (_, i) => ({ text: `Risikopunkt ${i + 1} med en lengre tekst om hva som kan gå galt` })) }
	});
	const { id, ownerKey } = created.body;
	const workshops: { id: string; joinCode: string; facilitatorKey: string }[] = [];
	for (let w = 0; w < 100; w++) {
		const made = await call(url, `/api/assessments/${id}/workshops`, { method: 'POST', key: ownerKey, json: { kind: 'regional', title: `Region ${w + 1}` } });
		workshops.push(made.body.workshops[0]);
	}
	const points = (await call(url, `/api/assessments/${id}/risk-points`, { key: ownerKey })).body.riskPoints.map((p: { id: string }) => p.id);
	await Promise.all(
		workshops.slice(0, 2).map(async (workshop) => {
			await call(url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'open' } });
			await Promise.all(
				[0, 1].map(async () => {
					const member = await joinAsMember(url, workshop.joinCode);
					for (let p = 0; p < points.length; p++) {
						// 15 a second: under the limit of one connection (20/s)
						await member.socket.timeout(30_000).emitWithAck('rate', { riskPointId: points[p], likelihood: 1 + (p % 5), consequence: 1 + ((p * 7) % 5) }).catch(() => null);
						await sleep(66);
					}
					member.socket.close();
				})
			);
		})
	);
	const timings: number[] = [];
	for (const format of ['pdf', 'xlsx', 'pdf', 'xlsx']) {
		const started = performance.now();
		const answer = await call(url, `/api/assessments/${id}/export.${format}`, { key: ownerKey });
		timings.push(round1((performance.now() - started) / 1000));
		if (answer.status !== 200) return { exportStatus: answer.status };
	}
	return { exportSeconds: timings.join('/') };
};

/** 6: one client makes 2,000 members in one workshop. */
const members: Attack = async ({ url }) => {
	const workshop = await call(url, '/api/workshops', { method: 'POST', json: { title: 'Falske' } });
	const { id, joinCode, facilitatorKey: key } = workshop.body;
	await call(url, `/api/workshops/${id}/risk-points`, { method: 'PUT', key, type: 'text/plain', body: 'a' });
	await call(url, `/api/workshops/${id}`, { method: 'PATCH', key, json: { status: 'open' } });
	let made = 0;
	for (let batch = 0; batch < 2000; batch += 50) {
		const results = await Promise.all(
			Array.from({ length: 50 }, () =>
				new Promise<boolean>((done) => {
					const socket = io(url, { auth: { joinCode }, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: header('10.6.6.6') });
					socket.once('participant', (_p: unknown, received?: () => void) => {
						received?.();
						socket.close();
						done(true);
					});
					socket.once('connect_error', () => done(false));
				})
			)
		);
		made += results.filter(Boolean).length;
	}
	return { membersMadeOf2000: made };
};

/** 8: 15 acknowledged ratings, kill -9, one byte of the journal changed; how many are there after restart? */
const journal: Attack = async (server) => {
	const { url } = server;
	const workshop = await call(url, '/api/workshops', { method: 'POST', json: { title: 'Journal' } });
	const { id, joinCode, facilitatorKey: key } = workshop.body;
	const list = await call(url, `/api/workshops/${id}/risk-points`, {
		method: 'PUT',
		key,
		type: 'text/plain',
		body: Array.from({ length: 15 }, (_, i) => `P${i + 1}`).join('\n')
	});
	await call(url, `/api/workshops/${id}`, { method: 'PATCH', key, json: { status: 'open' } });
	const member = await joinAsMember(url, joinCode);
	for (const point of list.body.riskPoints as { id: string }[]) {
		await new Promise((done) => member.socket.emit('rate', { riskPointId: point.id, likelihood: 2, consequence: 4 }, done));
	}
	member.socket.close();
	await server.kill();
	const path = join(server.dataDir, 'workshops', (await readdir(join(server.dataDir, 'workshops'))).find((name) => name.startsWith(id) && name.includes('journal'))!);
	const bytes = await readFile(path);
	const secondLine = bytes.indexOf(10) + 20; // a byte inside the second line
	bytes[secondLine] = bytes[secondLine] === 0x31 ? 0x32 : 0x31;
	await writeFile(path, bytes);
	return { workshopId: id, key, acknowledged: 15 };
};


/** A workshop of one point, open, with its facilitator key (and, on a build that has them, its projector link's key). */
async function openWorkshop(url: string, title: string) {
	const made = await call(url, '/api/workshops', { method: 'POST', json: { title }, headers: header('10.2.2.2') });
	const { id, joinCode, facilitatorKey: key } = made.body;
	const list = await call(url, `/api/workshops/${id}/risk-points`, { method: 'PUT', key, type: 'text/plain', body: 'a\nb' });
	await call(url, `/api/workshops/${id}`, { method: 'PATCH', key, json: { status: 'open', pacing: 'facilitator' } });
	const link = await call(url, `/api/workshops/${id}/projector`, { key }).catch(() => null);
	const projectorKey = link?.status === 200 ? new URL(link.body.projectorUrl).hash.replace('#key=', '') : undefined;
	return { id, joinCode, key, projectorKey, points: list.body.riskPoints.map((p: { id: string }) => p.id) as string[] };
}

/** 9 (issue 23): is /join/<code> an oracle for join codes once /api/join says 429? How many pages a second. */
const oracle: Attack = async ({ url }) => {
	// the real workshop is in English; the guessing browser asks for Norwegian
	const english = await call(url, '/api/workshops', { method: 'POST', json: { title: 'Engelsk', language: 'en' }, headers: header('10.2.2.2') });
	const code = english.body.joinCode as string;
	const from = header('10.4.4.4');
	for (let i = 0; i < 12; i++) await call(url, `/api/join/ZZZZZ${'23456789AB'[i % 10]}`, { headers: from });
	const blocked = (await call(url, `/api/join/${code}`, { headers: from })).status;
	const page = async (typed: string) => {
		const response = await fetch(`${url}/join/${typed}`, { headers: { ...from, 'accept-language': 'nb' } });
		return /<html lang="([^"]*)"/.exec(await response.text())?.[1];
	};
	const real = await page(code);
	const fake = await page('ZZZZZ3');
	const started = performance.now();
	let pages = 0;
	while (performance.now() - started < 3000) {
		await page(`ZZZ${String(pages).padStart(3, '2').slice(-3)}`);
		pages++;
	}
	return { apiJoin: blocked, realLang: real ?? '?', fakeLang: fake ?? '?', oracle: real !== fake ? 'yes' : 'no', pagesPerSecond: round1(pages / 3) };
};

/** 10 (issue 23): 2,000 projector screens from one address that never read, with a member rating in their workshop. */
const slowProjectors: Attack = async ({ url }) => {
	const target = await openWorkshop(url, 'Storskjerm');
	const auth = target.projectorKey ? { projectorFor: target.id, projectorKey: target.projectorKey } : { projectorFor: target.id };
	const sockets: ClientSocket[] = [];
	let accepted = 0;
	let refused = 0;
	for (let batch = 0; batch < 2000; batch += 100) {
		await Promise.all(
			Array.from({ length: 100 }, async () => {
				const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: header('10.5.5.5') }) as ClientSocket;
				sockets.push(socket);
				const ok = await Promise.race([
					new Promise<boolean>((done) => {
						socket.once('projector', () => done(true));
						socket.once('connect_error', () => done(false));
					}),
					sleep(5000).then(() => false)
				]);
				if (ok) {
					accepted++;
					// stop reading: the screen hangs
					(socket.io.engine.transport as unknown as { ws?: { _socket?: { pause: () => void } } }).ws?._socket?.pause();
				} else refused++;
			})
		);
	}
	// members rate in that workshop for 10 s: every rating changes what the screens are sent
	const raters = await Promise.all([1, 2, 3, 4, 5].map(() => joinAsMember(url, target.joinCode)));
	const until = performance.now() + 10_000;
	let n = 0;
	while (performance.now() < until) {
		await Promise.all(raters.map((member, m) => member.socket.emitWithAck('rate', { riskPointId: target.points[n % 2]!, likelihood: 1 + ((n + m) % 5), consequence: 1 + (n % 5) })));
		n++;
		// ten a second each: within a member's allowance
		await sleep(100);
	}
	const stillOpen = sockets.filter((socket) => socket.connected).length;
	for (const member of raters) member.socket.close();
	for (const socket of sockets) socket.close();
	return { projectorsAccepted: accepted, projectorsRefused: refused, ratingsDuring: n * 5, projectorsOpenAfter: stillOpen };
};

/** 11 (issue 23): a facilitator and a projector socket each send unknown events (1 KB) and binary attachments (64 KB) as fast as they can for 10 s. */
const roles: Attack = async ({ url }) => {
	const target = await openWorkshop(url, 'Roller');
	const facilitator = io(url, { auth: { workshopId: target.id, facilitatorKey: target.key }, transports: ['websocket'], forceNew: true, reconnection: false }) as ClientSocket;
	const projectorAuth = target.projectorKey ? { projectorFor: target.id, projectorKey: target.projectorKey } : { projectorFor: target.id };
	const sockets = [facilitator, facilitator, io(url, { auth: projectorAuth, transports: ['websocket'], forceNew: true, reconnection: false }) as ClientSocket];
	sockets.push(io(url, { auth: projectorAuth, transports: ['websocket'], forceNew: true, reconnection: false }) as ClientSocket);
	await Promise.all(sockets.map((socket) => Promise.race([new Promise((done) => socket.once('connect', () => done(null))), sleep(3000)])));
	let sentBytes = 0;
	const until = performance.now() + 10_000;
	const junk = 'x'.repeat(1000);
	const binary = new Uint8Array(64 * 1024);
	while (performance.now() < until && sockets.some((socket) => socket.connected)) {
		for (const [index, socket] of sockets.entries()) {
			if (!socket.connected) continue;
			if (index % 2 === 0) {
				(socket.emit as (event: string, ...args: unknown[]) => void)('whatever', junk);
				sentBytes += junk.length;
			} else {
				(socket.emit as (event: string, ...args: unknown[]) => void)('rate', binary);
				sentBytes += binary.length;
			}
		}
		await sleep(1);
	}
	const open = sockets.filter((socket) => socket.connected).length;
	for (const socket of sockets) socket.close();
	return { floodMb: round1(sentBytes / 1024 / 1024), floodSeconds: round1((10_000 - Math.max(0, until - performance.now())) / 1000), floodSocketsOpenAfter: open };
};

/** 12 (issue 23): a leaked link of each kind is replaced; does the old key still open anything? */
const rotation: Attack = async ({ url }) => {
	const standalone = await openWorkshop(url, 'Alene');
	const rotated = await call(url, `/api/workshops/${standalone.id}/key`, { method: 'POST', key: standalone.key });
	const oldStandalone = (await call(url, `/api/workshops/${standalone.id}`, { key: standalone.key })).status;
	const assessment = (await call(url, '/api/assessments', { method: 'POST', json: { title: 'Vurdering', riskPoints: [{ text: 'A' }] } })).body;
	const made = (await call(url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'regional', title: 'Agder' } })).body.workshops[0];
	const reset = await call(url, `/api/assessments/${assessment.id}/workshops/${made.id}/key`, { method: 'POST', key: assessment.ownerKey });
	const newRegional = reset.body?.workshops?.find((w: { id: string }) => w.id === made.id)?.facilitatorUrl ?? '';
	const oldRegional = (await call(url, `/api/workshops/${made.id}`, { key: made.facilitatorKey })).status;
	const owner = await call(url, `/api/assessments/${assessment.id}/key`, { method: 'POST', key: assessment.ownerKey });
	const oldOwner = (await call(url, `/api/assessments/${assessment.id}`, { key: assessment.ownerKey })).status;
	return {
		standaloneRotate: rotated.status,
		oldStandaloneKey: oldStandalone,
		regionalSameKeyAgain: newRegional.includes(made.facilitatorKey) ? 'yes' : 'no',
		oldRegionalKey: oldRegional,
		ownerRotate: owner.status,
		oldOwnerKey: oldOwner
	};
};

const ATTACKS: Record<string, Attack> = { proto, bomb, flood, lockout, export: exportFreeze, members, journal, oracle, slowProjectors, roles, rotation };

for (const [name, attack] of Object.entries(ATTACKS)) {
	if (values.only && !values.only.split(',').includes(name)) continue;
	const server = await startServer({ env: { ...ENV, ...ENV_OF[name] }, entry: values.entry });
	let peak = rssMb(server.child.pid!);
	const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.child.pid!))), 100);
	const honest = await honestMember(server.url);
	let figures: Record<string, string | number> = {};
	try {
		figures = await attack(server);
	} catch (error) {
		figures = { attackError: JSON.stringify((error as Error).message.slice(0, 80)) };
	}
	await sleep(500);
	// the journal attack ends with a kill -9 of its own
	const up = name === 'journal' ? 'killed by the attack' : alive(server) && (await call(server.url, '/api/join/AAAAAA', { headers: header('10.7.7.7') }).then(() => true).catch(() => false)) ? 'yes' : 'no';
	const honestFigures = name === 'journal' ? { honestAckMaxMs: '-' } : await honest.finish().catch(() => ({ honestAckMaxMs: 'lost' }));
	clearInterval(sampler);
	const crashes = (server.output().match(/(Uncaught|TypeError|RangeError|heap out of memory)/g) ?? []).length;
	await server.kill();
	// start again on the same data, time until it answers
	const started = performance.now();
	let restartSeconds: string | number = 'failed';
	let after: Record<string, string | number> = {};
	try {
		const again = await startServer({ dataDir: server.dataDir, env: { ...ENV, ...ENV_OF[name] }, entry: values.entry });
		const answer = await call(again.url, `/api/workshops/${honest.workshopId}`, { key: honest.key });
		restartSeconds = answer.status === 200 ? round1((performance.now() - started) / 1000) : `answer ${answer.status}`;
		after.restartRssMb = round1(rssMb(again.child.pid!));
		if (name === 'journal') {
			const stored = await call(again.url, `/api/workshops/${figures.workshopId}/results`, { key: String(figures.key) });
			const present = (stored.body.riskPoints ?? []).reduce((sum: number, p: { responses: number }) => sum + p.responses, 0);
			after = { ...after, ratingsAfterRestart: `${present}/15` };
			delete figures.workshopId;
			delete figures.key;
		}
		await again.stop();
	} catch (error) {
		restartSeconds = `failed(${(error as Error).message.split('\n')[0]!.slice(0, 60)})`;
	}
	console.log(
		summaryLine('attack', {
			name,
			up,
			peakRssMb: round1(peak),
			...honestFigures,
			errorsLogged: crashes,
			...figures,
			restartSeconds,
			...after
		})
	);
}
process.exit(0);
