import { resolve } from 'node:path';
import { WorkshopStore } from './store/record-file';
import { WorkshopService } from './workshops/workshop-service';
import { AssessmentService } from './workshops/assessment-service';

export interface Runtime {
	service: WorkshopService;
	assessments: AssessmentService;
	dataDir: string;
}

// Kept on globalThis: in dev, Vite may load this module more than once, and the socket server
// and the routes must share one service.
const KEY = Symbol.for('risikoverksted.runtime');
type Holder = { [KEY]?: Promise<Runtime> };

async function start(): Promise<Runtime> {
	const dataDir = resolve(process.env.DATA_DIR ?? 'data');
	const service = new WorkshopService(new WorkshopStore(dataDir));
	const assessments = new AssessmentService(dataDir, service);
	const problems = [...(await service.load()), ...(await assessments.load())];
	for (const problem of problems) console.error(`Skipped ${problem.file}: ${problem.message}`);
	startRetention(service);
	return { service, assessments, dataDir };
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
