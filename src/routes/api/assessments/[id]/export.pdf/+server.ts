import { exportFileName } from '$lib/domain/export';
import { assessmentTask } from '$lib/server/workers/reports';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The report (tagged A4 PDF), built on a worker thread; ?weighting=workshop|member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const weighting = weightingOf(event.url);
	const bytes = await assessmentTask(runtime.assessments, file, 'assessmentPdf', weighting);
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${exportFileName(file.data.assessment.title, 'pdf', weighting)}"`
		}
	});
});
