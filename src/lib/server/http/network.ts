import { networkInterfaces } from 'node:os';

/** True for addresses of this machine only (a browser on it reaching it as localhost). */
export function isLoopback(address: string): boolean {
	return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1' || address === 'localhost';
}

/** True when the server listens on this machine's own address only (HOST=127.0.0.1): nobody else can reach it. */
export function listensLocallyOnly(host = process.env.HOST): boolean {
	return host !== undefined && isLoopback(host.trim());
}

/**
 * Addresses members on the same network can reach this server at: ORIGIN when set (unless it is
 * this machine's own, 127.0.0.1 or localhost), else each IPv4 address of the machine's network
 * cards (not loopback) with the port the facilitator used. None when the server listens locally only.
 */
export function reachableOrigins(port: string, protocol: string, origin = process.env.ORIGIN, host = process.env.HOST): string[] {
	if (listensLocallyOnly(host)) return [];
	if (origin && !isLoopback(new URL(origin).hostname.replace(/^\[|\]$/g, ''))) return [origin.replace(/\/$/, '')];
	const origins: string[] = [];
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) {
			if (address.family === 'IPv4' && !address.internal) origins.push(`${protocol}//${address.address}${port ? `:${port}` : ''}`);
		}
	}
	return origins;
}
