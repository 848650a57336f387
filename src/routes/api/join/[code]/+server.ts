import { api } from '$lib/server/http/api';

/** What a member may know before joining: the title, language and whether it is open. */
export const GET = api(async (event, service) => {
	const { title, language, status, joinCode } = service.lookUpJoinCode(event.params.code ?? '', event.getClientAddress()).settings;
	return Response.json({ title, language, status, joinCode });
});
