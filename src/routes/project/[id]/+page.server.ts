import type { PageServerLoad } from './$types';

/**
 * The projector's page is a shell: what it shows comes over its socket, which needs the key of the
 * projector link (in the address after #, never sent here). Nothing about the workshop is in the
 * page itself, so a revoked link or a guessed id shows nothing.
 */
export const load: PageServerLoad = () => ({});
