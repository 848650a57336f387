import { assessmentPatchSchema } from '$lib/protocol';
import { ownedAssessment, readJson, runtimeApi } from '$lib/server/http/api';

/** The assessment with its list and each workshop's status, members and answers. */
export const GET = runtimeApi(async (event, runtime) => {
	return Response.json(runtime.assessments.overview(ownedAssessment(event, runtime), event.url.origin));
});

export const PATCH = runtimeApi(async (event, runtime) => {
	const file = ownedAssessment(event, runtime);
	await runtime.assessments.update(file, await readJson(event.request, assessmentPatchSchema));
	return Response.json(runtime.assessments.overview(file, event.url.origin));
});

/** Deletes the assessment and every one of its workshops, with all their data, from disk. */
export const DELETE = runtimeApi(async (event, runtime) => {
	await runtime.assessments.delete(ownedAssessment(event, runtime));
	return new Response(null, { status: 204 });
});
