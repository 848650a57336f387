import { UserError } from '$lib/domain/errors';
import { decodeText, parseRiskPointLines, parseRiskPointsCsv } from '$lib/domain/risk-points';
import { riskPointListSchema, describeZodError } from '$lib/protocol';
import { api, facilitatorWorkshop, mediaType, readBody } from '$lib/server/http';

export const GET = api(async (event, service) => {
	return Response.json({ riskPoints: facilitatorWorkshop(event, service).settings.riskPoints });
});

/** Replaces the list from CSV, plain text (a point per line) or JSON; the old list stays on any error. */
export const PUT = api(async (event, service) => {
	const workshop = facilitatorWorkshop(event, service);
	if (workshop.hasRatings) throw new UserError('error.list.locked', {}, 409);
	const type = mediaType(event.request);
	const text = decodeText(await readBody(event.request));
	let inputs;
	if (type === 'text/csv' || type === 'application/csv') {
		inputs = parseRiskPointsCsv(text);
	} else if (type === 'text/plain') {
		inputs = parseRiskPointLines(text);
	} else if (type === 'application/json') {
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			throw new UserError('error.invalidJson');
		}
		const parsed = riskPointListSchema.safeParse(value);
		if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
		inputs = parsed.data.riskPoints;
	} else {
		throw new UserError('error.list.mediaType', { type: type || '(none)' }, 415);
	}
	const riskPoints = await service.setRiskPoints(workshop, inputs);
	return Response.json({ riskPoints });
});
