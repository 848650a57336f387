import { exportFileName } from '$lib/domain/export';
import { assessmentTask } from '$lib/server/workers/reports';
import { XLSX_TYPE } from '$lib/server/http/risk-point-upload';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The assessment as an Excel workbook, built on a worker thread; ?weighting=workshop|member. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const weighting = weightingOf(event.url);
	const bytes = await assessmentTask(runtime.assessments, file, 'assessmentXlsx', weighting);
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': XLSX_TYPE,
			'content-disposition': `attachment; filename="${exportFileName(file.data.assessment.title, 'xlsx', weighting)}"`
		}
	});
});
