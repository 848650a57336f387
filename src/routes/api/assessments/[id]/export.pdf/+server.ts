import { exportFileName } from '$lib/domain/export';
import { assessmentReport } from '$lib/server/workers/reports';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The printable report (A4 PDF), built on a worker thread; ?weighting=workshop|member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const bytes = await assessmentReport(runtime.assessments, file, 'pdf', weightingOf(event.url));
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${exportFileName(file.data.assessment.title, 'pdf')}"`
		}
	});
});
