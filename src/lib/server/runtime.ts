import { resolve } from 'node:path';
import { UserError } from '../domain/errors';
import { LowdbStore } from './store/lowdb/lowdb-store';
import { PostgresStore } from './store/postgres/postgres-store';
import type { Store } from './store/store';
import { WorkshopService } from './workshops/workshop-service';
import { AssessmentService } from './workshops/assessment-service';
import { Rehearsals } from './workshops/rehearsal';
import { BucketsByKey } from './guards/rate-limit';
import { LIMITS } from './guards/limits';

export interface Runtime {
	service: WorkshopService;
	assessments: AssessmentService;
	/** rehearsals with simulated members (nothing of them is kept) */
	rehearsals: Rehearsals;
	store: Store;
	dataDir: string;
	/** workshops, assessments and templates made per address (CREATE_BURST, CREATE_PER_HOUR) */
	creations: BucketsByKey;
}

// Kept on globalThis: in dev, Vite may load this module more than once, and the socket server
// and the routes must share one service.
const KEY = Symbol.for('risikoverksted.runtime');
type Holder = { [KEY]?: Promise<Runtime> };

async function start(): Promise<Runtime> {
	const dataDir = resolve(process.env.DATA_DIR ?? 'data');
	// DATABASE_URL selects PostgreSQL; without it the embedded lowdb files under DATA_DIR
	const store = process.env.DATABASE_URL ? new PostgresStore(process.env.DATABASE_URL) : new LowdbStore(dataDir);
	const problems = await store.open().catch((error: Error) => {
		if (store instanceof PostgresStore) {
			console.error(`Cannot use the database at ${store.location}: ${error.message}. Check DATABASE_URL and that PostgreSQL is running.`);
			process.exit(1);
		}
		throw error;
	});
	for (const problem of problems) console.error(`Skipped ${problem.file}: ${problem.message}`);
	// past MAX_DATA_MB nothing new is made; running workshops go on
	const checkSpace = () => {
		if (store.bytesUsed() >= LIMITS.maxDataBytes) {
			console.error(`The stored data has reached MAX_DATA_MB (${Math.round(LIMITS.maxDataBytes / 1048576)} MB): new workshops, lists and members are refused.`);
			throw new UserError('error.storage.quota', {}, 507);
		}
	};
	const service = new WorkshopService(store.workshops, { checkSpace });
	const assessments = new AssessmentService(store, service, { checkSpace });
	startRetention(service);
	const rehearsals = new Rehearsals(service);
	// a rehearsal left by a run that stopped is not kept
	void rehearsals.sweep().then((count) => count && console.log(`Deleted ${count} rehearsal(s) left from the last run.`));
	const creations = new BucketsByKey(LIMITS.createPerHour / 3600, LIMITS.createBurst);
	return { service, assessments, rehearsals, store, dataDir, creations };
}

/**
 * RETENTION_DAYS=N: closed standalone workshops are deleted N days after their last change
 * (checked at start and every hour). Unset: kept until the facilitator deletes them.
 */
function startRetention(service: WorkshopService): void {
	const days = Number(process.env.RETENTION_DAYS);
	if (!process.env.RETENTION_DAYS || !Number.isFinite(days) || days < 0) return;
	const sweep = () =>
		service
			.deleteExpired(days)
			.then((ids) => ids.length && console.log(`Retention: deleted ${ids.length} workshop(s) closed more than ${days} day(s) ago.`))
			.catch((error: Error) => console.error('Retention sweep failed:', error.message));
	void sweep();
	setInterval(sweep, 60 * 60 * 1000).unref();
}

/** The process-wide service, loaded from DATA_DIR (default ./data) on first use. */
export function getRuntime(): Promise<Runtime> {
	const holder = globalThis as Holder;
	holder[KEY] ??= start();
	return holder[KEY];
}
