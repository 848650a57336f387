import { api, facilitatorWorkshop, readJson } from '$lib/server/http/api';
import { workshopPatchSchema } from '$lib/protocol';
import { facilitatorView } from '$lib/server/workshops/views';

export const GET = api(async (event, service) => {
	return Response.json(facilitatorView(await facilitatorWorkshop(event, service)));
});

/**
 * Opens or closes the workshop, sets pacing and the current point, reveals, starts a new round,
 * records notes, edits title, scales, scoring, anonymity or the consensus threshold.
 */
export const PATCH = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const patch = await readJson(event.request, workshopPatchSchema);
	await service.update(workshop, patch);
	return Response.json(facilitatorView(workshop));
});

/** Deletes the workshop and all its ratings from disk; its members and screens are disconnected. */
export const DELETE = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	await service.delete(workshop);
	return new Response(null, { status: 204 });
});
