import { exportFileName } from '$lib/domain/export';
import { assessmentReport } from '$lib/server/workers/reports';
import { XLSX_TYPE } from '$lib/server/http/risk-point-upload';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The assessment as an Excel workbook, built on a worker thread; ?weighting=workshop|member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const bytes = await assessmentReport(runtime.assessments, file, 'xlsx', weightingOf(event.url));
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': XLSX_TYPE,
			'content-disposition': `attachment; filename="${exportFileName(file.data.assessment.title, 'xlsx')}"`
		}
	});
});
