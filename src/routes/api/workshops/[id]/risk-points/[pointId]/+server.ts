import { api, facilitatorWorkshop, readJson } from '$lib/server/http/api';
import { pointTextSchema } from '$lib/protocol';
import { facilitatorView } from '$lib/server/workshops/views';

/** Fixes one point's wording, also after rating began (the old text is kept with the time, and shown in the exports). */
export const PATCH = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const { text } = await readJson(event.request, pointTextSchema);
	await service.editPointText(workshop, event.params.pointId!, text);
	return Response.json(facilitatorView(workshop));
});
