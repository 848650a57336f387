import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Server } from 'socket.io';
import type { Runtime } from '../runtime';

/**
 * Several processes behind one address (REDIS_URL set; docs/scaling.md). Everything that belongs
 * to a workshop or an assessment lives in the process that created it, its owner: an assessment's
 * workshops are created through the assessment, so with it. A request that reaches another process
 * is passed on to the owner, found by asking every process through the socket.io Redis adapter;
 * sockets are forwarded in socket.ts.
 */

/** What a request is about: a workshop, a join code or an assessment. */
export type Target = { workshopId: string } | { joinCode: string } | { assessmentId: string };

export interface OwnerEvents {
	'remote:where': (target: Target, reply: (ownerUrl: string | null) => void) => void;
}

/** Where this process can be reached by the others (set by src/server.ts once it listens). */
export const INTERNAL_URL_KEY = Symbol.for('risikoverksted.internalUrl');
const internalUrl = () => (globalThis as Record<symbol, unknown>)[INTERNAL_URL_KEY] as string | undefined;

/** Marks a request one process passed to another, so it is never passed on again. */
export const FORWARDED_HEADER = 'x-risikoverksted-forwarded';

/** Whether this process holds the target (a workshop or join code needs only the workshops). */
export function holds(runtime: Pick<Runtime, 'service'> & Partial<Pick<Runtime, 'assessments'>>, target: Target): boolean {
	if ('workshopId' in target) return runtime.service.has(target.workshopId);
	if ('assessmentId' in target) return runtime.assessments?.has(target.assessmentId) ?? false;
	return runtime.service.idOfJoinCode(target.joinCode) !== undefined;
}

/**
 * Asks every other process (serverSideEmitWithAck); the first answer that is not null is the
 * owner's. Null when none holds it or they did not all answer in time.
 */
export async function askOthers<A>(ask: () => Promise<(A | null | undefined)[]>): Promise<A | null> {
	try {
		return (await ask()).find((answer) => answer !== null && answer !== undefined) ?? null;
	} catch (error) {
		console.error('The other processes did not answer in time:', (error as Error).message);
		return null;
	}
}

type ClusterServer = Server<Record<string, never>, Record<string, never>, OwnerEvents>;

/** Answers the other processes' "who holds this?" for what this process holds. */
export function answerOwnerQuestions(io: Server, runtime: Runtime): void {
	(io as unknown as ClusterServer).on('remote:where', (target, reply) => reply(holds(runtime, target) ? (internalUrl() ?? null) : null));
}

/** The address of the process that holds the target, or null when none does (or none answered in time). */
export function ownerUrl(io: Server, target: Target): Promise<string | null> {
	return askOthers(() => (io as unknown as ClusterServer).serverSideEmitWithAck('remote:where', target));
}

/** Headers that belong to one connection, not to the request or response passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/**
 * Passes a request on to the owning process and its answer back, unchanged (the Host header too,
 * so the owner sees the same site and its origin checks hold).
 */
export async function forward(request: Request, url: URL, owner: string): Promise<Response> {
	const target = new URL(owner);
	const headers: Record<string, string> = { [FORWARDED_HEADER]: '1' };
	request.headers.forEach((value, name) => {
		if (!HOP_BY_HOP.has(name)) headers[name] = value;
	});
	const body = request.method === 'GET' || request.method === 'HEAD' ? null : Buffer.from(await request.arrayBuffer());
	if (body) headers['content-length'] = String(body.length);
	return new Promise((resolve, reject) => {
		const outgoing = httpRequest(
			{ hostname: target.hostname, port: target.port, method: request.method, path: url.pathname + url.search, headers },
			(answer) => {
				const responseHeaders = new Headers();
				for (const [name, value] of Object.entries(answer.headers as IncomingHttpHeaders)) {
					if (value === undefined || HOP_BY_HOP.has(name)) continue;
					for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
				}
				const status = answer.statusCode ?? 502;
				const empty = request.method === 'HEAD' || [204, 205, 304].includes(status);
				if (empty) answer.resume();
				resolve(new Response(empty ? null : (Readable.toWeb(answer) as ReadableStream), { status, headers: responseHeaders }));
			}
		);
		outgoing.on('error', reject);
		outgoing.end(body ?? undefined);
	});
}
