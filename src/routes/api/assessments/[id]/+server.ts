import { assessmentPatchSchema } from '$lib/protocol';
import { bearerKey, ownedAssessment, readJson, runtimeApi } from '$lib/server/http/api';
import { connectedMembers } from '$lib/server/realtime/connections';

/** The assessment with its list and each workshop's status, members, answers and own facilitator link. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	return Response.json(await runtime.assessments.overview(file, event.url.origin, bearerKey(event.request)!, (id) => connectedMembers(id).size));
});

export const PATCH = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	await runtime.assessments.update(file, await readJson(event.request, assessmentPatchSchema));
	return Response.json(await runtime.assessments.overview(file, event.url.origin, bearerKey(event.request)!));
});

/** Deletes the assessment and every one of its workshops, with all their data, from disk. */
export const DELETE = runtimeApi(async (event, runtime) => {
	await runtime.assessments.delete(await ownedAssessment(event, runtime));
	return new Response(null, { status: 204 });
});
