import { defaultDelimiter, exportFileName, resultsToCsv } from '$lib/domain/export';
import { UserError } from '$lib/domain/errors';
import { api, facilitatorWorkshop, roundChoice } from '$lib/server/http/api';

/** The ranked list as CSV; ?delimiter=semicolon|comma (default by the workshop's language). */
export const GET = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const { language, title } = workshop.settings;
	const asked = event.url.searchParams.get('delimiter');
	if (asked !== null && asked !== 'comma' && asked !== 'semicolon') {
		throw new UserError('error.export.delimiter', { delimiter: asked.slice(0, 20) });
	}
	const csv = resultsToCsv(workshop.results(roundChoice(event.url)), language, asked ?? defaultDelimiter(language), workshop.settings.consequenceTypes);
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFileName(title, 'csv')}"`
		}
	});
});
