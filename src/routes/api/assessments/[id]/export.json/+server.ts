import { exportFileName } from '$lib/domain/export';
import { assessmentTask } from '$lib/server/workers/reports';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The combined results, how sure the ranking is, and the settings used; ?weighting=workshop|member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const weighting = weightingOf(event.url);
	const json = await assessmentTask(runtime.assessments, file, 'assessmentJson', weighting);
	return new Response(json, {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFileName(file.data.assessment.title, 'json', weighting)}"`
		}
	});
});
