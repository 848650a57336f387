import { UserError } from '$lib/domain/errors';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** The projector needs no key: it only shows what the panel may see. Unknown ids get a clear page. */
export const load: PageServerLoad = async ({ params }) => {
	const { service } = await getRuntime();
	try {
		const { id, title } = (await service.open(params.id)).settings;
		return { workshop: { id, title } };
	} catch (error) {
		if (error instanceof UserError) return { workshop: null };
		throw error;
	}
};
