/**
 * Issue 23, item 12: every SQL statement takes values as parameters ($1, $2 …). What is put into a
 * statement's text is code, never input: a table or column list named in the code, or a fixed
 * clause. This reads the PostgreSQL store's source and checks every interpolation in a query.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FOLDER = 'src/lib/server/store/postgres';
/** What may stand inside ${…} in a statement's text: names from the code and fixed clauses. */
const CODE_ONLY = new Set(['this.table', 'SUMMARY_COLUMNS', 'where', 'CHANNEL', "lock ? ' FOR UPDATE' : ''"]);

describe('the SQL of the PostgreSQL store', () => {
	it('puts no value into a statement’s text: values go as parameters', () => {
		const interpolations: { file: string; code: string }[] = [];
		for (const file of readdirSync(FOLDER).filter((name) => name.endsWith('.ts'))) {
			const source = readFileSync(join(FOLDER, file), 'utf8');
			// a query's text: the template literal right after query( or query<…>(
			for (const match of source.matchAll(/\.query(?:<[^>]*>)?\(\s*`([^`]*)`/g)) {
				for (const part of match[1]!.matchAll(/\$\{([^}]*)\}/g)) interpolations.push({ file, code: part[1]! });
			}
		}
		expect(interpolations.length).toBeGreaterThan(0);
		for (const { file, code } of interpolations) expect(CODE_ONLY.has(code), `${file}: \${${code}}`).toBe(true);
	});

	it('calls the one clause built in code only with fixed text', () => {
		const source = readFileSync(join(FOLDER, 'workshops.ts'), 'utf8');
		const calls = [...source.matchAll(/this\.#discoverWhere\(([^,]*),/g)].map((match) => match[1]!.trim());
		expect(calls.length).toBeGreaterThan(0);
		for (const clause of calls) expect(clause, clause).toMatch(/^'[a-z_]+ = \$1'$/);
	});
});
