import { createAssessmentWorkshopSchema } from '$lib/protocol';
import { ownedAssessment, readJson, runtimeApi } from '$lib/server/http/api';

/**
 * A national or regional workshop of the assessment, or `{ "preset": "county-governors" }` for one
 * per county governor. Answers `{ "workshops": [{ id, joinCode, facilitatorKey, joinUrl, facilitatorUrl }] }`.
 */
export const POST = runtimeApi(async (event, runtime) => {
	const file = ownedAssessment(event, runtime);
	const input = await readJson(event.request, createAssessmentWorkshopSchema);
	const origin = event.url.origin;
	const workshops =
		'preset' in input
			? await runtime.assessments.createCountyGovernorWorkshops(file, input.anonymous, origin)
			: [await runtime.assessments.createWorkshop(file, input, origin)];
	return Response.json({ workshops }, { status: 201 });
});
