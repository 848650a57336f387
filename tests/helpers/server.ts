import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { readWorkshopRecord } from '../../src/lib/server/store/lowdb/journal';
import { PostgresStore } from '../../src/lib/server/store/postgres/postgres-store';
import { databaseFor } from './postgres';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

export interface RunningServer {
	url: string;
	dataDir: string;
	child: ChildProcess;
	/** server output so far, for failure messages */
	output: () => string;
	/** SIGTERM and wait for the exit */
	stop: () => Promise<void>;
	/** SIGKILL (a crash) and wait for the exit */
	kill: () => Promise<void>;
}

const ENTRY = resolve('build/server.js');

/**
 * The node flags the app is served with: those of package.json's `serve` script (what `npm start`
 * and the README's several processes run), so tests and benches run the build as it is served.
 */
export const SERVE_FLAGS: string[] = (() => {
	const serve = (JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.serve!;
	const words = serve.split(/\s+/);
	if (words[0] !== 'node' || words.at(-1) !== 'build/server.js') throw new Error(`package.json's serve script should be "node [flags] build/server.js", not "${serve}"`);
	return words.slice(1, -1);
})();

export async function newDataDir(): Promise<string> {
	return mkdtemp(join(tmpdir(), 'risikoverksted-test-'));
}

/** Starts the production build (`npm run build` first) on a free port of 127.0.0.1. */
export async function startServer(
	options: { dataDir?: string; env?: Record<string, string>; nodeArgs?: string[]; entry?: string } = {}
): Promise<RunningServer> {
	const entry = options.entry ?? ENTRY;
	if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" before the integration tests.`);
	const dataDir = options.dataDir ?? (await newDataDir());
	// the PostgreSQL run (STORE=postgres, tests/helpers/postgres-setup.ts): a database per data folder
	const database = usesPostgres() ? { DATABASE_URL: await databaseFor(process.env.POSTGRES_ADMIN_URL!, dataDir) } : {};
	// an app build (this one, or an older one to compare) is run as served; other entries (the bench's ceiling) as they are
	const flags = basename(entry) === 'server.js' ? SERVE_FLAGS : [];
	const child = spawn(process.execPath, [...flags, ...(options.nodeArgs ?? []), entry], {
		// tests and benches make many workshops and members from one address: those limits have tests of their own
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CREATE_BURST: '100000', NEW_MEMBERS_BURST: '100000', MAX_MEMBERS_PER_WORKSHOP: '100000', ...database, ...options.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const exited = new Promise<void>((done) => child.once('exit', () => done()));
	const url = await new Promise<string>((done, fail) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening on (http:\/\/[\w.:]+)/.exec(output);
			if (match?.[1]) done(match[1]);
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.once('exit', (code) => fail(new Error(`server exited with ${code} before listening:\n${output}`)));
		setTimeout(() => fail(new Error(`server did not start in 20 s:\n${output}`)), 20_000);
	});
	const end = async (signal: NodeJS.Signals) => {
		if (child.exitCode === null && child.signalCode === null) child.kill(signal);
		await exited;
	};
	return { url, dataDir, child, output: () => output, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

/** True in the run of the suite on PostgreSQL (STORE=postgres). */
export function usesPostgres(): boolean {
	return process.env.STORE === 'postgres' && Boolean(process.env.POSTGRES_ADMIN_URL);
}

/** A workshop as stored: on disk its snapshot with its journal replayed; in PostgreSQL its rows. */
export async function storedWorkshop(dataDir: string, workshopId: string) {
	if (!usesPostgres()) return readWorkshopRecord(join(dataDir, 'workshops', `${workshopId}.json`));
	const store = new PostgresStore(await databaseFor(process.env.POSTGRES_ADMIN_URL!, dataDir), { poolSize: 2 });
	try {
		return (await store.workshops.open(workshopId)).data;
	} finally {
		await store.close();
	}
}

/** The raw text of a workshop's files (snapshot and journal), to check that nothing changed. */
export async function storedWorkshopText(dataDir: string, workshopId: string): Promise<string> {
	if (usesPostgres()) return JSON.stringify(await storedWorkshop(dataDir, workshopId));
	const base = join(dataDir, 'workshops', workshopId);
	const journal = await readFile(`${base}.journal`, 'utf8').catch(() => '');
	return `${await readFile(`${base}.json`, 'utf8')}\n--journal--\n${journal}`;
}

type Kind = 'workshops' | 'assessments' | 'templates';

/** Runs a query on a data folder's database (the PostgreSQL run). */
async function onDatabase<R>(dataDir: string, work: (client: pg.Client) => Promise<R>): Promise<R> {
	const client = new pg.Client({ connectionString: await databaseFor(process.env.POSTGRES_ADMIN_URL!, dataDir) });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/** True when the store holds the record (a file; a row). */
export async function isStored(dataDir: string, kind: Kind, id: string): Promise<boolean> {
	if (!usesPostgres()) return existsSync(join(dataDir, kind, `${id}.json`));
	return onDatabase(dataDir, async (client) => Boolean((await client.query(`SELECT 1 FROM ${kind} WHERE id = $1`, [id])).rowCount));
}

/** Everything the store holds, as text (every file; every row of every table), to look for what must not be there. */
export async function storedText(dataDir: string): Promise<string> {
	if (!usesPostgres()) {
		const texts: string[] = [];
		for (const kind of ['workshops', 'assessments', 'templates'] as const) {
			const folder = join(dataDir, kind);
			if (!existsSync(folder)) continue;
			for (const file of await readdir(folder)) texts.push(await readFile(join(folder, file), 'utf8'));
		}
		return texts.join('\n');
	}
	return onDatabase(dataDir, async (client) => {
		const texts: string[] = [];
		for (const table of ['workshops', 'participants', 'ratings', 'assessments', 'templates']) {
			for (const row of (await client.query(`SELECT row_to_json(t)::text AS text FROM ${table} t`)).rows) texts.push(row.text);
		}
		return texts.join('\n');
	});
}

/** Makes a stored workshop look last changed at `updatedAt` (for the retention test); the server must be stopped. */
export async function setStoredUpdatedAt(dataDir: string, workshopId: string, updatedAt: string): Promise<void> {
	if (!usesPostgres()) {
		const path = join(dataDir, 'workshops', `${workshopId}.json`);
		const record = JSON.parse(await readFile(path, 'utf8'));
		record.workshop.updatedAt = updatedAt;
		await writeFile(path, JSON.stringify(record));
		// the index holds each workshop's summary: without it, it is rebuilt from the files
		await rm(join(dataDir, 'index.json'));
		return;
	}
	await onDatabase(dataDir, (client) =>
		client.query(`UPDATE workshops SET updated_at = $2, settings = jsonb_set(settings, '{updatedAt}', to_jsonb($2::text)) WHERE id = $1`, [workshopId, updatedAt])
	);
}

/**
 * Puts a workshop into the store by hand, as JSON text (a file written by hand or an older version;
 * a row), to see how the server treats data it did not write. The server must be stopped.
 */
export async function storeRawWorkshop(dataDir: string, id: string, json: string): Promise<void> {
	if (!usesPostgres()) {
		await mkdir(join(dataDir, 'workshops'), { recursive: true });
		await writeFile(join(dataDir, 'workshops', `${id}.json`), json);
		return;
	}
	// JSON.parse keeps a "__proto__" key as data, and JSON.stringify writes it back
	const record = JSON.parse(json) as { workshop: { joinCode: string; status: string; updatedAt: string } };
	const settings = JSON.stringify(record.workshop);
	await onDatabase(dataDir, (client) =>
		client.query(`INSERT INTO workshops (id, join_code, assessment_id, kind, status, updated_at, settings) VALUES ($1, $2, NULL, 'standalone', $3, $4, $5::jsonb)`, [
			id,
			record.workshop.joinCode,
			record.workshop.status,
			record.workshop.updatedAt,
			settings
		])
	);
}
