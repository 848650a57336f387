import { UserError } from '$lib/domain/errors';
import { defaultDelimiter, exportFileName } from '$lib/domain/export';
import { assessmentTask } from '$lib/server/workers/reports';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';

/**
 * The combined ranking as CSV, with how sure each place is; ?weighting=workshop|member (named in
 * a column and in the file name), ?delimiter=semicolon|comma.
 */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const { language, title } = file.data.assessment;
	const asked = event.url.searchParams.get('delimiter');
	if (asked !== null && asked !== 'comma' && asked !== 'semicolon') {
		throw new UserError('error.export.delimiter', { delimiter: asked.slice(0, 20) });
	}
	const weighting = weightingOf(event.url);
	const delimiter = asked ?? defaultDelimiter(language);
	const csv = await assessmentTask(runtime.assessments, file, delimiter === 'comma' ? 'assessmentCsvComma' : 'assessmentCsvSemicolon', weighting);
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFileName(title, 'csv', weighting)}"`
		}
	});
});
