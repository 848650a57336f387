import { api, facilitatorWorkshop } from '$lib/server/http/api';

/**
 * A new facilitator key for a workshop on its own, when its link has leaked: the old one is
 * refused at once and its connections closed; the projector link changes with it. A workshop of
 * an assessment gets its new key from the owner (409 here).
 */
export const POST = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const key = await service.keys.rotate(workshop);
	const origin = event.url.origin;
	return Response.json({ facilitatorUrl: `${origin}/facilitate/${workshop.settings.id}#key=${key}` });
});
