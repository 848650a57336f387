import { UserError } from '$lib/domain/errors';
import { getRuntime } from '$lib/server/runtime';
import { clientAddressOf } from '$lib/server/http/api';
import type { PageServerLoad } from './$types';

/** The public facts a member sees before joining, or null for a code that matches no workshop. */
export const load: PageServerLoad = async (event) => {
	const { params } = event;
	const { service } = await getRuntime();
	try {
		const { title, topic, language, status, joinCode, anonymous, countsOnly } = (await service.lookUpJoinCode(params.code, clientAddressOf(event))).settings;
		return { workshop: { title, topic, language, status, joinCode, anonymous, countsOnly }, code: params.code, problem: null };
	} catch (error) {
		if (error instanceof UserError) return { workshop: null, code: params.code, problem: error.key === 'error.join.tooMany' ? { seconds: Number(error.params.seconds ?? 60) } : null };
		throw error;
	}
};
