import { catalogueFor } from '$lib/i18n/page-catalogue';
import type { LayoutServerLoad } from './$types';

/**
 * The reader's language and its catalogue: the pages translate with it (the other two stay on
 * the server). A member's pages get only their part (route.id is read, so it runs again when a
 * page of another kind is opened).
 */
export const load: LayoutServerLoad = ({ locals, route }) => ({ language: locals.language, messages: catalogueFor(locals.language, route.id) });
