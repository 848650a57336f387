import { api, facilitatorWorkshop } from '$lib/server/http';

export const GET = api(async (event, service) => {
	return Response.json(facilitatorWorkshop(event, service).results());
});
