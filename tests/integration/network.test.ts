/**
 * Opened at localhost (issue 14, item 15): the facilitator's browser asks where members can reach
 * the server; only a browser on the machine itself is told the machine's addresses.
 */
import { networkInterfaces } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

const servers: RunningServer[] = [];
afterAll(async () => {
	for (const server of servers) await server.stop();
});
const start = async (env: Record<string, string> = {}) => {
	const server = await startServer({ env });
	servers.push(server);
	return server;
};

describe('where members can reach the server', () => {
	it('is the machine’s network addresses with the port, for a browser on the machine only', async () => {
		// listening on every interface (the tests' servers otherwise listen on 127.0.0.1 only)
		const server = await start({ ADDRESS_HEADER: 'x-forwarded-for', HOST: '0.0.0.0' });
		const port = new URL(server.url).port;
		const expected = Object.values(networkInterfaces())
			.flatMap((addresses) => addresses ?? [])
			.filter((address) => address.family === 'IPv4' && !address.internal)
			.map((address) => `http://${address.address}:${port}`);
		const local = await call(server.url, '/api/network', { headers: { 'x-forwarded-for': '127.0.0.1' } });
		expect(local.status).toBe(200);
		expect(local.body.origins).toEqual(expected);
		// someone elsewhere learns nothing of the machine's addresses
		const remote = await call(server.url, '/api/network', { headers: { 'x-forwarded-for': '203.0.113.9' } });
		expect(remote.body.origins).toEqual([]);
	});

	it('is ORIGIN when it is set', async () => {
		const server = await start({ ORIGIN: 'https://risiko.example.no/', HOST: '0.0.0.0' });
		const answer = await call(server.url, '/api/network');
		expect(answer.body.origins).toEqual(['https://risiko.example.no']);
	});

	it('is none, and says why, when the server listens on this machine only (HOST=127.0.0.1)', async () => {
		const server = await start({ ORIGIN: 'http://127.0.0.1:3000' });
		const answer = await call(server.url, '/api/network');
		expect(answer.body).toEqual({ origins: [], localOnly: true });
	});
});
