import { bearerKey, runtimeApi } from '$lib/server/http/api';

/** Deletes a template, with the owner key that saved it. */
export const DELETE = runtimeApi(async ({ request, params }, { assessments }) => {
	await assessments.deleteTemplate(params.id ?? '', bearerKey(request));
	return new Response(null, { status: 204 });
});
