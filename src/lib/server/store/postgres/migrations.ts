/**
 * The PostgreSQL schema, as numbered migrations applied in order at start (docs/scaling.md). Each
 * runs once, in its own transaction, under an advisory lock so that processes starting together
 * do not race; `schema_migrations` records what has run. Never edit a migration that has shipped:
 * add the next number.
 */
import type { Pool } from 'pg';

export interface Migration {
	version: number;
	name: string;
	sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		name: 'records, members and ratings',
		sql: `
			-- a workshop's settings (everything but its members and ratings) as the app keeps them
			CREATE TABLE workshops (
				id text PRIMARY KEY,
				join_code text NOT NULL UNIQUE,
				assessment_id text,
				kind text NOT NULL,
				status text NOT NULL,
				updated_at text NOT NULL,
				settings jsonb NOT NULL
			);
			-- members: a row each, in the order they joined
			CREATE TABLE participants (
				workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
				id text NOT NULL,
				seq bigserial,
				token_hash text NOT NULL,
				name text NOT NULL,
				joined_at text NOT NULL,
				PRIMARY KEY (workshop_id, id)
			);
			-- ratings are rows: one per member, point and round (a changed answer replaces it)
			CREATE TABLE ratings (
				workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
				participant_id text NOT NULL,
				risk_point_id text NOT NULL,
				round integer NOT NULL CHECK (round >= 1),
				seq bigserial,
				likelihood integer,
				consequence integer,
				knowledge text,
				comment text,
				at text NOT NULL,
				PRIMARY KEY (workshop_id, participant_id, risk_point_id, round)
			);
			CREATE TABLE assessments (id text PRIMARY KEY, updated_at text NOT NULL, data jsonb NOT NULL);
			CREATE TABLE templates (id text PRIMARY KEY, data jsonb NOT NULL);
		`
	},
	{
		version: 2,
		name: 'change numbers: any process serves any workshop',
		sql: `
			-- every commit that changes a workshop takes the next number (under the row's lock) and stamps its rows
			ALTER TABLE workshops ADD COLUMN seq bigint NOT NULL DEFAULT 0, ADD COLUMN settings_version bigint NOT NULL DEFAULT 0;
			ALTER TABLE participants ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
			ALTER TABLE ratings ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
			-- what a process lacks is read by number
			CREATE INDEX ratings_by_change ON ratings (workshop_id, change_seq);
			CREATE INDEX participants_by_change ON participants (workshop_id, change_seq);
		`
	},
	{
		version: 3,
		name: 'room on each page for the next change number',
		sql: `
			-- every commit of ratings updates its workshop's row (the next change number): with the pages
			-- full, most of those updates could not stay on the row's page (HOT), so each added entries to
			-- both of the table's indexes and more WAL. Pages filled to a tenth leave room (new rows, and
			-- rows moved on their next update).
			ALTER TABLE workshops SET (fillfactor = 10);
		`
	},
	{
		version: 4,
		name: 'final versions of reports',
		sql: `
			-- a final version of an assessment's report: its files and checksums, one JSON document, kept unchanged
			CREATE TABLE reports (id text PRIMARY KEY, data jsonb NOT NULL);
		`
	},
	{
		version: 5,
		name: 'answers per consequence type',
		sql: `
			-- a workshop by consequence type (DSB's method): the member's answer per type, as a JSON array
			-- (a level, null for "don't know", "na" for "not relevant"); null in other workshops
			ALTER TABLE ratings ADD COLUMN types jsonb;
		`
	}
];

/** Applies the migrations this database has not had yet; returns the versions applied. */
export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
	const client = await pool.connect();
	try {
		// one process at a time; the others wait and then find nothing left to do
		await client.query('SELECT pg_advisory_lock(4711)');
		await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
		const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
		const applied: number[] = [];
		for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
			if (done.has(migration.version)) continue;
			await client.query('BEGIN');
			try {
				await client.query(migration.sql);
				await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
				await client.query('COMMIT');
				applied.push(migration.version);
			} catch (error) {
				await client.query('ROLLBACK');
				throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`);
			}
		}
		return applied;
	} finally {
		await client.query('SELECT pg_advisory_unlock(4711)').catch(() => {});
		client.release();
	}
}
