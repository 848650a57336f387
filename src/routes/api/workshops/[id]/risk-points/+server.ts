import { UserError } from '$lib/domain/errors';
import { api, facilitatorWorkshop } from '$lib/server/http/api';
import { readRiskPointUpload } from '$lib/server/http/risk-point-upload';

export const GET = api(async (event, service) => {
	return Response.json({ riskPoints: (await facilitatorWorkshop(event, service)).settings.riskPoints });
});

/** Replaces the list from CSV, plain text, JSON or .xlsx; the old list stays on any error. */
export const PUT = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	if (workshop.settings.assessmentId) throw new UserError('error.list.fromAssessment', {}, 409);
	if (workshop.hasRatings) throw new UserError('error.list.locked', {}, 409);
	const inputs = await readRiskPointUpload(event.request, event.url);
	const riskPoints = await service.setRiskPoints(workshop, inputs);
	return Response.json({ riskPoints });
});
