/**
 * vitest globalSetup of the PostgreSQL run (STORE=postgres): one throwaway cluster for all test
 * files; each test server gets a database of its own (tests/helpers/server.ts).
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';

export default async function setup(project: TestProject) {
	if (process.env.STORE !== 'postgres') return;
	const cluster = await startPostgres();
	project.provide('postgresAdminUrl', cluster.adminUrl);
	process.env.POSTGRES_ADMIN_URL = cluster.adminUrl;
	return () => cluster.stop();
}

declare module 'vitest' {
	export interface ProvidedContext {
		postgresAdminUrl: string;
	}
}
