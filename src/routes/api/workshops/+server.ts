import { api, readJson } from '$lib/server/http/api';
import { createWorkshopSchema } from '$lib/protocol';

/** Creates a workshop; the answer holds the only copy of the facilitator key. */
export const POST = api(async ({ request, url }, service) => {
	const input = await readJson(request, createWorkshopSchema);
	const created = await service.create(input, url.origin);
	return Response.json(created, { status: 201 });
});
