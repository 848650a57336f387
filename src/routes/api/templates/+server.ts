import { bearerKey, runtimeApi } from '$lib/server/http/api';
import { UserError } from '$lib/domain/errors';

/**
 * The templates saved with the owner key given as `Authorization: Bearer <key>` (titles and sizes
 * only): nobody sees anyone else's.
 */
export const GET = runtimeApi(async ({ request }, { assessments }) => {
	const key = bearerKey(request);
	if (!key) throw new UserError('error.auth.missingKey', {}, 401);
	return Response.json({ templates: assessments.templates(key) });
});
