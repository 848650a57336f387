import { bearerKey, ownedAssessment, runtimeApi } from '$lib/server/http/api';

/**
 * Gives a workshop of the assessment a new facilitator key (the next one derived from the owner
 * key) and with it a new projector link: when a link has leaked. The old ones stop working at once.
 */
export const POST = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const ownerKey = bearerKey(event.request)!;
	await runtime.assessments.rotateWorkshopKey(file, ownerKey, event.params.workshopId ?? '');
	return Response.json(await runtime.assessments.overview(file, event.url.origin, ownerKey));
});
