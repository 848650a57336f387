import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { UserError } from '../../domain/errors';
import type { MemberWorkshopView } from '../../protocol';
import { memberAuthSchema, rateSchema, describeZodError } from '../../protocol';
import { getRuntime } from '../runtime';
import { memberView } from '../workshops/views';
import type { LiveWorkshop } from '../workshops/live-workshop';
import { clientAddressOf } from './api';
import { hashSecret } from '../workshops/secrets';
import { LIMITS, MEMBER_PAGE, levelFromRadio, typeAnswerFromRadio, typeRadioName } from '../../protocol-values';

/**
 * The member's page served whole from the server: a member who joined (by the form, before any
 * script has run, or over the socket) has their token in a cookie on the join page's path, so the
 * page comes with their rating screen already in it. A phone on a slow line can read and tap it
 * before the scripts have arrived; the taps are picked up when they have (docs/scaling.md).
 */
export const MEMBER_COOKIE = MEMBER_PAGE.cookie;

export interface ServedMember {
	participantToken: string;
	name: string;
	view: MemberWorkshopView;
}

function cookieOptions(event: RequestEvent) {
	return { path: event.url.pathname, httpOnly: false, sameSite: 'lax' as const, secure: event.url.protocol === 'https:', maxAge: MEMBER_PAGE.cookieMaxAgeSeconds };
}

export function forgetMember(event: RequestEvent): void {
	event.cookies.delete(MEMBER_COOKIE, { path: event.url.pathname });
}

function tokenOf(cookies: Cookies): string | undefined {
	const token = cookies.get(MEMBER_COOKIE);
	return token && token.length <= 100 ? token : undefined;
}

/**
 * The member a token is in this workshop, or null (unknown, or removed by the facilitator). A
 * plain look-up: no new member, no guessing or joining limits spent on a stale cookie.
 */
function memberOf(workshop: LiveWorkshop, token: string): { id: string; name: string; removed: boolean } | null {
	const known = workshop.participantByTokenHash(hashSecret(token));
	return known ? { id: known.id, name: known.name, removed: workshop.isRemoved(known.id) } : null;
}

/**
 * The member this browser is in the workshop, from the cookie, with their view; null when the
 * cookie is missing or no longer good (a removed member, a deleted workshop): the cookie is then
 * dropped and the join form shown.
 */
export async function servedMember(event: RequestEvent, workshop: LiveWorkshop): Promise<ServedMember | null> {
	const token = tokenOf(event.cookies);
	if (!token) return null;
	const member = memberOf(workshop, token);
	if (!member || member.removed) {
		forgetMember(event);
		return null;
	}
	// the page carries the member's token: for this browser only, never kept by a cache on the way
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return { participantToken: token, name: member.name, view: memberView(workshop, member.id) };
}

/**
 * The join form sent without script (a tap before the page's script has arrived): the member is
 * made and stored at once, since the answer to this request carries the token.
 */
export async function joinByForm(event: RequestEvent, workshop: LiveWorkshop): Promise<void> {
	const form = await event.request.formData().catch(() => {
		throw new UserError('error.invalidInput', { detail: 'form' });
	});
	const typed = form.get('name');
	const parsed = memberAuthSchema.safeParse({ joinCode: workshop.settings.joinCode, name: typeof typed === 'string' ? typed : '' });
	if (!parsed.success) throw new UserError('error.join.nameTooLong', { max: LIMITS.name });
	const { service } = await getRuntime();
	const name = parsed.data.name?.trim() || undefined;
	const joined = await service.join(workshop.settings.joinCode, tokenOf(event.cookies), name, clientAddressOf(event));
	if (joined.pending) await service.confirmMember(joined.workshop, joined.pending);
	event.cookies.set(MEMBER_COOKIE, joined.participantToken, cookieOptions(event));
}

/** A rating's level from the page's radio buttons: a level, "don't know" (null), or missing. */
function levelFrom(value: FormDataEntryValue | null): number | null | undefined {
	return typeof value === 'string' ? levelFromRadio(value) : undefined;
}

/**
 * A rating sent as a form (the page's script had not run, or never arrived): the same checks and
 * the same store as over the socket. Returns the point rated.
 */
export async function rateByForm(event: RequestEvent, workshop: LiveWorkshop): Promise<string> {
	const token = tokenOf(event.cookies);
	if (!token) throw new UserError('error.member.notJoined', {}, 403);
	const form = await event.request.formData().catch(() => {
		throw new UserError('error.invalidInput', { detail: 'form' });
	});
	const riskPointId = String(form.get('point') ?? '');
	const likelihood = levelFrom(form.get(`likelihood-${riskPointId}`));
	const byType = workshop.settings.consequenceTypes;
	// by consequence type: a radio group per type, each a level, "don't know" or "not relevant"
	const types = byType?.types.map((_, index) => {
		const value = form.get(typeRadioName(index, riskPointId));
		return typeof value === 'string' ? typeAnswerFromRadio(value) : undefined;
	});
	const consequence = byType ? null : levelFrom(form.get(`consequence-${riskPointId}`));
	if (types && (likelihood === undefined || types.some((value) => value === undefined))) throw new UserError('error.rate.answerAllTypes', {}, 400);
	if (likelihood === undefined || consequence === undefined) throw new UserError('error.rate.answerBoth', {}, 400);
	const knowledge = form.get(`knowledge-${riskPointId}`);
	const parsed = rateSchema.safeParse({ riskPointId, likelihood, consequence, ...(types ? { types } : {}), ...(typeof knowledge === 'string' ? { knowledge } : {}) });
	if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
	const member = memberOf(workshop, token);
	if (!member || member.removed) {
		forgetMember(event);
		throw new UserError(member ? 'error.member.removed' : 'error.member.notJoined', {}, 403);
	}
	const { service } = await getRuntime();
	await service.rate(workshop, member.id, parsed.data);
	return riskPointId;
}
