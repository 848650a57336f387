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

	#refill(now: number): void {
		this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#perSecond);
		this.#at = now;
	}

	take(now = Date.now()): boolean {
		this.#refill(now);
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}

	/** True when the bucket has refilled completely: it can be forgotten. */
	isFull(now = Date.now()): boolean {
		this.#refill(now);
		return this.#tokens >= this.#burst;
	}
}

/**
 * A token bucket per key (an address, a workshop). Buckets that have refilled are dropped now and
 * then, so the map holds only keys that were busy lately, however many keys come by.
 */
export class BucketsByKey {
	readonly #perSecond: number;
	readonly #burst: number;
	readonly #buckets = new Map<string, TokenBucket>();
	#takes = 0;

	constructor(perSecond: number, burst: number) {
		this.#perSecond = perSecond;
		this.#burst = burst;
	}

	take(key: string, now = Date.now()): boolean {
		if (++this.#takes % 1000 === 0) this.#prune(now);
		let bucket = this.#buckets.get(key);
		if (!bucket) this.#buckets.set(key, (bucket = new TokenBucket(this.#perSecond, this.#burst, now)));
		return bucket.take(now);
	}

	#prune(now: number): void {
		for (const [key, bucket] of this.#buckets) if (bucket.isFull(now)) this.#buckets.delete(key);
	}

	get size(): number {
		return this.#buckets.size;
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
