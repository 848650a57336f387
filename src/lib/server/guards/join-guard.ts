import { UserError } from '../../domain/errors';
import { TokenBucket } from './rate-limit';

/**
 * Join codes are short (6 characters from 31), so guessing must be slow: each address may get a
 * handful of unknown codes a minute, and each workshop takes only so many new members a second
 * (bursts large enough for a conference hall). Buckets of addresses that have been quiet are
 * dropped, so the map stays small.
 */
export const JOIN_LIMITS = {
	/** unknown codes per address: a burst, then one every 6 s */
	failuresBurst: 10,
	failuresPerSecond: 1 / 6,
	/** new members per workshop */
	joinsBurst: 2000,
	joinsPerSecond: 200
} as const;

export class JoinGuard {
	#failures = new Map<string, TokenBucket>();
	#joins = new Map<string, TokenBucket>();
	#blockedUntil = new Map<string, number>();

	/** Throws 429 when this address has guessed too many codes lately. */
	checkAddress(address: string, now = Date.now()): void {
		const until = this.#blockedUntil.get(address);
		if (until !== undefined && until > now) {
			throw new UserError('error.join.tooMany', { seconds: Math.ceil((until - now) / 1000) }, 429);
		}
	}

	/** Counts an unknown code from an address; blocks it when its allowance is used up. */
	recordFailure(address: string, now = Date.now()): void {
		let bucket = this.#failures.get(address);
		if (!bucket) this.#failures.set(address, (bucket = new TokenBucket(JOIN_LIMITS.failuresPerSecond, JOIN_LIMITS.failuresBurst, now)));
		if (!bucket.take(now)) this.#blockedUntil.set(address, now + 60_000);
		if (this.#failures.size > 10_000) this.#failures.clear();
	}

	/** Throws 429 when a workshop gets new members faster than any real panel joins. */
	checkWorkshop(workshopId: string, now = Date.now()): void {
		let bucket = this.#joins.get(workshopId);
		if (!bucket) this.#joins.set(workshopId, (bucket = new TokenBucket(JOIN_LIMITS.joinsPerSecond, JOIN_LIMITS.joinsBurst, now)));
		if (!bucket.take(now)) throw new UserError('error.join.workshopBusy', {}, 429);
	}
}
