import { api, facilitatorWorkshop } from '$lib/server/http/api';

/** Removes a member with all their answers (a fake or duplicate member); their connections are closed. */
export const DELETE = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	await service.removeMember(workshop, event.params.memberId ?? '');
	return new Response(null, { status: 204 });
});
