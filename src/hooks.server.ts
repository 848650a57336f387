import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { RISK_POINT_LIMITS } from '$lib/domain/risk-points';
import { languageFromHeader, translate } from '$lib/i18n/translate';
import { LANGUAGES, type Language } from '$lib/domain/types';
import { getRuntime } from '$lib/server/runtime';
import { SOCKET_SERVER_KEY } from '$lib/server/realtime/socket-options';
import { logOnce } from '$lib/server/log';
import { drain } from '$lib/server/http/api';
import { joinLookup } from '$lib/server/http/join-lookup';
import { MEMBER_COOKIE } from '$lib/server/http/member-page';
import { attachOnce } from '$lib/server/realtime/socket';
import type { Server } from 'socket.io';

const socketServer = () => (globalThis as Record<symbol, unknown>)[SOCKET_SERVER_KEY] as Server | undefined;

/** Loads the store and attaches the socket server left by src/server.ts (or the dev plugin). */
export const init: ServerInit = async () => {
	const runtime = await getRuntime();
	const io = socketServer();
	if (io) attachOnce(io as Parameters<typeof attachOnce>[0], runtime.service, runtime.store.bus);
};

/** What a request is about: a workshop, a join code or an assessment. */
type Target = { workshopId: string } | { joinCode: string } | { assessmentId: string };

/** The workshop, join code or assessment a request is about, from its route. */
function targetOf(event: Parameters<Handle>[0]['event']): Target | null {
	const { id, code } = event.params as { id?: string; code?: string };
	if (id && (event.route.id?.startsWith('/assessments') || event.route.id?.startsWith('/api/assessments'))) return { assessmentId: id };
	if (id) return { workshopId: id };
	if (code) return { joinCode: code };
	return null;
}

const isLanguage = (value: string | undefined): value is Language =>
	(LANGUAGES as readonly string[]).includes(value ?? '');

/** The reader's language: their own choice (cookie), else the workshop's, else the browser's, else nb. */
async function resolveLanguage(event: Parameters<Handle>[0]['event']): Promise<Language> {
	const chosen = event.cookies.get('lang');
	if (isLanguage(chosen)) return chosen;
	const { service, assessments } = await getRuntime();
	const target = targetOf(event);
	try {
		if (target && 'assessmentId' in target) return (await assessments.open(target.assessmentId)).data.assessment.language;
		if (target && 'workshopId' in target) return (await service.open(target.workshopId)).settings.language;
		// a join code only through the guard: a page must not tell a real code from a made-up one past it
		if (target) {
			const { workshop } = await joinLookup(event);
			if (workshop) return workshop.settings.language;
		}
	} catch {
		// unknown workshop: the page itself says so
	}
	return languageFromHeader(event.request.headers.get('accept-language')) ?? 'nb';
}

/**
 * A path that stays on this site: `//host/x` and `/\\host/x` are addresses of another site to a
 * browser, so leading slashes and backslashes collapse to one.
 */
const sameSitePath = (pathname: string) => `/${pathname.replace(/^[/\\]+/, '')}`;

/** Uploads over the limit are refused before their body is read. */
const MAX_BODY = RISK_POINT_LIMITS.upload;

export const handle: Handle = async ({ event, resolve }) => {
	// the language switch before its script has run: a form sends ?lang=…, kept as the reader's choice
	const picked = event.request.method === 'GET' ? event.url.searchParams.get('lang') : null;
	if (picked && !event.url.pathname.startsWith('/api/') && (LANGUAGES as readonly string[]).includes(picked)) {
		const back = new URL(event.url);
		back.searchParams.delete('lang');
		return new Response(null, {
			status: 303,
			headers: { location: sameSitePath(back.pathname) + back.search, 'set-cookie': `lang=${picked}; Path=/; Max-Age=31536000; SameSite=Lax` }
		});
	}
	const language = await resolveLanguage(event);
	event.locals.language = language;
	if (event.url.pathname.startsWith('/api/')) {
		const length = Number(event.request.headers.get('content-length') ?? 0);
		if (length > MAX_BODY) {
			// read (and drop) the body before answering, or the client sees a reset connection instead of the answer
			if (event.request.body) await drain(event.request.body.getReader());
			const apiLanguage = languageFromHeader(event.request.headers.get('accept-language')) ?? 'en';
			return Response.json(
				{ error: translate(apiLanguage, 'error.tooLarge', { size: length, limit: MAX_BODY }), code: 'error.tooLarge' },
				{ status: 413 }
			);
		}
	}
	// The join screen of a member not yet in: its form works without script, and a tap on Start
	// should not queue behind 70 KB of script on a slow line. Its scripts load when the page asks
	// for them, not preloaded; the rating screen that follows preloads them as usual.
	const joinScreen = event.route.id === '/join/[code]' && event.request.method === 'GET' && !event.cookies.get(MEMBER_COOKIE);
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', language),
		...(joinScreen ? { preload: ({ type }: { type: string }) => type !== 'js' } : {})
	});
	response.headers.set('x-content-type-options', 'nosniff');
	// never a Referer to another site; within our own, the browser then sends an Origin with a
	// form (a join before the page's script has run), which SvelteKit's CSRF check asks for
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-frame-options', 'DENY');
	response.headers.set('cross-origin-opener-policy', 'same-origin');
	response.headers.set('cross-origin-resource-policy', 'same-origin');
	response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
	if (event.url.protocol === 'https:') response.headers.set('strict-transport-security', 'max-age=31536000');
	// API answers and the pages that carry keys are never cached by the browser or a proxy
	if (event.url.pathname.startsWith('/api/')) response.headers.set('cache-control', 'no-store');
	if (event.url.pathname.startsWith('/api/') && !response.headers.has('content-security-policy')) {
		response.headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
	}
	return response;
};

export const handleError: HandleServerError = ({ error, status, event, message }) => {
	// a bad request (a malformed URL) is the client's: one line, at most once a minute per kind
	if (status >= 400 && status < 500) {
		if (status !== 404) logOnce(`client:${status}:${message}`, `${status} ${message}: ${event.request.method} ${event.url.pathname.slice(0, 120)}`);
	} else logOnce(`server:${(error as Error)?.message ?? String(error)}`, error);
	const language = event.locals.language ?? 'nb';
	const key = status === 404 ? 'error.pageNotFound' : status >= 400 && status < 500 ? 'error.badAddress' : 'error.internal';
	return { message: translate(language, key) };
};
