import { pointTextSchema } from '$lib/protocol';
import { bearerKey, ownedAssessment, readJson, runtimeApi } from '$lib/server/http/api';

/** Fixes one point's wording in the assessment and all its workshops, also after rating began (the old text is kept with the time). */
export const PATCH = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const { text } = await readJson(event.request, pointTextSchema);
	await runtime.assessments.editPointText(file, event.params.pointId!, text);
	return Response.json(await runtime.assessments.overview(file, event.url.origin, bearerKey(event.request)!));
});
