import { joinLookup } from '$lib/server/http/join-lookup';
import type { PageServerLoad } from './$types';

/** The public facts a member sees before joining, or null for a code that matches no workshop. */
export const load: PageServerLoad = async (event) => {
	const { workshop, error } = await joinLookup(event);
	if (!workshop) return { workshop: null, code: event.params.code, problem: error.key === 'error.join.tooMany' ? { seconds: Number(error.params.seconds ?? 60) } : null };
	const { title, topic, language, status, joinCode, anonymous, countsOnly } = workshop.settings;
	return { workshop: { title, topic, language, status, joinCode, anonymous, countsOnly }, code: event.params.code, problem: null };
};
