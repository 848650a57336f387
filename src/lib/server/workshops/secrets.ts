import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { makeJoinCode } from '../../domain/join-code';

/** A URL-safe random id; `bytes` of entropy. */
export function randomId(bytes = 9): string {
	return randomBytes(bytes).toString('base64url');
}

/** A long random secret (facilitator key, member token): 256 bits. */
export function newSecret(): string {
	return randomBytes(32).toString('base64url');
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
