/**
 * Issue 23, items 2 and 3: nothing but the guarded join tells a real join code from a made-up one,
 * and the language switch redirects only to a path of this site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createWorkshop } from '../helpers/clients';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

/** The join page for a code, as a browser from Norway without a language cookie gets it. */
const joinPage = async (code: string) => {
	const response = await fetch(`${server.url}/join/${code}`, { headers: { 'accept-language': 'nb-NO,nb;q=0.9' } });
	// each page has its own CSP nonce
	return { status: response.status, html: (await response.text()).replaceAll(code, 'CODE').replace(/nonce="[^"]*"/g, 'nonce') };
};
const langOf = (html: string) => /<html lang="([^"]*)"/.exec(html)?.[1];

describe('the join page for a code', () => {
	it('answers a blocked address the same for a real code as for a made-up one (no oracle past the guard)', async () => {
		const workshop = await createWorkshop(server.url, ['A'], { language: 'en' });
		// spend this address's allowance of unknown codes: the guarded join now answers 429
		for (let i = 0; i < 12; i++) await call(server.url, `/api/join/ZZZZZ${'23456789AB'[i % 10]}`);
		expect((await call(server.url, `/api/join/${workshop.joinCode}`)).status).toBe(429);
		const real = await joinPage(workshop.joinCode);
		const fake = await joinPage('ZZZZZ3');
		expect(langOf(real.html)).toBe('nb');
		expect(langOf(fake.html)).toBe('nb');
		expect(real.status).toBe(fake.status);
		expect(real.html).toBe(fake.html);
	});
});

describe('the language switch', () => {
	it.each(['//evil.example/x', '/\\evil.example/x', '///evil.example/x'])('redirects %s only to a path of this site', async (path) => {
		const response = await fetch(`${server.url}${path}?lang=en`, { redirect: 'manual' });
		expect(response.status).toBe(303);
		const location = response.headers.get('location') ?? '';
		expect(new URL(location, server.url).origin).toBe(server.url);
		expect(location).toMatch(/^\/(?![\\/])/);
	});

	it('keeps the path and the rest of the query of a page of this site', async () => {
		const response = await fetch(`${server.url}/assessments?x=1&lang=nn`, { redirect: 'manual' });
		expect(response.headers.get('location')).toBe('/assessments?x=1');
		expect(response.headers.get('set-cookie')).toContain('lang=nn');
	});
});
