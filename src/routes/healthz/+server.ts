import type { RequestHandler } from './$types';

/** Liveness for a load balancer or orchestrator: the process answers. */
export const GET: RequestHandler = () => new Response('ok\n', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
