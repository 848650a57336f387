import { api, bearerKey, facilitatorWorkshop } from '$lib/server/http/api';

const projectorUrl = (origin: string, workshopId: string, key: string) => `${origin}/project/${workshopId}#key=${key}`;

/** The projector link: its own key (derived from the facilitator key), the same until it is revoked. */
export const GET = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const key = await service.keys.projectorKey(workshop, bearerKey(event.request)!);
	return Response.json({ projectorUrl: projectorUrl(event.url.origin, workshop.settings.id, key) });
});

/** Revokes the projector link: a new one, and the screens with the old one are disconnected. */
export const POST = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	const key = await service.keys.revokeProjector(workshop, bearerKey(event.request)!);
	return Response.json({ projectorUrl: projectorUrl(event.url.origin, workshop.settings.id, key) });
});
