/**
 * A token bucket: `burst` messages at once, refilled at `perSecond`. take() says whether one more
 * message may pass now. O(1) per call, no timers.
 */
export class TokenBucket {
	readonly #perSecond: number;
	readonly #burst: number;
	#tokens: number;
	#at: number;

	constructor(perSecond: number, burst: number, now = Date.now()) {
		this.#perSecond = perSecond;
		this.#burst = burst;
		this.#tokens = burst;
		this.#at = now;
	}

	take(now = Date.now()): boolean {
		this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#perSecond);
		this.#at = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}

/** Limits of one member connection: what a person tapping a phone never reaches. */
export const SOCKET_LIMITS = {
	/** ratings per second, sustained, and the burst allowed (a reconnect resends pending ratings) */
	perSecond: 20,
	burst: 60,
	/** refused or malformed messages in a row before the connection is closed */
	strikes: 50
} as const;
