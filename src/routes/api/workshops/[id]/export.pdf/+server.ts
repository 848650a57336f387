import { exportFileName } from '$lib/domain/export';
import { reportTask } from '$lib/server/workers/reports';
import { workshopExportSource } from '$lib/server/export/workshop-export-source';
import { api, facilitatorWorkshop } from '$lib/server/http/api';

/** The workshop's report (the same tagged A4 PDF as an assessment's), built on a worker thread. */
export const GET = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const bytes = await reportTask(workshopExportSource(workshop), 'assessmentPdf');
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${exportFileName(workshop.settings.title, 'pdf')}"`
		}
	});
});
