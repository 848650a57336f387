import { catalogues } from '$lib/i18n/translate';
import type { LayoutServerLoad } from './$types';

/** The reader's language and its catalogue: the pages translate with it (the other two stay on the server). */
export const load: LayoutServerLoad = ({ locals }) => ({ language: locals.language, messages: catalogues[locals.language] });
