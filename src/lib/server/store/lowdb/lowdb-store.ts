import { access, constants, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { assessmentRecordSchema, reportVersionRecordSchema, templateRecordSchema, workshopRecordSchema, type AssessmentRecord, type ReportVersionRecord, type TemplateRecord, type WorkshopRecord } from '../records';
import {
	assessmentSummary,
	reportVersionSummary,
	templateSummary,
	workshopSummary,
	type AssessmentSummary,
	type LoadProblem,
	type ReportVersionSummary,
	type Store,
	type TemplateSummary,
	type WorkshopSummary
} from '../store';
import { AtomicJsonFile } from './json-file';
import { isUsableId } from '../../../domain/ids';
import { WORKSHOP_JOURNAL } from './journal';
import { LowdbCollection } from './collection';
import { RecordFile } from './record-file';

/** index.json: every record's summary, so start-up reads one file instead of every record. */
const indexSchema = z.object({
	version: z.literal(1),
	workshops: z.array(z.tuple([z.string(), z.unknown()])),
	assessments: z.array(z.tuple([z.string(), z.unknown()])),
	templates: z.array(z.tuple([z.string(), z.unknown()])),
	/** added with final report versions: older indexes have none */
	reports: z.array(z.tuple([z.string(), z.unknown()])).default([])
});
type IndexData = z.infer<typeof indexSchema>;

/**
 * The embedded store: lowdb JSON files under DATA_DIR, one per record, a journal of ratings and
 * new members beside each workshop, and index.json with every record's summary. Records are read
 * when first asked for; start-up reads the index and lists the folders, so its time and memory do
 * not grow with the records' contents.
 */
export class LowdbStore implements Store {
	readonly location: string;
	readonly workshops: LowdbCollection<WorkshopRecord, WorkshopSummary>;
	readonly assessments: LowdbCollection<AssessmentRecord, AssessmentSummary>;
	readonly templates: LowdbCollection<TemplateRecord, TemplateSummary>;
	readonly reports: LowdbCollection<ReportVersionRecord, ReportVersionSummary>;
	readonly #index: RecordFile<IndexData>;
	/** one process owns the files: nothing to tell others */
	readonly bus = null;
	#bytes = 0;

	constructor(dataDir: string) {
		this.location = dataDir;
		const indexChanged = () => this.#writeIndex();
		const bytes = (delta: number) => (this.#bytes += delta);
		this.workshops = new LowdbCollection(
			dataDir,
			{
				folder: 'workshops',
				what: 'a workshop',
				schema: workshopRecordSchema as z.ZodType<WorkshopRecord>,
				idOf: (record) => record.workshop.id,
				summaryOf: workshopSummary,
				journal: WORKSHOP_JOURNAL
			},
			indexChanged,
			bytes
		);
		this.assessments = new LowdbCollection(
			dataDir,
			{
				folder: 'assessments',
				what: 'an assessment',
				schema: assessmentRecordSchema as z.ZodType<AssessmentRecord>,
				idOf: (record) => record.assessment.id,
				summaryOf: assessmentSummary
			},
			indexChanged,
			bytes
		);
		this.templates = new LowdbCollection(
			dataDir,
			{
				folder: 'templates',
				what: 'a template',
				schema: templateRecordSchema as z.ZodType<TemplateRecord>,
				idOf: (record) => record.template.id,
				summaryOf: templateSummary
			},
			indexChanged,
			bytes
		);
		this.reports = new LowdbCollection(
			dataDir,
			{
				folder: 'reports',
				what: 'a final report',
				schema: reportVersionRecordSchema as z.ZodType<ReportVersionRecord>,
				idOf: (record) => record.report.id,
				summaryOf: reportVersionSummary
			},
			indexChanged,
			bytes
		);
		this.#index = new RecordFile<IndexData>(new AtomicJsonFile(join(dataDir, 'index.json')), this.#indexData());
	}

	#indexData(): IndexData {
		return {
			version: 1,
			workshops: [...this.workshops.summaries],
			assessments: [...this.assessments.summaries],
			templates: [...this.templates.summaries],
			reports: [...this.reports.summaries]
		};
	}

	#writeIndex(): Promise<void> {
		this.#index.db.data = this.#indexData();
		return this.#index.persist();
	}

	bytesUsed(): number {
		return this.#bytes;
	}

	/**
	 * Reads the index and checks it against the folders (reading only files it does not know). An
	 * index that cannot be read is moved aside and rebuilt from the files. Returns what could not
	 * be read; those files are left as they are.
	 */
	async open(): Promise<LoadProblem[]> {
		const path = join(this.location, 'index.json');
		const problems: LoadProblem[] = [];
		try {
			const raw = await new AtomicJsonFile(path).read();
			if (raw !== null) {
				const parsed = indexSchema.safeParse(raw);
				if (!parsed.success) throw new Error('it is not an index file');
				const usable = <S>(entries: [string, unknown][]) => entries.filter(([id]) => isUsableId(id)) as [string, S][];
				this.workshops.adopt(usable<WorkshopSummary>(parsed.data.workshops));
				this.assessments.adopt(usable<AssessmentSummary>(parsed.data.assessments));
				this.templates.adopt(usable<TemplateSummary>(parsed.data.templates));
				this.reports.adopt(usable<ReportVersionSummary>(parsed.data.reports));
			}
		} catch (error) {
			const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
			await rename(path, aside).catch(() => {});
			console.error(`Could not read ${path} (${(error as Error).message}); it is kept as ${aside} and the index is rebuilt from the files.`);
		}
		let changed = false;
		for (const collection of [this.workshops, this.assessments, this.templates, this.reports] as const) {
			const { problems: unread, added, dropped } = await collection.reconcile();
			problems.push(...unread);
			if (added || dropped) {
				changed = true;
				console.log(`${collection.directory}: ${added} file(s) added to the index, ${dropped} entr(y/ies) without a file dropped.`);
			}
		}
		if (changed) await this.#writeIndex();
		// the bytes stored, counted in the background: start-up does not wait for it
		void Promise.all([this.workshops, this.assessments, this.templates, this.reports].map((c) => c.bytesOnDisk())).then((sizes) => {
			this.#bytes += sizes.reduce((a, b) => a + b, 0);
		});
		return problems;
	}

	/** Ready when the data folder can be written. */
	async ping(): Promise<void> {
		await access(this.location, constants.W_OK);
	}

	async close(): Promise<void> {}
}
