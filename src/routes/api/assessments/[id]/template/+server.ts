import { createTemplateSchema } from '$lib/protocol';
import { checkCreation, ownedAssessment, readJson, runtimeApi } from '$lib/server/http/api';

/** Saves the assessment's list and scales as a template of its owner key, for the next assessment. */
export const POST = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const { title } = await readJson(event.request, createTemplateSchema);
	checkCreation(event, runtime);
	return Response.json(await runtime.assessments.saveTemplate(file, title), { status: 201 });
});
