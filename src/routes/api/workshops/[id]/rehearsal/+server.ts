import { checkCreation, facilitatorWorkshop, runtimeApi } from '$lib/server/http/api';

/**
 * A rehearsal of the workshop: a copy with simulated members, open, for trying the console and
 * the projector before the day. Answers its console's link; nothing of it is kept (it is deleted
 * when it ends, after two hours, or at the server's next start).
 */
export const POST = runtimeApi(async (event, runtime) => {
	const workshop = await facilitatorWorkshop(event, runtime.service);
	checkCreation(event, runtime);
	const rehearsal = await runtime.rehearsals.start(workshop, event.url.origin);
	return Response.json(rehearsal, { status: 201 });
});
