import { bearerKey, ownedAssessment, runtimeApi } from '$lib/server/http/api';

/**
 * Gives a workshop of the assessment a new facilitator key, derived from the owner key, so the
 * owner page can show its link (workshops made before keys were derived). The old link stops working.
 */
export const POST = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const ownerKey = bearerKey(event.request)!;
	await runtime.assessments.resetWorkshopKey(file, ownerKey, event.params.workshopId ?? '');
	return Response.json(await runtime.assessments.overview(file, event.url.origin, ownerKey));
});
