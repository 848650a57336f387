/**
 * Calls `run` at most once per `interval` ms per key: the first call runs at once, calls during
 * the interval are folded into one trailing run. Keeps a burst of ratings from flooding a client.
 */
export class KeyedThrottle {
	readonly #interval: number;
	readonly #run: (key: string) => void;
	readonly #lastRun = new Map<string, number>();
	readonly #pending = new Map<string, ReturnType<typeof setTimeout>>();

	constructor(interval: number, run: (key: string) => void) {
		this.#interval = interval;
		this.#run = run;
	}

	schedule(key: string): void {
		if (this.#pending.has(key)) return;
		const wait = (this.#lastRun.get(key) ?? -Infinity) + this.#interval - Date.now();
		if (wait <= 0) {
			this.#fire(key);
			return;
		}
		this.#pending.set(key, setTimeout(() => this.#fire(key), wait));
	}

	#fire(key: string): void {
		this.#pending.delete(key);
		this.#lastRun.set(key, Date.now());
		try {
			this.#run(key);
		} catch (error) {
			// e.g. the workshop was deleted while an update was pending: nothing to send
			if ((error as { status?: number }).status !== 404) console.error(error);
			this.#lastRun.delete(key);
		}
	}
}
