import { api, clientAddressOf } from '$lib/server/http/api';

/** What a member may know before joining: the title, language, whether it is open and what others will see. */
export const GET = api(async (event, service) => {
	const workshop = await service.lookUpJoinCode(event.params.code ?? '', clientAddressOf(event));
	const { title, language, status, joinCode, anonymous, countsOnly } = workshop.settings;
	return Response.json({ title, language, status, joinCode, anonymous, countsOnly });
});
