import { exportFileName } from '$lib/domain/export';
import { assessmentToXlsx } from '$lib/server/export/assessment-export';
import { XLSX_TYPE } from '$lib/server/http/risk-point-upload';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The assessment as an Excel workbook; ?weighting=workshop|member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const results = await runtime.assessments.results(file, weightingOf(event.url));
	const workshops = await runtime.assessments.workshopsOf(file);
	const bytes = await assessmentToXlsx({ file, results, workshops, exportedAt: new Date() });
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': XLSX_TYPE,
			'content-disposition': `attachment; filename="${exportFileName(file.data.assessment.title, 'xlsx')}"`
		}
	});
});
