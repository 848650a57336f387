/**
 * Logs a message at most once a minute per key, with a count of what was left out: a flood of the
 * same failure (malformed URLs, a broken client) writes a line a minute, not a line each.
 */
const lastLogged = new Map<string, { at: number; skipped: number }>();
const MINUTE = 60_000;

export function logOnce(key: string, ...message: unknown[]): void {
	const now = Date.now();
	const seen = lastLogged.get(key);
	if (seen && now - seen.at < MINUTE) {
		seen.skipped++;
		return;
	}
	if (lastLogged.size > 1000) lastLogged.clear();
	lastLogged.set(key, { at: now, skipped: 0 });
	const skipped = seen?.skipped ? ` (${seen.skipped} more like it in the last minute)` : '';
	console.error(...message, ...(skipped ? [skipped] : []));
}
