import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const SHUTTING_DOWN = Symbol.for('risikoverksted.shuttingDown');

/**
 * Readiness for a load balancer: 200 while this process should get new connections (its store
 * takes writes), 503 with the reason otherwise – while shutting down (SIGTERM: finishing its
 * acknowledgements before it exits) or when the store cannot be written (database down, data
 * folder not writable).
 */
export const GET: RequestHandler = async () => {
	const answer = (status: number, body: object) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
	if ((globalThis as Record<symbol, unknown>)[SHUTTING_DOWN]) return answer(503, { ready: false, reason: 'shutting down' });
	try {
		const { store } = await getRuntime();
		await store.ping();
		return answer(200, { ready: true, store: store.location });
	} catch (error) {
		return answer(503, { ready: false, reason: (error as Error).message });
	}
};
