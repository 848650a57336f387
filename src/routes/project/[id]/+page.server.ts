import { UserError } from '$lib/domain/errors';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** The projector needs no key: it only shows what the panel may see. Unknown ids get a clear page. */
export const load: PageServerLoad = async ({ params }) => {
	const { service } = await getRuntime();
	try {
		// the join code is on the big screen anyway; the socket names it so a balancer keeps the workshop's sockets together
		const { id, title, joinCode } = (await service.open(params.id)).settings;
		return { workshop: { id, title, joinCode } };
	} catch (error) {
		if (error instanceof UserError) return { workshop: null };
		throw error;
	}
};
