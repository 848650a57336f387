import type { Language } from '$lib/domain/types';

declare global {
	namespace App {
		interface Locals {
			language: Language;
		}
	}
}

export {};
