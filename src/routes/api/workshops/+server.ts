import { checkCreation, readJson, runtimeApi } from '$lib/server/http/api';
import { createWorkshopSchema } from '$lib/protocol';

/** Creates a workshop; the answer holds the only copy of the facilitator key. */
export const POST = runtimeApi(async (event, runtime) => {
	const input = await readJson(event.request, createWorkshopSchema);
	checkCreation(event, runtime);
	const created = await runtime.service.create(input, event.url.origin);
	return Response.json(created, { status: 201 });
});
