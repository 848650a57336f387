import { exportFileName } from '$lib/domain/export';
import { assessmentTask } from '$lib/server/workers/reports';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The combined risk matrix as a picture (PNG) with a legend of every point; ?weighting=workshop|member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const weighting = weightingOf(event.url);
	const png = await assessmentTask(runtime.assessments, file, 'assessmentMatrixPng', weighting);
	return new Response(png as BodyInit, {
		headers: {
			'content-type': 'image/png',
			'content-disposition': `attachment; filename="${exportFileName(`${file.data.assessment.title} matrise`, 'png', weighting)}"`
		}
	});
});
