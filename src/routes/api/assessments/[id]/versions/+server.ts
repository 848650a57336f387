import { UserError } from '$lib/domain/errors';
import { ownedAssessment, runtimeApi, weightingOf } from '$lib/server/http/api';
import { stateOf } from '$lib/server/workshops/assessment-reports';
import { exportPool } from '$lib/server/workers/pool';

/** The report's final versions, oldest first. */
export const GET = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	return Response.json({ versions: runtime.assessments.versions.list(file.data.assessment.id).map(({ number, finalAt }) => ({ number, finalAt })) });
});

/**
 * Marks the report as it is now a final version (?weighting=workshop|member): its PDF, workbook and
 * JSON are made without the draft marking, with the version's number, and kept as they are with a
 * checksum of each. The workshops stay editable; any later change makes the next report a draft.
 */
export const POST = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const weighting = weightingOf(event.url);
	const settings = file.data.assessment;
	const made = (await runtime.assessments.exportSource(file, weighting)).source();
	const label = made.assessment.reportVersion!;
	if (label.final) throw new UserError('error.version.unchanged', { number: label.number }, 409);
	const final = { ...made, assessment: { ...made.assessment, reportVersion: { number: label.number, final: true }, report: { ...made.assessment.report, draft: false } } };
	const [pdf, xlsx, json] = await Promise.all([exportPool.run('assessmentPdf', final), exportPool.run('assessmentXlsx', final), exportPool.run('assessmentJson', final)]);
	await runtime.assessments.versions.save(settings, weighting, stateOf(made), label.number, { pdf, xlsx, json });
	return Response.json({ versions: runtime.assessments.versions.list(settings.id).map(({ number, finalAt }) => ({ number, finalAt })) }, { status: 201 });
});
