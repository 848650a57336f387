import { fail } from '@sveltejs/kit';
import { UserError } from '$lib/domain/errors';
import { joinLookup } from '$lib/server/http/join-lookup';
import { joinByForm, rateByForm, servedMember } from '$lib/server/http/member-page';
import type { Actions, PageServerLoad } from './$types';

/**
 * The public facts a member sees before joining, or null for a code that matches no workshop;
 * for a member who has joined in this browser, also their view (the rating screen in the HTML).
 */
export const load: PageServerLoad = async (event) => {
	const { workshop, error } = await joinLookup(event);
	if (!workshop) return { workshop: null, member: null, point: null, code: event.params.code, problem: error.key === 'error.join.tooMany' ? { seconds: Number(error.params.seconds ?? 60) } : null };
	const { title, topic, language, status, joinCode, anonymous, countsOnly } = workshop.settings;
	const member = await servedMember(event, workshop);
	// ?point=<id>: a member moving between points before the page's script has run
	const point = member ? event.url.searchParams.get('point') : null;
	return { workshop: { title, topic, language, status, joinCode, anonymous, countsOnly }, member, point, code: event.params.code, problem: null };
};

/** A refusal as the page shows it: the reason's message key, with the error's status. */
const refused = (error: UserError) => fail(error.status, { error: { key: error.key, params: error.params } });

export const actions: Actions = {
	/**
	 * The join form sent before the page's script ran (or without script): join, and answer with
	 * the rating screen itself (load() runs next and sees the new cookie). No redirect: on a slow
	 * line it costs a round trip. Sent again (a reload), it resumes the same member by the cookie;
	 * the page puts its own address back once its script runs.
	 */
	join: async (event) => {
		const { workshop, error } = await joinLookup(event);
		if (!workshop) return refused(error);
		try {
			await joinByForm(event, workshop);
		} catch (failure) {
			if (failure instanceof UserError) return refused(failure);
			throw failure;
		}
		return { joined: true };
	},
	/** A rating sent as a form before the page's script ran (or if it never arrives): stored, then the page again. */
	rate: async (event) => {
		const { workshop, error } = await joinLookup(event);
		if (!workshop) return refused(error);
		try {
			return { saved: await rateByForm(event, workshop) };
		} catch (failure) {
			if (failure instanceof UserError) return refused(failure);
			throw failure;
		}
	}
};
