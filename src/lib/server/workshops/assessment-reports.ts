import { createHash } from 'node:crypto';
import { UserError } from '../../domain/errors';
import type { Weighting } from '../../domain/combined';
import type { ExportSource } from '../export/assessment-export';
import type { AssessmentSettings, ReportVersionRecord } from '../store/records';
import type { Collection, ReportVersionSummary } from '../store/store';
import { onDisk } from '../store/storage-errors';
import { randomId } from './secrets';

export type ReportFileKind = 'pdf' | 'xlsx' | 'json';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * What a report's data is, as a checksum: the same assessment, answers and settings give the same
 * state, whenever and wherever the report is made (the time it was made and its version label
 * left out). A report of the state of the last final version is that version.
 */
export function stateOf(source: ExportSource): string {
	const { exportedAt: _, ...rest } = source;
	const { reportVersion: __, ...assessment } = rest.assessment;
	return sha256(JSON.stringify({ ...rest, assessment }));
}

/**
 * The final versions of an assessment's report. Marking a version final keeps its PDF, workbook
 * and JSON as they were made, with a checksum of each; they never change after. Until the next is
 * marked, a report of changed data is a draft of the next version.
 */
export class ReportVersions {
	readonly #store: Collection<ReportVersionRecord, ReportVersionSummary>;

	constructor(store: Collection<ReportVersionRecord, ReportVersionSummary>) {
		this.#store = store;
	}

	/** The final versions of an assessment, oldest first. */
	list(assessmentId: string): (ReportVersionSummary & { id: string })[] {
		return [...this.#store.summaries]
			.filter(([, summary]) => summary.assessmentId === assessmentId)
			.map(([id, summary]) => ({ id, ...summary }))
			.sort((a, b) => a.number - b.number);
	}

	/** Which version a report of `state` is: the last final one when nothing changed since, else a draft of the next. */
	label(assessmentId: string, state: string): { number: number; final: boolean } {
		const last = this.list(assessmentId).at(-1);
		if (last && last.state === state) return { number: last.number, final: true };
		return { number: (last?.number ?? 0) + 1, final: false };
	}

	/** Keeps a final version's files as they are; answers its number. */
	async save(
		settings: AssessmentSettings,
		weighting: Weighting,
		state: string,
		number: number,
		files: { pdf: Uint8Array; xlsx: Uint8Array; json: string }
	): Promise<number> {
		if (this.list(settings.id).some((version) => version.number === number)) throw new UserError('error.version.exists', { number }, 409);
		const record: ReportVersionRecord = {
			version: 1,
			report: {
				id: randomId(),
				assessmentId: settings.id,
				number,
				finalAt: new Date().toISOString(),
				weighting,
				state,
				signOff: settings.signOff,
				files: { pdf: Buffer.from(files.pdf).toString('base64'), xlsx: Buffer.from(files.xlsx).toString('base64'), json: files.json },
				sha256: { pdf: sha256(files.pdf), xlsx: sha256(files.xlsx), json: sha256(files.json) }
			}
		};
		await onDisk('keep a final report', () => this.#store.create(record));
		return number;
	}

	/** One file of a final version, as it was kept, with its checksum. */
	async file(assessmentId: string, number: number, kind: ReportFileKind): Promise<{ bytes: Uint8Array; sha256: string }> {
		const found = this.list(assessmentId).find((version) => version.number === number);
		if (!found) throw new UserError('error.version.notFound', { number }, 404);
		const { report } = (await this.#store.open(found.id)).data;
		const bytes = kind === 'json' ? new TextEncoder().encode(report.files.json) : new Uint8Array(Buffer.from(report.files[kind], 'base64'));
		return { bytes, sha256: report.sha256[kind] };
	}

	/** The final versions go with their assessment. */
	async removeAll(assessmentId: string): Promise<void> {
		for (const version of this.list(assessmentId)) await onDisk('delete a final report', () => this.#store.remove(version.id));
	}
}
