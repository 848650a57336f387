import { exportFileName } from '$lib/domain/export';
import { assessmentToPdf } from '$lib/server/export/assessment-export';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The printable report (A4 PDF); ?weighting=workshop|member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const results = await runtime.assessments.results(file, weightingOf(event.url));
	const workshops = await runtime.assessments.workshopsOf(file);
	const bytes = await assessmentToPdf({ file, results, workshops, exportedAt: new Date() });
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${exportFileName(file.data.assessment.title, 'pdf')}"`
		}
	});
});
