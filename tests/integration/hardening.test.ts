/**
 * What nobody without a key may do to the server (issue 12): crash it with names of
 * Object.prototype, fill it with creations or fake members, lock a panel out by guessing codes,
 * or reach the national assessment from a regional link.
 */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { extractText, getDocumentProxy } from 'unpdf';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { call, createWorkshop, joinAsFacilitator, joinAsMember, joinAsProjector, refusal, type ClientSocket } from '../helpers/clients';
import { startServer, type RunningServer, usesPostgres, storeRawWorkshop } from '../helpers/server';

const running: RunningServer[] = [];
async function start(options: Parameters<typeof startServer>[0] = {}) {
	const server = await startServer(options);
	running.push(server);
	return server;
}
afterEach(async () => {
	await Promise.all(running.splice(0).map((server) => server.stop()));
});

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const alive = (server: RunningServer) => server.child.exitCode === null && server.child.signalCode === null;
const from = (address: string) => ({ 'x-forwarded-for': address });

/** A member socket's first answer: `in` with its token, or the refusal's code. */
function connect(url: string, auth: Record<string, unknown>, address?: string): Promise<{ in: boolean; token?: string; code?: string; socket?: ClientSocket }> {
	return new Promise((done) => {
		const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: address ? from(address) : {} }) as ClientSocket;
		socket.once('participant', (p: { participantToken: string }, received?: () => void) => {
			received?.();
			done({ in: true, token: p.participantToken, socket });
		});
		socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
			socket.close();
			done({ in: false, code: error.data?.code });
		});
	});
}

describe('names of Object.prototype as ids and codes', () => {
	it('refuses them as ids with a 400 naming the point, and takes them as codes without harm everywhere', async () => {
		const server = await start();
		for (const name of PROTOTYPE_NAMES) {
			const refused = await call(server.url, '/api/assessments', {
				method: 'POST',
				json: { title: 'Proto', riskPoints: [{ text: 'a' }, { id: name, text: 'b' }] }
			});
			expect(refused.status, name).toBe(400);
			expect(refused.body.code).toBe('error.list.badId');
			expect(refused.body.error).toMatch(/point 2/i);
		}
		// as codes: a list, a workshop, a projector, members rating, results and every export
		const created = await call(server.url, '/api/assessments', {
			method: 'POST',
			json: { title: 'Proto', riskPoints: PROTOTYPE_NAMES.map((code) => ({ code, text: `Punkt ${code}` })) }
		});
		expect(created.status).toBe(201);
		const { id, ownerKey } = created.body;
		const workshop = (await call(server.url, `/api/assessments/${id}/workshops`, { method: 'POST', key: ownerKey, json: { kind: 'national' } })).body.workshops[0];
		await call(server.url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'open', pacing: 'facilitator' } });
		const projector = await joinAsProjector(server.url, workshop);
		const member = await joinAsMember(server.url, workshop.joinCode);
		for (const point of member.view.riskPoints) {
			expect(await member.socket.emitWithAck('rate', { riskPointId: point.id, likelihood: 4, consequence: 2 })).toMatchObject({ ok: true });
		}
		// the same names as point ids in what members and the projector send
		for (const name of PROTOTYPE_NAMES) {
			const ack = await member.socket.emitWithAck('rate', { riskPointId: name, likelihood: 1, consequence: 1 });
			expect(ack.ok).toBe(false);
			const projectorRefused = await refusal(server.url, { projectorFor: name });
			expect(projectorRefused.message).toBeTruthy();
		}
		const results = await call(server.url, `/api/assessments/${id}/results`, { key: ownerKey });
		expect(results.body.riskPoints.map((p: { code: string }) => p.code).sort()).toEqual([...PROTOTYPE_NAMES].sort());
		for (const format of ['csv', 'json', 'xlsx', 'pdf']) {
			expect((await call(server.url, `/api/assessments/${id}/export.${format}`, { key: ownerKey })).status, format).toBe(200);
		}
		// an upload that names points by those ids
		const upload = await call(server.url, `/api/assessments/${id}/risk-points`, {
			method: 'POST',
			key: ownerKey,
			json: { riskPoints: [{ id: 'constructor', text: 'c' }] }
		});
		expect(upload.status).toBe(201);
		member.socket.close();
		projector.socket.close();
		expect(alive(server)).toBe(true);
	});

	it('sets aside a stored workshop whose data names a point __proto__, and starts and serves the others', async () => {
		const first = await start();
		const good = await createWorkshop(first.url, ['A']);
		await first.stop();
		// a workshop written by hand (or by an older version) with prototype names in its data
		const bad = {
			version: 1,
			workshop: {
				id: 'badworkshop1',
				title: 'Bad',
				language: 'nb',
				status: 'open',
				pacing: 'facilitator',
				scales: good && { likelihood: { labels: ['1', '2', '3', '4', '5'] }, consequence: { labels: ['1', '2', '3', '4', '5'] } },
				matrix: { levels: [] },
				scoring: 'product-of-means',
				riskPoints: [{ id: '__proto__', code: 'constructor', text: 'x', category: '', description: '' }],
				currentRiskPointId: '__proto__',
				joinCode: 'BBBBBB',
				facilitatorKeyHash: 'x',
				createdAt: '',
				updatedAt: '',
				rounds: JSON.parse('{"__proto__": 2}')
			},
			participants: [],
			ratings: []
		};
		await storeRawWorkshop(first.dataDir, 'badworkshop1', JSON.stringify(bad).replace('"rounds":{}', '"rounds":{"__proto__":2}'));
		const second = await start({ dataDir: first.dataDir });
		const refused = await call(second.url, '/api/workshops/badworkshop1', { key: 'x' });
		expect(refused.status).toBe(503);
		expect(refused.body.code).toBe('error.workshop.unreadable');
		expect((await refusal(second.url, { projectorFor: 'badworkshop1' })).data?.code).toBe('error.workshop.unreadable');
		expect((await call(second.url, `/api/workshops/${good.id}`, { key: good.facilitatorKey })).status).toBe(200);
		expect(alive(second)).toBe(true);
	});
});

describe('creation and stored data', () => {
	it('limits creations per address with a 429 that says when to try again; other addresses go on', async () => {
		const server = await start({ env: { ADDRESS_HEADER: 'x-forwarded-for', CREATE_BURST: '3', CREATE_PER_HOUR: '6' } });
		const statuses: number[] = [];
		for (let i = 0; i < 5; i++) {
			statuses.push((await call(server.url, '/api/workshops', { method: 'POST', json: { title: `W${i}` }, headers: from('10.0.0.1') })).status);
		}
		expect(statuses).toEqual([201, 201, 201, 429, 429]);
		const refused = await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'A' }, headers: from('10.0.0.1') });
		expect(refused.status).toBe(429);
		expect(refused.body).toMatchObject({ code: 'error.create.tooMany', error: expect.stringMatching(/10 minutes/) });
		expect((await call(server.url, '/api/workshops', { method: 'POST', json: { title: 'Other' }, headers: from('10.0.0.2') })).status).toBe(201);
	});

	it.skipIf(usesPostgres())('refuses new records with a 507 once MAX_DATA_MB is reached, while running workshops go on', async () => {
		const server = await start({ env: { MAX_DATA_MB: '0.05' } });
		const workshop = await createWorkshop(server.url, ['A', 'B']);
		const member = await joinAsMember(server.url, workshop.joinCode);
		const big = Array.from({ length: 40 }, (_, i) => ({ text: `Punkt ${i}`, description: 'x'.repeat(1500) }));
		let refused: Awaited<ReturnType<typeof call>> | null = null;
		for (let i = 0; i < 10 && !refused; i++) {
			const answer = await call(server.url, '/api/assessments', { method: 'POST', json: { title: `Stor ${i}`, riskPoints: big } });
			if (answer.status !== 201) refused = answer;
		}
		expect(refused?.status).toBe(507);
		expect(refused?.body).toMatchObject({ code: 'error.storage.quota', error: expect.stringContaining('MAX_DATA_MB') });
		expect(await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 3, consequence: 3 })).toMatchObject({ ok: true });
		member.socket.close();
	});
});

describe('joining', () => {
	it('lets members back in with their token and others in from their own address, though one address guessed wrong codes (ADDRESS_HEADER on sockets)', async () => {
		const server = await start({ env: { ADDRESS_HEADER: 'x-forwarded-for' } });
		const workshop = await createWorkshop(server.url, ['A']);
		const first = await connect(server.url, { joinCode: workshop.joinCode }, '10.1.1.1');
		first.socket?.close();
		for (let i = 0; i < 15; i++) await connect(server.url, { joinCode: 'ZZZZZZ' }, '10.1.1.1');
		expect((await connect(server.url, { joinCode: workshop.joinCode }, '10.1.1.1')).code).toBe('error.join.tooMany');
		const back = await connect(server.url, { joinCode: workshop.joinCode, participantToken: first.token }, '10.1.1.1');
		expect(back.in).toBe(true);
		back.socket?.close();
		const neighbour = await connect(server.url, { joinCode: workshop.joinCode }, '10.1.1.2');
		expect(neighbour.in).toBe(true);
		neighbour.socket?.close();
	});

	it('slows guessing spread over many addresses with a budget for all of them, and still lets a new member in', async () => {
		const server = await start({ env: { ADDRESS_HEADER: 'x-forwarded-for' } });
		const workshop = await createWorkshop(server.url, ['A']);
		let answered = 0;
		for (let a = 0; a < 250; a++) {
			for (let g = 0; g < 4; g++) {
				const answer = await call(server.url, `/api/join/QQQQ${String.fromCharCode(65 + (a % 26))}${String.fromCharCode(65 + g)}`, { headers: from(`10.2.${a >> 8}.${a & 255}`) });
				if (answer.status === 404) answered++;
				else expect(answer.status).toBe(429);
			}
		}
		// 1,000 guesses; without the shared budget every one would have been answered
		expect(answered).toBeLessThan(500);
		const newcomer = await connect(server.url, { joinCode: workshop.joinCode }, '10.3.0.1');
		expect(newcomer.in).toBe(true);
		newcomer.socket?.close();
	});

	it('caps new members per address and per workshop, and the facilitator sees and removes members', async () => {
		const server = await start({ env: { ADDRESS_HEADER: 'x-forwarded-for', NEW_MEMBERS_BURST: '5', NEW_MEMBERS_PER_MINUTE: '1', MAX_MEMBERS_PER_WORKSHOP: '8' } });
		// named: answers per member and removal with the answers (anonymity.test.ts has the anonymous rules)
		const workshop = await createWorkshop(server.url, ['A'], { anonymous: false });
		const one = [];
		for (let i = 0; i < 7; i++) one.push(await connect(server.url, { joinCode: workshop.joinCode }, '10.6.6.6'));
		expect(one.map((m) => m.in)).toEqual([true, true, true, true, true, false, false]);
		expect(one[5]!.code).toBe('error.join.tooManyMembers');
		const others = [];
		for (let i = 0; i < 4; i++) others.push(await connect(server.url, { joinCode: workshop.joinCode }, `10.7.0.${i}`));
		expect(others.map((m) => m.in)).toEqual([true, true, true, false]);
		expect(others[3]!.code).toBe('error.join.workshopFull');

		// the facilitator lists the eight members and removes one with their answers
		const fake = one[0]!;
		const facilitator = await joinAsFacilitator(server.url, workshop.id, workshop.facilitatorKey);
		const member = await joinAsMember(server.url, workshop.joinCode, { participantToken: fake.token });
		expect(await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 5, consequence: 5 })).toMatchObject({ ok: true });
		const list = await call(server.url, `/api/workshops/${workshop.id}/members`, { key: workshop.facilitatorKey });
		expect(list.body.members).toHaveLength(8);
		expect(list.body.members[0]).toMatchObject({ id: member.participantId, number: 1, name: '', connected: true, answers: 1 });
		const disconnected = new Promise((done) => member.socket.once('disconnect', done));
		expect((await call(server.url, `/api/workshops/${workshop.id}/members/${member.participantId}`, { method: 'DELETE', key: workshop.facilitatorKey })).status).toBe(204);
		await disconnected;
		expect((await call(server.url, `/api/workshops/${workshop.id}/members`, { key: workshop.facilitatorKey })).body.members).toHaveLength(7);
		expect((await call(server.url, `/api/workshops/${workshop.id}/results`, { key: workshop.facilitatorKey })).body.riskPoints[0].responses).toBe(0);
		for (const m of [...one, ...others]) m.socket?.close();
		facilitator.socket.close();
	});
});

describe('keys of an assessment', () => {
	it('gives each workshop its own key that opens that workshop only; the owner key stays with the owner', async () => {
		const server = await start();
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Nasjonal', riskPoints: [{ text: 'A' }] } })).body;
		const owner = { key: assessment.ownerKey };
		const made = await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', ...owner, json: { preset: 'county-governors' } });
		expect(made.body.workshops).toHaveLength(10);
		// twice adds none
		const again = await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', ...owner, json: { preset: 'county-governors' } });
		expect(again.body.workshops).toHaveLength(0);
		const [agder, vestland] = made.body.workshops as { id: string; facilitatorKey: string; facilitatorUrl: string }[];
		expect(agder!.facilitatorKey).not.toBe(assessment.ownerKey);
		expect(agder!.facilitatorUrl).not.toContain(assessment.ownerKey);

		const regional = { key: agder!.facilitatorKey };
		expect((await call(server.url, `/api/workshops/${agder!.id}`, regional)).status).toBe(200);
		expect((await call(server.url, `/api/workshops/${vestland!.id}`, regional)).status).toBe(403);
		expect((await call(server.url, `/api/assessments/${assessment.id}`, regional)).status).toBe(403);
		expect((await call(server.url, `/api/assessments/${assessment.id}/results`, regional)).status).toBe(403);
		expect((await call(server.url, `/api/assessments/${assessment.id}`, { method: 'DELETE', ...regional })).status).toBe(403);
		expect((await call(server.url, `/api/workshops/${agder!.id}`, owner)).status).toBe(403);
		// the assessment owns the scales and anonymity
		for (const patch of [{ anonymous: false }, { scales: { likelihood: { labels: ['a', 'b', 'c', 'd', 'e'] }, consequence: { labels: ['a', 'b', 'c', 'd', 'e'] } } }]) {
			const refused = await call(server.url, `/api/workshops/${agder!.id}`, { method: 'PATCH', ...regional, json: patch });
			expect(refused.status).toBe(409);
			expect(refused.body.code).toBe('error.workshop.ownedByAssessment');
		}
		// the owner's page gives every workshop's own link
		const overview = (await call(server.url, `/api/assessments/${assessment.id}`, owner)).body;
		expect(overview.workshops.find((w: { id: string }) => w.id === agder!.id).facilitatorUrl).toBe(agder!.facilitatorUrl);
	});
});

describe('templates', () => {
	it('belong to the key that saved them: listed, used and deleted with it only', async () => {
		const server = await start();
		const mine = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Mine', riskPoints: [{ text: 'A' }, { text: 'B' }] } })).body;
		const theirs = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Theirs', riskPoints: [{ text: 'C' }] } })).body;
		const saved = await call(server.url, `/api/assessments/${mine.id}/template`, { method: 'POST', key: mine.ownerKey, json: { title: 'Min mal' } });
		expect(saved.status).toBe(201);
		expect((await call(server.url, '/api/templates')).status).toBe(401);
		expect((await call(server.url, '/api/templates', { key: theirs.ownerKey })).body.templates).toEqual([]);
		expect((await call(server.url, '/api/templates', { key: mine.ownerKey })).body.templates).toEqual([expect.objectContaining({ id: saved.body.id, title: 'Min mal', points: 2 })]);
		const stolen = await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'X', templateId: saved.body.id, templateKey: theirs.ownerKey } });
		expect(stolen.status).toBe(404);
		expect((await call(server.url, `/api/templates/${saved.body.id}`, { method: 'DELETE', key: theirs.ownerKey })).status).toBe(404);
		expect((await call(server.url, `/api/templates/${saved.body.id}`, { method: 'DELETE', key: mine.ownerKey })).status).toBe(204);
		expect((await call(server.url, '/api/templates', { key: mine.ownerKey })).body.templates).toEqual([]);
	});
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const rss = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** A small workbook whose sheet declares a merged range of a hundred million cells (7 KB). */
async function spreadsheetBomb(): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('Ark1');
	sheet.addRow(['text']);
	sheet.addRow(['et punkt']);
	const zip = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
	const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
	zip.file('xl/worksheets/sheet1.xml', xml.replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="A3:XFD200000"/></mergeCells>'));
	return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

describe('uploads within bounds', () => {
	it('reads a spreadsheet bomb without materialising its declared range, and refuses values beyond the bounds with a 422', async () => {
		const server = await start();
		const created = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Bombe' } })).body;
		const put = (body: Uint8Array | Buffer, type = XLSX) => call(server.url, `/api/assessments/${created.id}/risk-points`, { method: 'PUT', key: created.ownerKey, type, body: body as BodyInit });
		const bomb = await spreadsheetBomb();
		const answer = await put(bomb);
		expect(answer.status).toBe(200);
		expect(answer.body.riskPoints.map((p: { text: string }) => p.text)).toEqual(['et punkt']);
		expect(rss(server.child.pid!)).toBeLessThan(400);

		// a value in row 5,000 or column XFD
		const zip = await JSZip.loadAsync(bomb);
		const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
		zip.file('xl/worksheets/sheet1.xml', xml.replace('</sheetData>', '<row r="5000"><c r="A5000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'));
		const far = await put(await zip.generateAsync({ type: 'nodebuffer' }));
		expect(far.status).toBe(422);
		expect(far.body).toMatchObject({ code: 'error.xlsx.tooManyRows', error: expect.stringMatching(/row 5000/) });
		// a part that unpacks to 100 MB
		zip.file('xl/worksheets/sheet1.xml', xml);
		zip.file('xl/sharedStrings.xml', ' '.repeat(100 * 1024 * 1024));
		const inflated = await put(await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
		expect(inflated.status).toBe(413);
		expect(inflated.body.code).toBe('error.xlsx.tooBig');
		// the same bounds for CSV and pasted text
		const rows = ['text', ...Array.from({ length: 2100 }, (_, i) => `p${i}`)].join('\n');
		expect((await put(Buffer.from(rows), 'text/csv')).body.code).toBe('error.table.tooManyRows');
		expect((await put(Buffer.from(rows.replace('text\n', '')), 'text/plain')).body.code).toBe('error.table.tooManyRows');
		expect((await call(server.url, `/api/assessments/${created.id}/risk-points`, { key: created.ownerKey })).body.riskPoints).toHaveLength(1);
		expect(alive(server)).toBe(true);
	});

	it('answers a chunked upload over the limit with 413, not 500', async () => {
		const server = await start();
		const created = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Stor' } })).body;
		for (const megabytes of [2, 12]) {
			const status = await new Promise<number>((done, fail) => {
				const upload = request(
					`${server.url}/api/assessments/${created.id}/risk-points`,
					{ method: 'PUT', headers: { 'content-type': 'text/plain', authorization: `Bearer ${created.ownerKey}`, 'transfer-encoding': 'chunked' } },
					(response) => {
						response.resume();
						response.on('end', () => done(response.statusCode!));
					}
				);
				upload.on('error', fail);
				const chunk = Buffer.alloc(64 * 1024, 'a\n');
				let sent = 0;
				const write = () => {
					while (sent < megabytes * 1024 * 1024) {
						sent += chunk.length;
						if (!upload.write(chunk)) return void upload.once('drain', write);
					}
					upload.end();
				};
				write();
			});
			expect(status, `${megabytes} MB`).toBe(413);
		}
	});
});

describe('reports', () => {
	it('builds the PDF off the event loop: a rating elsewhere is acknowledged before the big report is done', async () => {
		const server = await start();
		const points = Array.from({ length: 300 }, (_, i) => ({ text: `Risikopunkt ${i + 1} om noe som kan gå galt i tjenesten` }));
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Stor', riskPoints: points } })).body;
		for (let w = 0; w < 40; w++) {
			await call(server.url, `/api/assessments/${assessment.id}/workshops`, { method: 'POST', key: assessment.ownerKey, json: { kind: 'regional', title: `Region ${w}` } });
		}
		const workshop = await createWorkshop(server.url, ['A']);
		const member = await joinAsMember(server.url, workshop.joinCode);
		const order: string[] = [];
		const report = call(server.url, `/api/assessments/${assessment.id}/export.pdf`, { key: assessment.ownerKey }).then((answer) => {
			order.push('report');
			return answer;
		});
		await new Promise((done) => setTimeout(done, 50));
		const ack = await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[0]!, likelihood: 2, consequence: 2 });
		order.push('ack');
		expect(ack).toMatchObject({ ok: true });
		expect((await report).status).toBe(200);
		expect(order).toEqual(['ack', 'report']);
		// the same report again, from the cache while nothing changed
		const again = await call(server.url, `/api/assessments/${assessment.id}/export.pdf`, { key: assessment.ownerKey });
		expect(again.status).toBe(200);
		member.socket.close();
	});

	it('writes formula-like text as text: a text cell in .xlsx (no apostrophe), neutralised after any delimiter in CSV', async () => {
		const server = await start();
		const text = 'x,=HYPERLINK("http://evil.example","klikk")';
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Formler', riskPoints: [{ text, code: '=1+1' }] } })).body;
		const xlsx = await fetch(`${server.url}/api/assessments/${assessment.id}/export.xlsx`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } });
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await xlsx.arrayBuffer());
		const cells = workbook.worksheets[0]!.getRow(2).values as unknown[];
		expect(cells).toContain(text);
		expect(cells).toContain('=1+1');
		for (const value of cells) expect(typeof value === 'object' && value !== null && 'formula' in value).toBe(false);
		for (const delimiter of ['comma', 'semicolon']) {
			const csv = await (await fetch(`${server.url}/api/assessments/${assessment.id}/export.csv?delimiter=${delimiter}`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } })).text();
			const line = csv.split('\r\n').find((row) => row.includes('HYPERLINK'))!;
			for (const split of [',', ';', '\t']) {
				for (const field of line.split(split)) expect(field.replace(/^"/, ''), `${delimiter} file split at ${JSON.stringify(split)}`).not.toMatch(/^[=+@]/);
			}
		}
	});

	it('prints Sami letters as they are', async () => {
		const server = await start();
		const text = 'Sámi: ŋ ŧ đ č š ž á Ŋ Ŧ Đ Č Š Ž Á';
		const assessment = (await call(server.url, '/api/assessments', { method: 'POST', json: { title: 'Giellagáldu', riskPoints: [{ text }] } })).body;
		const pdf = await fetch(`${server.url}/api/assessments/${assessment.id}/export.pdf`, { headers: { authorization: `Bearer ${assessment.ownerKey}` } });
		const { text: pages } = await extractText(await getDocumentProxy(new Uint8Array(await pdf.arrayBuffer())), { mergePages: true });
		expect(pages).toContain('ŋ ŧ đ č š ž á Ŋ Ŧ Đ Č Š Ž Á');
		expect(pages).toContain('Giellagáldu');
	});
});

describe('the edges of HTTP', () => {
	it('logs a malformed URL as one line, at most once a minute, without a stack trace', async () => {
		const server = await start();
		for (let i = 0; i < 20; i++) expect((await fetch(`${server.url}/join/%E0%A4%ZZ${i}`)).status).toBe(400);
		await new Promise((done) => setTimeout(done, 100));
		const lines = server.output().split('\n').filter((line) => /URI|Malformed/i.test(line));
		expect(lines).toHaveLength(1);
		expect(server.output()).not.toMatch(/\n\s+at /);
	});

	it('sends the security headers with static files too', async () => {
		const server = await start();
		const page = await (await fetch(server.url)).text();
		const asset = /\/_app\/immutable\/[^"]+\.js/.exec(page)?.[0];
		expect(asset).toBeTruthy();
		for (const path of [asset!, '/favicon.svg', '/robots.txt']) {
			const answer = await fetch(server.url + path);
			if (answer.status === 404) continue;
			expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
			expect(answer.headers.get('x-frame-options'), path).toBe('DENY');
			expect(answer.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
			expect(answer.headers.get('referrer-policy'), path).toBe('same-origin');
		}
	});

	it('warns at start when ORIGIN is unset on a public address, and builds links from ORIGIN when set', async () => {
		const open = await start({ env: { HOST: '0.0.0.0' } });
		expect(open.output()).toMatch(/ORIGIN is not set/);
		const local = await start();
		expect(local.output()).not.toMatch(/ORIGIN is not set/);
		const behind = await start({ env: { ORIGIN: 'https://risiko.example.no' } });
		const created = await call(behind.url, '/api/workshops', { method: 'POST', json: { title: 'T' }, headers: { host: 'evil.example.com' } });
		expect(created.body.joinUrl).toMatch(/^https:\/\/risiko\.example\.no\/join\//);
		expect(created.body.facilitatorUrl).toMatch(/^https:\/\/risiko\.example\.no\/facilitate\//);
	});
});

describe('what members are promised', () => {
	it('says on the join page what the facilitator and the big screen see, in each mode', async () => {
		const server = await start();
		const named = await createWorkshop(server.url, ['A'], { anonymous: false, language: 'en' });
		const anonymous = await createWorkshop(server.url, ['A'], { language: 'en' });
		const counts = (await call(server.url, '/api/workshops', { method: 'POST', json: { title: 'Counts', language: 'en', countsOnly: true } })).body;
		const page = async (code: string) => (await fetch(`${server.url}/join/${code}`, { headers: { 'accept-language': 'en' } })).text();
		const namedPage = await page(named.joinCode);
		expect(namedPage).toContain('The facilitator sees your name, whether you are connected and whether you have answered');
		expect(namedPage).toContain('in a small group it can give away what you answered');
		expect(await page(anonymous.joinCode)).toContain('but not who answered what');
		const countsPage = await page(counts.joinCode);
		expect(countsPage).toContain('The facilitator sees only how many have answered, until the answers are shown to everyone at once');
		expect(countsPage).not.toContain('id="member-name"');
	});

	it('counts only: the facilitator sees how many answered and no name, and the numbers once the round is shown to all', async () => {
		const server = await start();
		const created = (await call(server.url, '/api/workshops', { method: 'POST', json: { title: 'Counts', countsOnly: true } })).body;
		const key = created.facilitatorKey;
		const list = await call(server.url, `/api/workshops/${created.id}/risk-points`, { method: 'PUT', key, type: 'text/plain', body: 'A' });
		const [a] = list.body.riskPoints.map((p: { id: string }) => p.id);
		await call(server.url, `/api/workshops/${created.id}`, { method: 'PATCH', key, json: { status: 'open', pacing: 'facilitator' } });
		const facilitator = await joinAsFacilitator(server.url, created.id, key);
		const members = await Promise.all(['Kari', 'Ola', 'Per'].map((name) => joinAsMember(server.url, created.joinCode, { name })));
		for (const [i, member] of members.entries()) await member.socket.emitWithAck('rate', { riskPointId: a, likelihood: 2 + i, consequence: 4 });
		const hidden = (await call(server.url, `/api/workshops/${created.id}/results`, { key })).body.riskPoints[0];
		expect(hidden).toMatchObject({ responses: 3, hidden: true, score: null, level: null, likelihood: { mean: null, counts: [0, 0, 0, 0, 0] } });
		const presence = (await call(server.url, `/api/workshops/${created.id}/members`, { key })).body.members;
		expect(presence.map((m: { name: string }) => m.name)).toEqual(['', '', '']);
		expect(JSON.stringify(facilitator.presence)).not.toMatch(/Kari|Ola|Per/);
		// the promise cannot be taken back once members have answered
		expect((await call(server.url, `/api/workshops/${created.id}`, { method: 'PATCH', key, json: { countsOnly: false } })).status).toBe(409);
		await call(server.url, `/api/workshops/${created.id}`, { method: 'PATCH', key, json: { revealed: [a] } });
		const shown = (await call(server.url, `/api/workshops/${created.id}/results`, { key })).body.riskPoints[0];
		expect(shown).toMatchObject({ responses: 3, hidden: false, score: 3 * 4 });
		for (const member of members) member.socket.close();
		facilitator.socket.close();
	});
});
