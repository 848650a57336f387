/** Ids and secrets from the pooled generator (src/lib/server/workshops/secrets.ts): the right size, URL-safe, never repeated, across pool refills. */
import { describe, expect, it } from 'vitest';
import { hashSecret, newSecret, randomId, secretMatches } from '../../src/lib/server/workshops/secrets';

describe('ids and secrets', () => {
	it('are URL-safe, of their size, and all different over many pool refills', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 20_000; i++) {
			const id = randomId();
			const secret = newSecret();
			expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
			expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
			seen.add(id);
			seen.add(secret);
		}
		expect(seen.size).toBe(40_000);
		expect(randomId(9000)).toHaveLength(12_000);
	});

	it('are checked against their stored hash only', () => {
		const secret = newSecret();
		expect(secretMatches(secret, hashSecret(secret))).toBe(true);
		expect(secretMatches(newSecret(), hashSecret(secret))).toBe(false);
	});
});
