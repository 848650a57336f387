import { redirect } from '@sveltejs/kit';
import { isWellFormedJoinCode, normalizeJoinCode } from '$lib/domain/join-code';
import type { PageServerLoad } from './$types';

/**
 * The join form without JavaScript (or pressed before the page has loaded its script): a
 * well-formed code goes on to its join page; anything else shows the form again with the code
 * typed and the reason.
 */
export const load: PageServerLoad = ({ url }) => {
	const typed = url.searchParams.get('code');
	if (typed === null) return { typed: '', malformed: false };
	const code = normalizeJoinCode(typed.slice(0, 40));
	if (isWellFormedJoinCode(code)) redirect(303, `/join/${code}`);
	return { typed: typed.slice(0, 40), malformed: true };
};
