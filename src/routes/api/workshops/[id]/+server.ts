import { api, facilitatorWorkshop, readJson } from '$lib/server/http';
import { workshopPatchSchema } from '$lib/protocol';

export const GET = api(async (event, service) => {
	return Response.json(facilitatorWorkshop(event, service).facilitatorView());
});

/** Opens or closes the workshop, sets pacing and the current point, edits title, scales or scoring. */
export const PATCH = api(async (event, service) => {
	const workshop = facilitatorWorkshop(event, service);
	const patch = await readJson(event.request, workshopPatchSchema);
	await service.update(workshop, patch);
	return Response.json(workshop.facilitatorView());
});
