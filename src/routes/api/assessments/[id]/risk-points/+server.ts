import { ownedAssessment, runtimeApi } from '$lib/server/http/api';
import { readRiskPointUpload } from '$lib/server/http/risk-point-upload';

export const GET = runtimeApi(async (event, runtime) => {
	return Response.json({ riskPoints: (await ownedAssessment(event, runtime)).data.assessment.riskPoints });
});

/** Replaces the list (CSV, plain text, JSON or .xlsx) while no workshop has answers. */
export const PUT = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const inputs = await readRiskPointUpload(event.request, event.url);
	return Response.json({ riskPoints: await runtime.assessments.setRiskPoints(file, inputs) });
});

/** Adds points to the end of the list, also after rating has started. */
export const POST = runtimeApi(async (event, runtime) => {
	const file = await ownedAssessment(event, runtime);
	const inputs = await readRiskPointUpload(event.request, event.url);
	const added = await runtime.assessments.addRiskPoints(file, inputs);
	return Response.json({ added, riskPoints: file.data.assessment.riskPoints }, { status: 201 });
});
