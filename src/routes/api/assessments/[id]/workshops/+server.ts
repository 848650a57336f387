import { createAssessmentWorkshopSchema } from '$lib/protocol';
import { bearerKey, checkCreation, ownedAssessment, readJson, runtimeApi } from '$lib/server/http/api';

/**
 * A national or regional workshop of the assessment, or `{ "preset": "county-governors" }` for one
 * per county governor (those already there are not made again). Answers
 * `{ "workshops": [{ id, joinCode, facilitatorKey, joinUrl, facilitatorUrl }] }`; each workshop has
 * its own key, which opens that workshop only.
 */
export const POST = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const ownerKey = bearerKey(event.request)!;
	const input = await readJson(event.request, createAssessmentWorkshopSchema);
	const origin = event.url.origin;
	checkCreation(event, runtime);
	const workshops =
		'preset' in input
			? await runtime.assessments.createCountyGovernorWorkshops(file, ownerKey, origin)
			: [await runtime.assessments.createWorkshop(file, ownerKey, input, origin)];
	return Response.json({ workshops }, { status: 201 });
});
