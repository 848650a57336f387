import { createAssessmentSchema } from '$lib/protocol';
import { checkCreation, readJson, runtimeApi } from '$lib/server/http/api';

/** Creates an assessment; the answer holds the only copy of the owner key. */
export const POST = runtimeApi(async (event, runtime) => {
	const input = await readJson(event.request, createAssessmentSchema);
	checkCreation(event, runtime);
	return Response.json(await runtime.assessments.create(input, event.url.origin), { status: 201 });
});
