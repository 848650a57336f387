/**
 * A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` binaries, initdb into a
 * temporary folder (as the `postgres` user when the tests run as root: initdb refuses root), on a
 * free port of 127.0.0.1, removed after. `.ci/run` installs the package when it is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { freePort } from './ports';

/** The newest installed PostgreSQL's bin folder, or null. */
export function postgresBin(): string | null {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return null;
	const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
	return versions[0] ? join(root, versions[0], 'bin') : null;
}

export interface PostgresCluster {
	/** a URL of the cluster's `postgres` database, to make test databases with */
	adminUrl: string;
	stop: () => void;
	/** stops the database server (fast shutdown: connections are cut), keeping its data */
	pause: () => void;
	/** starts it again on the same port */
	resume: () => void;
}

/** Starts a cluster; throws with a message saying what to install when PostgreSQL is missing. */
export async function startPostgres(): Promise<PostgresCluster> {
	const bin = postgresBin();
	if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql (bash .ci/run does it).');
	const dir = mkdtempSync(join(tmpdir(), 'risikoverksted-pg-'));
	const root = userInfo().uid === 0;
	const run = (command: string, args: string[]) => {
		const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
		const result = spawnSync(file, argv, { encoding: 'utf8' });
		if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
	};
	if (root) {
		chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
	}
	const data = join(dir, 'data');
	run('initdb', ['-D', data, '-U', 'risiko', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
	const port = await freePort();
	const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300`, 'start']);
	start();
	return {
		adminUrl: `postgresql://risiko@127.0.0.1:${port}/postgres`,
		pause: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
		resume: start,
		stop: () => {
			try {
				run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
			} catch {
				// already stopped
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}

/** The database a test's data folder stands for (a restart on the same folder finds the same data). */
export function databaseNameFor(dataDir: string): string {
	return `rk_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
}

/** The URL of the data folder's database, made when it does not exist yet. */
export async function databaseFor(adminUrl: string, dataDir: string): Promise<string> {
	const name = databaseNameFor(dataDir);
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	try {
		const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
		if (!exists.rowCount) await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}
