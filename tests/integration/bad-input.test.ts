import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createWorkshop, joinAsMember, refusal, type Member } from '../helpers/clients';
import { startServer, storedWorkshopText, type RunningServer } from '../helpers/server';

let server: RunningServer;
let workshop: Awaited<ReturnType<typeof createWorkshop>>;
let member: Member;

const stored = () => storedWorkshopText(server.dataDir, workshop.id);
const path = (suffix = '') => `/api/workshops/${workshop.id}${suffix}`;

beforeAll(async () => {
	server = await startServer();
	workshop = await createWorkshop(server.url, ['Barnas behov blir ikke kartlagt', 'Ingen samordning']);
	member = await joinAsMember(server.url, workshop.joinCode);
	// the member is stored once its client has taken the token (after the join resolves here): wait
	// for that write, so that it cannot land inside a check below that nothing was written
	for (const started = Date.now(); !(await stored()).includes('"tokenHash"'); ) {
		if (Date.now() - started > 10_000) throw new Error('the member was not stored within 10 s');
		await new Promise((done) => setTimeout(done, 20));
	}
});
afterAll(async () => {
	member?.socket.close();
	await server?.stop();
});

/** Runs a bad request and checks that the workshop file is byte-for-byte the same afterwards. */
async function leavesDataAlone<T>(run: () => Promise<T>): Promise<T> {
	const before = await stored();
	const result = await run();
	await new Promise((done) => setTimeout(done, 50)); // a write would have been flushed by now
	expect(await stored()).toBe(before);
	return result;
}

describe('facilitator keys', () => {
	it('answers 401 without a key and 403 with a wrong one, saying what to do', async () => {
		const missing = await leavesDataAlone(() => call(server.url, path('/risk-points'), { method: 'PUT', type: 'text/plain', body: 'x' }));
		expect(missing.status).toBe(401);
		expect(missing.body.error).toMatch(/facilitator key is missing.*Authorization: Bearer/);
		const wrong = await leavesDataAlone(() =>
			call(server.url, path('/risk-points'), { method: 'PUT', key: 'not-the-key', type: 'text/plain', body: 'x' })
		);
		expect(wrong.status).toBe(403);
		expect(wrong.body.error).toMatch(/key is wrong/);
		expect((await call(server.url, path('/results'), { key: 'nope' })).status).toBe(403);
		expect((await call(server.url, path('/export.csv'))).status).toBe(401);
	});

	it('answers 404 for a workshop that does not exist', async () => {
		const response = await call(server.url, '/api/workshops/nosuchworkshop/results', { key: workshop.facilitatorKey });
		expect(response.status).toBe(404);
		expect(response.body.error).toMatch(/No workshop/);
	});

	it('refuses a facilitator socket with a wrong key', async () => {
		const error = await refusal(server.url, { workshopId: workshop.id, facilitatorKey: 'wrong' });
		expect(error.message).toMatch(/key is wrong/);
		expect(error.data?.code).toBe('error.auth.wrongKey');
	});
});

describe('join codes', () => {
	it('refuses an unknown code with a message that names it', async () => {
		const error = await refusal(server.url, { joinCode: 'QQQQQQ' });
		expect(error.message).toBe('No workshop has the code "QQQQQQ". Check the code with the facilitator and try again.');
		expect(error.data?.code).toBe('error.join.unknownCode');
	});

	it('answers in the language the client asks for', async () => {
		const error = await refusal(server.url, { joinCode: 'QQQQQQ', language: 'nn' });
		expect(error.message).toMatch(/^Ingen workshop har koden «QQQQQQ»/);
	});

	it('refuses a connection without a code, or with a name over 60 characters', async () => {
		expect((await refusal(server.url, {})).data?.code).toBe('error.join.missingCode');
		const long = await refusal(server.url, { joinCode: workshop.joinCode, name: 'x'.repeat(61) });
		expect(long.message).toMatch(/^Invalid data: name/);
	});
});

describe('ratings', () => {
	it('refuses levels outside the scale, naming the scale', async () => {
		const riskPointId = workshop.riskPointIds[0]!;
		for (const bad of [6, 0, 2.5, -1]) {
			const ack = await leavesDataAlone(() => member.socket.emitWithAck('rate', { riskPointId, likelihood: bad, consequence: 3 }));
			expect(ack.ok).toBe(false);
		}
		const ack = await member.socket.emitWithAck('rate', { riskPointId, likelihood: 3, consequence: 9 });
		expect(ack).toEqual({ ok: false, code: 'error.rate.outOfRange', error: expect.stringMatching(/^Consequence must be a whole number from 1 to 5/) });
	});

	it('refuses malformed payloads and unknown risk points', async () => {
		for (const payload of ['3', null, { riskPointId: workshop.riskPointIds[0], likelihood: '3', consequence: 3 }, { likelihood: 1, consequence: 1 }]) {
			const ack = await leavesDataAlone(() => member.socket.emitWithAck('rate', payload as never));
			expect(ack).toMatchObject({ ok: false, code: 'error.invalidInput' });
		}
		const unknown = await leavesDataAlone(() => member.socket.emitWithAck('rate', { riskPointId: 'nope', likelihood: 1, consequence: 1 }));
		expect(unknown).toMatchObject({ ok: false, code: 'error.rate.unknownPoint' });
	});

	it('refuses ratings before the workshop opens and after it closes', async () => {
		const draft = await createWorkshop(server.url, ['A'], { open: false, anonymous: false });
		const early = await joinAsMember(server.url, draft.joinCode);
		const before = await early.socket.emitWithAck('rate', { riskPointId: draft.riskPointIds[0]!, likelihood: 1, consequence: 1 });
		expect(before).toMatchObject({ ok: false, code: 'error.rate.notOpen' });
		await call(server.url, `/api/workshops/${draft.id}`, { method: 'PATCH', key: draft.facilitatorKey, json: { status: 'open' } });
		expect(await early.socket.emitWithAck('rate', { riskPointId: draft.riskPointIds[0]!, likelihood: 1, consequence: 1 })).toMatchObject({ ok: true });
		await call(server.url, `/api/workshops/${draft.id}`, { method: 'PATCH', key: draft.facilitatorKey, json: { status: 'closed' } });
		const after = await early.socket.emitWithAck('rate', { riskPointId: draft.riskPointIds[0]!, likelihood: 5, consequence: 5 });
		expect(after).toMatchObject({ ok: false, code: 'error.rate.closed' });
		const results = await call(server.url, `/api/workshops/${draft.id}/results`, { key: draft.facilitatorKey });
		expect(results.body.riskPoints[0].score).toBe(1);
		early.socket.close();
	});
});

describe('risk-point uploads', () => {
	const listOf = async () => (await call(server.url, path('/risk-points'), { key: workshop.facilitatorKey })).body.riskPoints;

	it('names the line of a broken CSV and keeps the previous list', async () => {
		const before = await listOf();
		const csv = 'code;text\nK1;"fine"\nK2;"never closed\nK3;more';
		const response = await leavesDataAlone(() =>
			call(server.url, path('/risk-points'), { method: 'PUT', key: workshop.facilitatorKey, type: 'text/csv', body: csv })
		);
		expect(response.status).toBe(400);
		expect(response.body.error).toMatch(/^Line 3: a field that starts with a quote is never closed/);
		expect(await listOf()).toEqual(before);
	});

	it('refuses an upload over 1 MB with 413 and keeps the previous list', async () => {
		const before = await listOf();
		const big = 'text\n' + 'x'.repeat(400) + '\n'.repeat(1).repeat(1);
		const body = big.repeat(Math.ceil((1.5 * 1024 * 1024) / big.length));
		const response = await leavesDataAlone(() =>
			call(server.url, path('/risk-points'), { method: 'PUT', key: workshop.facilitatorKey, type: 'text/csv', body })
		);
		expect(response.status).toBe(413);
		expect(response.body.error).toMatch(/the limit is 1048576 bytes/);
		expect(await listOf()).toEqual(before);
	});

	it('refuses invalid JSON, an unknown content type, and too many or too long points', async () => {
		const put = (body: string, type: string) =>
			leavesDataAlone(() => call(server.url, path('/risk-points'), { method: 'PUT', key: workshop.facilitatorKey, type, body }));
		expect((await put('{"riskPoints": [', 'application/json')).body.error).toBe('The content is not valid JSON.');
		expect((await put('x', 'application/xml')).status).toBe(415);
		const tooMany = await put(Array.from({ length: 301 }, (_, i) => `P${i}`).join('\n'), 'text/plain');
		expect(tooMany.body.error).toMatch(/301 risk points; a workshop takes at most 300/);
		const tooLong = await put(JSON.stringify({ riskPoints: [{ text: 'ok' }, { text: 'y'.repeat(501) }] }), 'application/json');
		expect(tooLong.body.error).toBe('Point 2: the text has 501 characters. Shorten it to at most 500.');
	});

	it('refuses to replace the list once ratings exist (409)', async () => {
		await member.socket.emitWithAck('rate', { riskPointId: workshop.riskPointIds[1]!, likelihood: 2, consequence: 2 });
		const response = await leavesDataAlone(() =>
			call(server.url, path('/risk-points'), { method: 'PUT', key: workshop.facilitatorKey, type: 'text/plain', body: 'New' })
		);
		expect(response.status).toBe(409);
		expect(response.body.error).toMatch(/cannot be replaced once rating has started/);
	});
});

describe('other requests', () => {
	it('refuses a workshop without a title and a PATCH with unknown values', async () => {
		const untitled = await call(server.url, '/api/workshops', { method: 'POST', json: { title: '  ' } });
		expect(untitled.status).toBe(400);
		expect(untitled.body.error).toMatch(/^Invalid data: title/);
		const patch = await leavesDataAlone(() =>
			call(server.url, path(), { method: 'PATCH', key: workshop.facilitatorKey, json: { status: 'paused' } })
		);
		expect(patch.status).toBe(400);
		expect(patch.body.error).toMatch(/^Invalid data: status/);
	});

	it('refuses an unknown CSV delimiter', async () => {
		const response = await call(server.url, path('/export.csv?delimiter=tab'), { key: workshop.facilitatorKey });
		expect(response.status).toBe(400);
		expect(response.body.error).toMatch(/Use delimiter=semicolon or delimiter=comma/);
	});
});
