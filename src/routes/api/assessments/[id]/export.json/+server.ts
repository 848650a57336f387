import { exportFileName } from '$lib/domain/export';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The combined results with the settings used; ?weighting=workshop|member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const { title, description, scales, matrix } = file.data.assessment;
	const document = {
		...await runtime.assessments.results(file, weightingOf(event.url)),
		description,
		scales,
		matrix,
		exportedAt: new Date().toISOString()
	};
	return new Response(JSON.stringify(document, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFileName(title, 'json')}"`
		}
	});
});
