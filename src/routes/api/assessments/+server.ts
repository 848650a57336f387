import { createAssessmentSchema } from '$lib/protocol';
import { readJson, runtimeApi } from '$lib/server/http/api';

/** Creates an assessment; the answer holds the only copy of the owner key. */
export const POST = runtimeApi(async ({ request, url }, { assessments }) => {
	const input = await readJson(request, createAssessmentSchema);
	return Response.json(await assessments.create(input, url.origin), { status: 201 });
});
