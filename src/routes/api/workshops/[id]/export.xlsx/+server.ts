import { exportFileName } from '$lib/domain/export';
import { reportTask } from '$lib/server/workers/reports';
import { workshopExportSource } from '$lib/server/export/workshop-export-source';
import { XLSX_TYPE } from '$lib/server/http/risk-point-upload';
import { api, facilitatorWorkshop } from '$lib/server/http/api';

/** The workshop as an Excel workbook (the same sheets as an assessment's), built on a worker thread. */
export const GET = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const bytes = await reportTask(workshopExportSource(workshop), 'assessmentXlsx');
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': XLSX_TYPE,
			'content-disposition': `attachment; filename="${exportFileName(workshop.settings.title, 'xlsx')}"`
		}
	});
});
