import { api, facilitatorWorkshop } from '$lib/server/http/api';
import { connectedMembers } from '$lib/server/realtime/connections';
import { memberList } from '$lib/server/workshops/views';

/** The workshop's members in the order they joined: name (named workshops), connected now, answers given. */
export const GET = api(async (event, service) => {
	const workshop = await facilitatorWorkshop(event, service);
	return Response.json({ members: memberList(workshop, connectedMembers(workshop.settings.id)) });
});
