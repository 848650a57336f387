/**
 * A number from the environment (0 or more), or the default: a value that is not such a number
 * is said once at start, with what is used instead, and the process goes on with the default.
 */
export function setting(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) {
		console.error(`${name}=${raw} is not a number of 0 or more; using ${fallback}.`);
		return fallback;
	}
	return value;
}
