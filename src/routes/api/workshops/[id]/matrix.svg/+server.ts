import { exportFileName } from '$lib/domain/export';
import { reportTask } from '$lib/server/workers/reports';
import { workshopExportSource } from '$lib/server/export/workshop-export-source';
import { api, facilitatorWorkshop } from '$lib/server/http/api';

/** The workshop's risk matrix as a picture (SVG) with a legend of every point. */
export const GET = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const svg = await reportTask(workshopExportSource(workshop), 'assessmentMatrixSvg');
	return new Response(svg, {
		headers: {
			'content-type': 'image/svg+xml; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFileName(`${workshop.settings.title} matrise`, 'svg')}"`
		}
	});
});
