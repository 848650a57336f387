import { UserError } from '$lib/domain/errors';
import { combinedToCsv, defaultDelimiter, exportFileName } from '$lib/domain/export';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/** The combined ranking as CSV; ?weighting=workshop|member, ?delimiter=semicolon|comma. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const { language, title } = file.data.assessment;
	const asked = event.url.searchParams.get('delimiter');
	if (asked !== null && asked !== 'comma' && asked !== 'semicolon') {
		throw new UserError('error.export.delimiter', { delimiter: asked.slice(0, 20) });
	}
	const csv = combinedToCsv(await runtime.assessments.results(file, weightingOf(event.url)), language, asked ?? defaultDelimiter(language));
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFileName(title, 'csv')}"`
		}
	});
});
