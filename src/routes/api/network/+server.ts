import { clientAddressOf } from '$lib/server/http/api';
import { isLoopback, listensLocallyOnly, reachableOrigins } from '$lib/server/http/network';
import type { RequestHandler } from './$types';

/**
 * Where members can reach this server, for a facilitator who opened it at localhost (the QR code
 * would send members to their own phones). Told only to a browser on this machine.
 */
export const GET: RequestHandler = (event) => {
	if (!isLoopback(clientAddressOf(event))) return Response.json({ origins: [], localOnly: false });
	return Response.json({ origins: reachableOrigins(event.url.port, event.url.protocol), localOnly: listensLocallyOnly() });
};
