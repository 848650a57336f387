import { exportFileName } from '$lib/domain/export';
import { reportTask } from '$lib/server/workers/reports';
import { workshopExportSource } from '$lib/server/export/workshop-export-source';
import { api, facilitatorWorkshop } from '$lib/server/http/api';

/** The workshop's risk matrix as a picture (PNG) with a legend of every point. */
export const GET = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const png = await reportTask(workshopExportSource(workshop), 'assessmentMatrixPng');
	return new Response(png as BodyInit, {
		headers: {
			'content-type': 'image/png',
			'content-disposition': `attachment; filename="${exportFileName(`${workshop.settings.title} matrise`, 'png')}"`
		}
	});
});
