import type { Language } from '$lib/domain/types';
import type { JoinLookup } from '$lib/server/http/join-lookup';

declare global {
	namespace App {
		interface Locals {
			language: Language;
			/** /join/<code>: the guarded lookup of the code, made once per request */
			joinLookup?: Promise<JoinLookup>;
		}
	}
}

export {};
