import { exportFileName, resultsToJson } from '$lib/domain/export';
import { api, facilitatorWorkshop, roundChoice } from '$lib/server/http/api';

export const GET = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const document = resultsToJson(workshop.results(roundChoice(event.url)), workshop.settings.scales, new Date().toISOString(), workshop.settings.consequenceTypes);
	return new Response(JSON.stringify(document, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFileName(workshop.settings.title, 'json')}"`
		}
	});
});
