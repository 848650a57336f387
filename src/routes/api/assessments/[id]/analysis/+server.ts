import { assessmentTask } from '$lib/server/workers/reports';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/**
 * The combined results with how sure the ranking is (rank intervals, chance of the top N,
 * sensitivity, national against regional, categories), made on a worker thread and kept while
 * nothing changes; ?weighting=workshop|member.
 */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	return Response.json(await assessmentTask(runtime.assessments, file, 'assessmentAnalysis', weightingOf(event.url)));
});
