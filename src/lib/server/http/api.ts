import type { RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { UserError } from '../../domain/errors';
import { RISK_POINT_LIMITS } from '../../domain/risk-points';
import { languageFromHeader, translate } from '../../i18n/translate';
import type { Language } from '../../domain/types';
import { describeZodError } from '../../protocol';
import { getRuntime, type Runtime } from '../runtime';
import type { AssessmentFile } from '../workshops/assessment-service';
import type { Weighting } from '../../domain/combined';
import type { LiveWorkshop } from '../workshops/live-workshop';
import type { WorkshopService } from '../workshops/workshop-service';
import { LIMITS } from '../guards/limits';
import { logOnce } from '../log';

/** The language of API error messages: what the client asks for, else English. */
function apiLanguage(request: Request): Language {
	return languageFromHeader(request.headers.get('accept-language')) ?? 'en';
}

/** `{ "error": "<what to fix>", "code" }` with the error's status. */
export function errorResponse(error: unknown, request: Request): Response {
	if (error instanceof UserError) {
		return Response.json(
			{ error: translate(apiLanguage(request), error.key, error.params), code: error.key },
			{ status: error.status }
		);
	}
	logOnce(`api:${(error as Error)?.message ?? String(error)}`, 'An API request failed:', error);
	return Response.json({ error: translate(apiLanguage(request), 'error.internal'), code: 'error.internal' }, { status: 500 });
}

/** Runs a route body with the workshop service; any thrown error becomes a JSON error response. */
export function api(
	run: (event: RequestEvent, service: WorkshopService) => Promise<Response>
): (event: RequestEvent) => Promise<Response> {
	return runtimeApi((event, runtime) => run(event, runtime.service));
}

/**
 * The client's address (ADDRESS_HEADER behind a proxy). A request without the configured header
 * did not come through the proxy; such requests share one address rather than fail.
 */
export function clientAddressOf(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'no-address-header';
	}
}

/** The bearer key of a request, or null. */
export function bearerKey(request: Request): string | null {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
	return match?.[1] ?? null;
}

/** The workshop of a facilitator endpoint: 404 unknown, 401 without a key, 403 with a wrong one. */
export function facilitatorWorkshop(event: RequestEvent, service: WorkshopService): Promise<LiveWorkshop> {
	return service.authenticate(event.params.id ?? '', bearerKey(event.request));
}

/**
 * The request body as bytes, read as a stream and refused with 413 as soon as it passes the
 * limit, whether or not it said its length (a chunked upload has none). The rest is read and
 * dropped up to a point, so the client sees the answer rather than a reset connection.
 */
export async function readBody(request: Request, limit = RISK_POINT_LIMITS.upload): Promise<Uint8Array> {
	if (!request.body) return new Uint8Array(0);
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > limit) {
				await drain(reader);
				throw new UserError('error.tooLargeUnknown', { limit }, 413);
			}
			chunks.push(value);
		}
	} catch (error) {
		if (error instanceof UserError) throw error;
		// the server's own body limit (BODY_SIZE_LIMIT) ended the stream
		if ((error as { status?: number }).status === 413) throw new UserError('error.tooLargeUnknown', { limit }, 413);
		throw error;
	}
	const bytes = new Uint8Array(size);
	let at = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, at);
		at += chunk.byteLength;
	}
	return bytes;
}

/**
 * Reads and drops the rest of a body (nothing is kept), so the client, still sending, gets the
 * answer; the server's own BODY_SIZE_LIMIT (src/server.ts) ends a body that goes on and on.
 */
export async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		for (;;) {
			const { done } = await reader.read();
			if (done) return;
		}
	} catch {
		// the server's own limit ended it: nothing more to read
	}
	await reader.cancel().catch(() => {});
}

/** Parses a JSON body against a schema; 400 naming the first problem. */
export async function readJson<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
	const bytes = await readBody(request);
	let value: unknown;
	try {
		value = JSON.parse(new TextDecoder().decode(bytes));
	} catch {
		throw new UserError('error.invalidJson');
	}
	const parsed = schema.safeParse(value);
	if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
	return parsed.data;
}

/** The media type of a request, lower case, without parameters. */
export function mediaType(request: Request): string {
	return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** `?round=latest|N` of a results or export request: which round each point's numbers come from. */
export function roundChoice(url: URL): 'latest' | number {
	const asked = url.searchParams.get('round');
	if (asked === null || asked === 'latest') return 'latest';
	if (!/^[1-9]\d{0,2}$/.test(asked)) throw new UserError('error.results.round', { round: asked.slice(0, 20) });
	return Number(asked);
}

/** Runs a route body with the whole runtime (workshops and assessments); errors become JSON error responses. */
export function runtimeApi(run: (event: RequestEvent, runtime: Runtime) => Promise<Response>): (event: RequestEvent) => Promise<Response> {
	return async (event) => {
		try {
			return await run(event, await getRuntime());
		} catch (error) {
			return errorResponse(error, event.request);
		}
	};
}

/** The assessment of an owner endpoint: 404 unknown, 401 without a key, 403 with a wrong one. */
export function ownedAssessment(event: RequestEvent, runtime: Runtime): Promise<AssessmentFile> {
	return runtime.assessments.authenticate(event.params.id ?? '', bearerKey(event.request));
}

/**
 * Counts `count` new records (workshops, assessments, templates) made from the request's address;
 * 429 with the minutes to wait when the address has made too many lately (CREATE_BURST, CREATE_PER_HOUR).
 */
export function checkCreation(event: RequestEvent, runtime: Runtime, count = 1): void {
	const address = clientAddressOf(event);
	for (let i = 0; i < count; i++) {
		if (!runtime.creations.take(address)) {
			const minutes = Math.max(1, Math.ceil(60 / Math.max(LIMITS.createPerHour, 1)));
			throw new UserError('error.create.tooMany', { minutes }, 429);
		}
	}
}

/** `?weighting=workshop|member` (default workshop). */
export function weightingOf(url: URL): Weighting {
	const asked = url.searchParams.get('weighting');
	if (asked === null) return 'workshop';
	if (asked === 'workshop' || asked === 'member') return asked;
	throw new UserError('error.assessment.weighting', { weighting: asked.slice(0, 20) });
}
