/**
 * Copies every workshop (with its members, ratings, rounds, notes), assessment and template from
 * one store to the other: the embedded lowdb files to PostgreSQL, or back.
 *
 *   npm run migrate -- to-postgres --data ./data --database postgresql://user@host/db
 *   npm run migrate -- to-lowdb --database postgresql://user@host/db --data ./data-copy
 *
 * The target must not hold any of the records already (nothing is overwritten); the source is
 * only read. Applies the PostgreSQL migrations first. Prints what it copied.
 */
import { resolve } from 'node:path';
import { LowdbStore } from './lib/server/store/lowdb/lowdb-store';
import { PostgresStore } from './lib/server/store/postgres/postgres-store';
import type { Collection, Store } from './lib/server/store/store';

function argument(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

async function copy<T, S>(from: Collection<T, S>, to: Collection<T, S>): Promise<number> {
	let copied = 0;
	for (const id of from.summaries.keys()) {
		const handle = await from.open(id);
		await to.create(structuredClone(handle.data));
		handle.close();
		copied++;
	}
	return copied;
}

const direction = process.argv[2];
const data = argument('data') ?? process.env.DATA_DIR;
const database = argument('database') ?? process.env.DATABASE_URL;
if ((direction !== 'to-postgres' && direction !== 'to-lowdb') || !data || !database) {
	fail('Usage: npm run migrate -- to-postgres --data <folder> --database <postgresql://…>\n       npm run migrate -- to-lowdb --database <postgresql://…> --data <folder>');
}
const lowdb = new LowdbStore(resolve(data));
const postgres = new PostgresStore(database);
try {
	await Promise.all([lowdb.open(), postgres.open()]);
	const [from, to]: [Store, Store] = direction === 'to-postgres' ? [lowdb, postgres] : [postgres, lowdb];
	// nothing is overwritten: any record already in the target stops the copy before it starts
	for (const collection of ['workshops', 'assessments', 'templates', 'reports'] as const) {
		const clash = [...from[collection].summaries.keys()].filter((id) => to[collection].summaries.has(id));
		if (clash.length) fail(`The target already holds ${clash.length} ${collection} with the same id (${clash.slice(0, 3).join(', ')}): nothing was copied. Copy into an empty database or folder.`);
	}
	// templates and assessments first: a workshop of an assessment names it
	const templates = await copy(from.templates, to.templates);
	const assessments = await copy(from.assessments, to.assessments);
	const workshops = await copy(from.workshops, to.workshops);
	const reports = await copy(from.reports, to.reports);
	console.log(`Copied ${workshops} workshops, ${assessments} assessments, ${templates} templates and ${reports} final report versions from ${from.location} to ${to.location}.`);
} catch (error) {
	fail(`The copy failed: ${(error as Error).message}`);
} finally {
	await postgres.close();
}
