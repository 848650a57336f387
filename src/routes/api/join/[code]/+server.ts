import { api } from '$lib/server/http/api';
import { joinLookup } from '$lib/server/http/join-lookup';

/** What a member may know before joining: the title, language, whether it is open and what others will see. */
export const GET = api(async (event) => {
	// the same guarded lookup the request's language came from: one per request
	const { workshop, error } = await joinLookup(event);
	if (!workshop) throw error;
	const { title, language, status, joinCode, anonymous, countsOnly } = workshop.settings;
	return Response.json({ title, language, status, joinCode, anonymous, countsOnly });
});
