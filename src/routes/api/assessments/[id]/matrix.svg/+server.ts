import { exportFileName } from '$lib/domain/export';
import { assessmentTask } from '$lib/server/workers/reports';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The combined risk matrix as a picture (SVG) with a legend of every point; ?weighting=workshop|member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const weighting = weightingOf(event.url);
	const svg = await assessmentTask(runtime.assessments, file, 'assessmentMatrixSvg', weighting);
	return new Response(svg, {
		headers: {
			'content-type': 'image/svg+xml; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFileName(`${file.data.assessment.title} matrise`, 'svg', weighting)}"`
		}
	});
});
