/**
 * The load bench on PostgreSQL, with the database's own count of commits: a throwaway cluster
 * (tests/helpers/postgres.ts), the app on it (STORE=postgres: a database per server), the load
 * generator's ratings, and pg_stat_database's xact_commit before and after, so the line shows how
 * many commits the ratings took (grouped commits: far fewer than ratings).
 *
 *   npx tsx bench/postgres-commits.ts -- --workshops 40 --members 50 --rate 1000 --duration 20
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { startPostgres } from '../tests/helpers/postgres';

const cluster = await startPostgres();
const commits = async () => {
	const admin = new pg.Client({ connectionString: cluster.adminUrl });
	await admin.connect();
	const rows = await admin.query<{ n: string }>("SELECT coalesce(sum(xact_commit), 0) AS n FROM pg_stat_database WHERE datname LIKE 'rk_%'");
	await admin.end();
	return Number(rows.rows[0]!.n);
};
try {
	const args = process.argv.slice(2).filter((arg) => arg !== '--');
	const before = await commits();
	const started = Date.now();
	const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/load.ts', '--target', 'app', ...args], {
		env: { ...process.env, STORE: 'postgres', POSTGRES_ADMIN_URL: cluster.adminUrl },
		encoding: 'utf8'
	});
	process.stdout.write(run.stdout);
	process.stderr.write(run.stderr);
	// pg_stat_database is updated when a backend's transaction statistics are flushed (within a second)
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const after = await commits();
	const acked = Number(/acked=(\d+)/.exec(run.stdout)?.[1] ?? 0);
	const seconds = (Date.now() - started) / 1000;
	console.log(`BENCH postgres commits=${after - before} ratingsAcked=${acked} ratingsPerCommit=${acked && after > before ? (acked / (after - before)).toFixed(1) : '-'} wallSeconds=${seconds.toFixed(0)}`);
} finally {
	cluster.stop();
}
