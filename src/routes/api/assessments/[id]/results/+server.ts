import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The combined ranking: ?weighting=workshop (each workshop counts equally, default) or member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	return Response.json(await runtime.assessments.results(file, weightingOf(event.url)));
});
