/**
 * A member's pages get only their part of the catalogue (src/lib/i18n/page-catalogue.ts). This
 * reads every file those pages are built from (following imports from the pages and the root
 * layout) and checks that each message key written in them is in that part, in all languages.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEMBER_PREFIXES, catalogueFor } from '../../src/lib/i18n/page-catalogue';
import { catalogues } from '../../src/lib/i18n/translate';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRIES = ['src/routes/+layout.svelte', 'src/routes/+error.svelte', 'src/routes/join/+page.svelte', 'src/routes/join/[code]/+page.svelte'];

/** The files a page is built from: its own, and what they import from $lib or relatively (not packages). */
function moduleGraph(entries: string[]): string[] {
	const seen = new Set<string>();
	const queue = entries.map((entry) => join(ROOT, entry));
	while (queue.length) {
		const file = queue.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		const source = readFileSync(file, 'utf8');
		for (const [, spec] of source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
			if (spec!.startsWith('import type') || !(spec!.startsWith('$lib/') || spec!.startsWith('.'))) continue;
			const base = spec!.startsWith('$lib/') ? join(ROOT, 'src/lib', spec!.slice(5)) : resolve(dirname(file), spec!);
			const found = [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')].find((candidate) => existsSync(candidate) && !candidate.endsWith('/'));
			if (found && /\.(svelte|ts|js)$/.test(found) && !/\/i18n\/(nb|nn|en)\.ts$/.test(found)) queue.push(found);
		}
	}
	return [...seen];
}

describe("the member's part of the catalogue", () => {
	const files = moduleGraph(ENTRIES);
	const keys = new Set(Object.keys(catalogues.nb));
	const used = new Set<string>();
	const prefixes = new Set<string>();
	for (const file of files) {
		const source = readFileSync(file, 'utf8');
		for (const [, key] of source.matchAll(/['"`]([a-z]+\.[A-Za-z0-9.]+)['"`]/g)) if (keys.has(key!)) used.add(key!);
		for (const [, prefix] of source.matchAll(/`([a-z]+)\.\$\{/g)) if ([...keys].some((key) => key.startsWith(`${prefix}.`))) prefixes.add(prefix!);
	}

	it('follows the pages into the components they are built from', () => {
		const names = files.map((file) => file.slice(ROOT.length + 1));
		for (const expected of ['src/lib/components/MemberWorkshop.svelte', 'src/lib/components/RatePoint.svelte', 'src/lib/components/RatingScale.svelte', 'src/lib/components/LanguageSwitch.svelte', 'src/lib/domain/privacy.ts']) {
			expect(names).toContain(expected);
		}
		expect(used.size).toBeGreaterThan(60);
	});

	it('has every message the member pages use, in nb, nn and en', () => {
		for (const language of ['nb', 'nn', 'en'] as const) {
			for (const route of ['/join', '/join/[code]']) {
				const part = catalogueFor(language, route);
				const missing = [...used].filter((key) => !(key in part));
				expect(missing, `${language} ${route}`).toEqual([]);
			}
		}
		expect([...prefixes].filter((prefix) => !MEMBER_PREFIXES.includes(prefix))).toEqual([]);
	});

	it('is a quarter of the whole, and other pages get the whole', () => {
		const part = Object.keys(catalogueFor('nb', '/join/[code]')).length;
		expect(part).toBeLessThan(keys.size / 3);
		expect(catalogueFor('nb', '/facilitate/[id]')).toBe(catalogues.nb);
		expect(catalogueFor('en', null)).toBe(catalogues.en);
	});
});
