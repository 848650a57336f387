import { createHash, createHmac, randomFillSync, randomInt, timingSafeEqual } from 'node:crypto';
import { makeJoinCode } from '../../domain/join-code';

/**
 * Random bytes from the system's CSPRNG, drawn 8 KB at a time: a member's join takes an id and a
 * token, and one call to the generator per value cost about 28 µs each under load (10,000 joins:
 * 0.28 s of one core, bench:load --profile). Every byte is handed out once.
 */
const POOL = Buffer.alloc(8192);
let used = POOL.length;
function random(bytes: number): Buffer {
	if (bytes > POOL.length) return randomFillSync(Buffer.alloc(bytes));
	if (used + bytes > POOL.length) {
		randomFillSync(POOL);
		used = 0;
	}
	const taken = Buffer.from(POOL.subarray(used, used + bytes));
	// nothing handed out stays in the pool to be read again
	POOL.fill(0, used, used + bytes);
	used += bytes;
	return taken;
}

/** A URL-safe random id; `bytes` of entropy. */
export function randomId(bytes = 9): string {
	return random(bytes).toString('base64url');
}

/** A long random secret (facilitator key, member token): 256 bits. */
export function newSecret(): string {
	return random(32).toString('base64url');
}

/** A secret derived from another one for a purpose (HMAC-SHA256): the same every time, useless without the first. */
export function deriveSecret(secret: string, purpose: string): string {
	return createHmac('sha256', secret).update(purpose, 'utf8').digest('base64url');
}

/** Secrets are stored only as SHA-256 hashes: a stolen data file does not give access. */
export function hashSecret(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time check of a presented secret against a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
	const presented = Buffer.from(hashSecret(secret), 'hex');
	const stored = Buffer.from(storedHash, 'hex');
	return presented.length === stored.length && timingSafeEqual(presented, stored);
}

export function newJoinCode(): string {
	return makeJoinCode((n) => randomInt(n));
}
