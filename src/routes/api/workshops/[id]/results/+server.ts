import { api, facilitatorWorkshop, roundChoice } from '$lib/server/http/api';

/** The ranked results; ?round=latest (default) or a round number. */
export const GET = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	return Response.json(workshop.results(roundChoice(event.url)));
});
