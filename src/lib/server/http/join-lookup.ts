import type { RequestEvent } from '@sveltejs/kit';
import { UserError } from '../../domain/errors';
import { getRuntime } from '../runtime';
import type { LiveWorkshop } from '../workshops/live-workshop';
import { clientAddressOf } from './api';

export type JoinLookup = { workshop: LiveWorkshop; error: null } | { workshop: null; error: UserError };

/**
 * The workshop behind the join code of a /join/<code> request, looked up once per request and
 * only through the guard: the page's language and its content may differ between a real and a
 * made-up code only where the guard let the lookup through.
 */
export function joinLookup(event: RequestEvent): Promise<JoinLookup> {
	event.locals.joinLookup ??= (async (): Promise<JoinLookup> => {
		const { service } = await getRuntime();
		try {
			return { workshop: await service.lookUpJoinCode(event.params.code ?? '', clientAddressOf(event)), error: null };
		} catch (error) {
			if (error instanceof UserError) return { workshop: null, error };
			throw error;
		}
	})();
	return event.locals.joinLookup;
}
