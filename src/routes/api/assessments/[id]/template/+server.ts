import { createTemplateSchema } from '$lib/protocol';
import { ownedAssessment, readJson, runtimeApi } from '$lib/server/http/api';

/** Saves the assessment's list and scales as a template for the next assessment. */
export const POST = runtimeApi(async (event, runtime) => {
	const file = ownedAssessment(event, runtime);
	const { title } = await readJson(event.request, createTemplateSchema);
	return Response.json(await runtime.assessments.saveTemplate(file, title), { status: 201 });
});
