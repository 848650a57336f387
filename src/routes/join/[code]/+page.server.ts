import { UserError } from '$lib/domain/errors';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** The public facts a member sees before joining, or null for a code that matches no workshop. */
export const load: PageServerLoad = async ({ params }) => {
	const { service } = await getRuntime();
	try {
		const { title, language, status, joinCode, anonymous } = service.byJoinCode(params.code).settings;
		return { workshop: { title, language, status, joinCode, anonymous }, code: params.code };
	} catch (error) {
		if (error instanceof UserError) return { workshop: null, code: params.code };
		throw error;
	}
};
