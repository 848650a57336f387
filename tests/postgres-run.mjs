// The integration tests again, on PostgreSQL (STORE=postgres): a throwaway cluster of Debian's
// postgresql (tests/helpers/postgres-setup.ts), a database per test server. Without PostgreSQL
// installed it says so and skips (bash .ci/run installs it, so CI always runs it).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const root = '/usr/lib/postgresql';
const installed = existsSync(root) && readdirSync(root).some((version) => existsSync(`${root}/${version}/bin/initdb`));
if (!installed) {
	console.warn('PostgreSQL is not installed (apt-get install postgresql): the integration tests on PostgreSQL are skipped.');
	process.exit(0);
}
console.log('The integration tests on PostgreSQL (STORE=postgres):');
const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'integration', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, STORE: 'postgres' }
});
process.exit(run.status ?? 1);
