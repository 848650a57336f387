import type { IncomingHttpHeaders } from 'node:http';

/**
 * The client address of a socket.io handshake, read as adapter-node reads it for HTTP: from
 * ADDRESS_HEADER when set (behind a proxy every connection comes from the proxy), taking the
 * XFF_DEPTH-th address from the right of X-Forwarded-For. Without the header, the peer address.
 */
export function clientAddress(handshake: { headers: IncomingHttpHeaders; address: string }, env = process.env): string {
	const header = env.ADDRESS_HEADER?.toLowerCase();
	if (!header) return handshake.address;
	const raw = handshake.headers[header];
	const value = Array.isArray(raw) ? raw.join(',') : raw;
	if (!value) return handshake.address;
	if (header !== 'x-forwarded-for') return value.trim();
	const addresses = value.split(',').map((part) => part.trim()).filter(Boolean);
	const depth = Math.max(1, Number(env.XFF_DEPTH ?? 1) || 1);
	return addresses[addresses.length - depth] ?? addresses[0] ?? handshake.address;
}
