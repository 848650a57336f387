import { ownedAssessment, runtimeApi } from '$lib/server/http/api';

/** Removes a workshop from the assessment, deleting it and its answers (the owner's key). */
export const DELETE = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	await runtime.assessments.removeWorkshop(file, event.params.workshopId!);
	return new Response(null, { status: 204 });
});
