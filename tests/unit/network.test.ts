import { describe, expect, it } from 'vitest';
import { reachableOrigins } from '../../src/lib/server/http/network';

describe('the addresses a facilitator at localhost is offered', () => {
	it('never offers this machine’s own address (127.0.0.1, localhost) as the one members can reach', () => {
		for (const origin of ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']) {
			for (const offered of reachableOrigins('3000', 'http:', origin, undefined)) expect(offered).not.toMatch(/127\.|localhost|\[::1\]/);
		}
	});

	it('offers ORIGIN when it is a public address', () => {
		expect(reachableOrigins('3000', 'http:', 'https://risiko.example.no/', undefined)).toEqual(['https://risiko.example.no']);
	});

	it('offers nothing when the server listens on this machine only', () => {
		expect(reachableOrigins('3000', 'http:', undefined, '127.0.0.1')).toEqual([]);
	});
});
