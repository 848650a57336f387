import { ownedAssessment, runtimeApi } from '$lib/server/http/api';

/**
 * A new owner key, when the owner's link has leaked: the old key, and every workshop link derived
 * from it, stop working at once. Answers with the new key and link (shown once: keep it).
 */
export const POST = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	return Response.json(await runtime.assessments.rotateOwnerKey(file, event.url.origin));
});
