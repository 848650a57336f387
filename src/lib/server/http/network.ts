import { networkInterfaces } from 'node:os';

/** True for addresses of this machine only (a browser on it reaching it as localhost). */
export function isLoopback(address: string): boolean {
	return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1' || address === 'localhost';
}

/**
 * Addresses members on the same network can reach this server at: ORIGIN when set, else each
 * IPv4 address of the machine's network cards (not loopback) with the port the facilitator used.
 */
export function reachableOrigins(port: string, protocol: string, origin = process.env.ORIGIN): string[] {
	if (origin) return [origin.replace(/\/$/, '')];
	const origins: string[] = [];
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) {
			if (address.family === 'IPv4' && !address.internal) origins.push(`${protocol}//${address.address}${port ? `:${port}` : ''}`);
		}
	}
	return origins;
}
