import { UserError } from '../../domain/errors';
import { BucketsByKey, TokenBucket } from './rate-limit';
import { LIMITS } from './limits';

/**
 * Join codes are short (6 characters from 31), so guessing must be slow. Each address may get a
 * handful of unknown codes a minute; beyond that it is blocked for a minute. All addresses
 * together share a budget of unknown codes too: once it is spent, a single unknown code blocks its
 * address, so spreading guesses over many addresses gains little. A member who comes back with
 * a valid token is never stopped by any of this (see WorkshopService.join).
 */
export const JOIN_LIMITS = {
	/** unknown codes per address: a burst, then one every 6 s */
	failuresBurst: 10,
	failuresPerSecond: 1 / 6,
	/** unknown codes from all addresses together: a burst, then two a second */
	globalFailuresBurst: 200,
	globalFailuresPerSecond: 2,
	/** how long an address that guessed too much is blocked */
	blockMs: 60_000,
	/** new members per workshop */
	joinsBurst: 2000,
	joinsPerSecond: 200
} as const;

export class JoinGuard {
	#failures = new BucketsByKey(JOIN_LIMITS.failuresPerSecond, JOIN_LIMITS.failuresBurst);
	#global = new TokenBucket(JOIN_LIMITS.globalFailuresPerSecond, JOIN_LIMITS.globalFailuresBurst);
	#blockedUntil = new Map<string, number>();
	#joins = new BucketsByKey(JOIN_LIMITS.joinsPerSecond, JOIN_LIMITS.joinsBurst);
	#newMembers = new BucketsByKey(LIMITS.newMembersPerMinute / 60, LIMITS.newMembersBurst);

	/** Throws 429 when this address has guessed too many codes lately. */
	checkAddress(address: string, now = Date.now()): void {
		const until = this.#blockedUntil.get(address);
		if (until === undefined) return;
		if (until > now) throw new UserError('error.join.tooMany', { seconds: Math.ceil((until - now) / 1000) }, 429);
		this.#blockedUntil.delete(address);
	}

	/** Counts an unknown code from an address; blocks it when its allowance, or everyone's, is used up. */
	recordFailure(address: string, now = Date.now()): void {
		const everyone = this.#global.take(now);
		const own = this.#failures.take(address, now);
		if (!own || !everyone) this.#blockedUntil.set(address, now + JOIN_LIMITS.blockMs);
		if (this.#blockedUntil.size > 100_000) {
			for (const [blocked, until] of this.#blockedUntil) if (until <= now) this.#blockedUntil.delete(blocked);
		}
	}

	/**
	 * Throws 429 when a new member would come faster than any real panel joins (per workshop, and
	 * per address), or 409 when the workshop is full.
	 */
	checkNewMember(workshopId: string, members: number, address: string, now = Date.now()): void {
		if (members >= LIMITS.membersPerWorkshop) {
			throw new UserError('error.join.workshopFull', { limit: LIMITS.membersPerWorkshop }, 409);
		}
		if (!this.#newMembers.take(address, now)) throw new UserError('error.join.tooManyMembers', {}, 429);
		if (!this.#joins.take(workshopId, now)) throw new UserError('error.join.workshopBusy', {}, 429);
	}
}
