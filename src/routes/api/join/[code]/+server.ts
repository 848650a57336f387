import { api } from '$lib/server/http';

/** What a member may know before joining: the title, language and whether it is open. */
export const GET = api(async ({ params }, service) => {
	const { title, language, status, joinCode } = service.byJoinCode(params.code ?? '').settings;
	return Response.json({ title, language, status, joinCode });
});
