import { runtimeApi } from '$lib/server/http/api';

/** Saved risk-point lists to start an assessment from: titles and sizes only. */
export const GET = runtimeApi(async (_event, { assessments }) => {
	return Response.json({ templates: assessments.templates() });
});
