import { COUNTY_GOVERNORS } from '../../domain/assessment';
import { combineResults, type CombinedResults, type Weighting } from '../../domain/combined';
import { UserError } from '../../domain/errors';
import { checkRiskPointInputs, finalizeRiskPoints } from '../../domain/risk-points';
import { defaultMatrix, defaultScales, LEVELS } from '../../domain/scales';
import type { RiskPoint, RiskPointInput } from '../../domain/types';
import { translate } from '../../i18n/translate';
import type { AssessmentOverview, CreateAssessmentInput } from '../../protocol';
import type { LiveWorkshop } from './live-workshop';
import {
	assessmentRecordSchema,
	templateRecordSchema,
	type AssessmentRecord,
	type AssessmentSettings,
	type TemplateRecord
} from '../store/records';
import { hashSecret, newSecret, randomId, secretMatches } from './secrets';
import { RecordStore, onDisk, type RecordFile } from '../store/record-file';
import type { CreatedWorkshop, WorkshopService } from './workshop-service';
import type { z } from 'zod';

export interface CreatedAssessment {
	id: string;
	ownerKey: string;
	assessmentUrl: string;
}

export type AssessmentFile = RecordFile<AssessmentRecord>;


/**
 * Assessments: one risk-point list with its scales, and the workshops rated from it. The owner key
 * opens the assessment and acts as facilitator key of each of its workshops.
 */
export class AssessmentService {
	readonly #store: RecordStore<AssessmentRecord>;
	readonly #templates: RecordStore<TemplateRecord>;
	readonly #workshops: WorkshopService;
	readonly #assessments = new Map<string, AssessmentFile>();
	readonly #templateFiles = new Map<string, RecordFile<TemplateRecord>>();

	constructor(dataDir: string, workshops: WorkshopService) {
		this.#store = new RecordStore(
			dataDir,
			'assessments',
			assessmentRecordSchema as z.ZodType<AssessmentRecord>,
			(record) => record.assessment.id,
			'an assessment'
		);
		this.#templates = new RecordStore(
			dataDir,
			'templates',
			templateRecordSchema as z.ZodType<TemplateRecord>,
			(record) => record.template.id,
			'a template'
		);
		this.#workshops = workshops;
		workshops.assessmentOwnerHash = (id) => this.#assessments.get(id)?.data.assessment.ownerKeyHash;
	}

	async load() {
		const assessments = await this.#store.loadAll();
		for (const file of assessments.files) this.#assessments.set(file.data.assessment.id, file);
		const templates = await this.#templates.loadAll();
		for (const file of templates.files) this.#templateFiles.set(file.data.template.id, file);
		return [...assessments.problems, ...templates.problems];
	}

	#persist(file: AssessmentFile): Promise<void> {
		return onDisk(`save assessment ${file.data.assessment.id}`, () => file.persist());
	}

	/** True when this process holds the assessment. */
	has(id: string): boolean {
		return this.#assessments.has(id);
	}

	get(id: string): AssessmentFile {
		const file = this.#assessments.get(id);
		if (!file) throw new UserError('error.assessment.notFound', {}, 404);
		return file;
	}

	/** The assessment an owner key opens: 401 without a key, 403 with a wrong one. */
	authenticate(id: string, ownerKey: string | null): AssessmentFile {
		const file = this.get(id);
		if (!ownerKey) throw new UserError('error.auth.missingKey', {}, 401);
		if (!secretMatches(ownerKey, file.data.assessment.ownerKeyHash)) throw new UserError('error.auth.wrongKey', {}, 403);
		return file;
	}

	async create(input: CreateAssessmentInput, origin: string): Promise<CreatedAssessment> {
		const language = input.language ?? 'nb';
		const template = input.templateId ? this.template(input.templateId) : undefined;
		const inputs: RiskPointInput[] = input.riskPoints ?? template?.riskPoints ?? [];
		checkRiskPointInputs(inputs);
		const now = new Date().toISOString();
		const riskPoints = finalizeRiskPoints(inputs, () => randomId(6)).map((point) => ({ ...point, addedAt: now }));
		const ownerKey = newSecret();
		const record: AssessmentRecord = {
			version: 1,
			assessment: {
				id: randomId(),
				title: input.title,
				description: input.description ?? '',
				language,
				scales: input.scales ?? template?.scales ?? defaultScales(language),
				matrix: defaultMatrix(),
				riskPoints,
				ownerKeyHash: hashSecret(ownerKey),
				workshopIds: [],
				createdAt: now,
				updatedAt: now
			}
		};
		const file = await onDisk('create an assessment file', () => this.#store.create(record));
		this.#assessments.set(record.assessment.id, file);
		return { id: record.assessment.id, ownerKey, assessmentUrl: `${origin}/assessments/${record.assessment.id}#key=${ownerKey}` };
	}

	/** The assessment's workshops, in creation order (missing files skipped). */
	workshopsOf(file: AssessmentFile): LiveWorkshop[] {
		return file.data.assessment.workshopIds.flatMap((id) => {
			try {
				return [this.#workshops.get(id)];
			} catch {
				return [];
			}
		});
	}

	#hasRatings(file: AssessmentFile): boolean {
		return this.workshopsOf(file).some((workshop) => workshop.hasRatings);
	}

	async update(file: AssessmentFile, patch: { title?: string; description?: string }): Promise<void> {
		const settings = file.data.assessment;
		if (patch.title !== undefined) settings.title = patch.title;
		if (patch.description !== undefined) settings.description = patch.description;
		settings.updatedAt = new Date().toISOString();
		await this.#persist(file);
	}

	/** Replaces the list: only before any workshop has ratings (then points can only be added). */
	async setRiskPoints(file: AssessmentFile, inputs: (RiskPointInput & { id?: string })[]): Promise<RiskPoint[]> {
		if (this.#hasRatings(file)) throw new UserError('error.assessment.listLocked', {}, 409);
		checkRiskPointInputs(inputs);
		const settings = file.data.assessment;
		const keep = new Map(settings.riskPoints.map((point) => [point.id, point]));
		const now = new Date().toISOString();
		const riskPoints = finalizeRiskPoints(
			inputs.map((input) => ({ ...input, id: input.id && keep.has(input.id) ? input.id : undefined })),
			() => randomId(6)
		).map((point) => ({ ...point, addedAt: keep.get(point.id)?.addedAt ?? now }));
		settings.riskPoints = riskPoints;
		settings.updatedAt = now;
		const plain = riskPoints.map(({ addedAt: _, ...point }) => point);
		for (const workshop of this.workshopsOf(file)) await this.#workshops.replaceRiskPoints(workshop, plain);
		await this.#persist(file);
		return plain;
	}

	/**
	 * Adds points to the end of the list, also once rating has started. Workshops still running get
	 * them; closed workshops do not, and the combined results mark them as not rated there.
	 */
	async addRiskPoints(file: AssessmentFile, inputs: RiskPointInput[]): Promise<RiskPoint[]> {
		const settings = file.data.assessment;
		checkRiskPointInputs([...settings.riskPoints, ...inputs]);
		const now = new Date().toISOString();
		const all = finalizeRiskPoints([...settings.riskPoints, ...inputs], () => randomId(6));
		const added = all.slice(settings.riskPoints.length).map((point) => ({ ...point, addedAt: now }));
		settings.riskPoints = [...settings.riskPoints, ...added];
		settings.updatedAt = now;
		const plain = added.map(({ addedAt: _, ...point }) => point);
		for (const workshop of this.workshopsOf(file)) {
			if (workshop.settings.status !== 'closed') await this.#workshops.appendRiskPoints(workshop, plain);
		}
		await this.#persist(file);
		return plain;
	}

	/** A national or regional workshop with the assessment's list, scales and matrix. */
	async createWorkshop(
		file: AssessmentFile,
		request: { kind: 'national' | 'regional'; title?: string; anonymous?: boolean },
		origin: string
	): Promise<CreatedWorkshop> {
		const settings = file.data.assessment;
		if (settings.workshopIds.length >= 100) throw new UserError('error.assessment.tooManyWorkshops', { limit: 100 }, 409);
		const title =
			request.title ??
			translate(settings.language, request.kind === 'national' ? 'assessment.nationalTitle' : 'assessment.regionalTitle', {
				number: settings.workshopIds.length + 1
			});
		const created = await this.#workshops.create({ title, language: settings.language, anonymous: request.anonymous }, origin, {
			assessmentId: settings.id,
			kind: request.kind,
			riskPoints: settings.riskPoints.map(({ addedAt: _, ...point }) => point),
			scales: settings.scales,
			matrix: settings.matrix
		});
		settings.workshopIds.push(created.id);
		settings.updatedAt = new Date().toISOString();
		await this.#persist(file);
		return created;
	}

	/** One regional workshop per county governor, named after it. */
	async createCountyGovernorWorkshops(file: AssessmentFile, anonymous: boolean | undefined, origin: string) {
		const language = file.data.assessment.language;
		const created: CreatedWorkshop[] = [];
		for (const region of COUNTY_GOVERNORS) {
			const title = translate(language, 'assessment.countyGovernorTitle', { region });
			created.push(await this.createWorkshop(file, { kind: 'regional', title, anonymous }, origin));
		}
		return created;
	}

	results(file: AssessmentFile, weighting: Weighting): CombinedResults {
		const settings = file.data.assessment;
		return combineResults({
			assessment: { id: settings.id, title: settings.title },
			riskPoints: settings.riskPoints,
			weighting,
			matrix: settings.matrix,
			levelCount: LEVELS,
			workshops: this.workshopsOf(file).map((workshop) => ({
				id: workshop.settings.id,
				title: workshop.settings.title,
				kind: workshop.settings.kind,
				status: workshop.settings.status,
				members: workshop.record.participants.length,
				results: workshop.results()
			}))
		});
	}

	/** Deletes an assessment and all its workshops, from memory and disk. */
	async delete(file: AssessmentFile): Promise<void> {
		for (const workshop of this.workshopsOf(file)) await this.#workshops.delete(workshop);
		const { id } = file.data.assessment;
		this.#assessments.delete(id);
		await onDisk(`delete assessment ${id}`, async () => {
			await file.settled();
			await this.#store.remove(id);
		});
	}

	/** Saves an assessment's list and scales as a template for the next one. */
	async saveTemplate(file: AssessmentFile, title: string): Promise<{ id: string; title: string; points: number }> {
		const settings = file.data.assessment;
		const record: TemplateRecord = {
			version: 1,
			template: {
				id: randomId(),
				title,
				riskPoints: settings.riskPoints.map(({ addedAt: _, ...point }) => point),
				scales: settings.scales,
				createdAt: new Date().toISOString()
			}
		};
		this.#templateFiles.set(record.template.id, await onDisk('save a template', () => this.#templates.create(record)));
		return { id: record.template.id, title, points: record.template.riskPoints.length };
	}

	templates(): { id: string; title: string; points: number; createdAt: string }[] {
		return [...this.#templateFiles.values()]
			.map(({ data: { template } }) => ({ id: template.id, title: template.title, points: template.riskPoints.length, createdAt: template.createdAt }))
			.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
	}

	template(id: string): TemplateRecord['template'] {
		const file = this.#templateFiles.get(id);
		if (!file) throw new UserError('error.template.notFound', {}, 404);
		return file.data.template;
	}

	/** What the owner sees: the assessment and each workshop's status, members and answers. */
	overview(file: AssessmentFile, origin: string): AssessmentOverview {
		const settings: AssessmentSettings = file.data.assessment;
		return {
			id: settings.id,
			title: settings.title,
			description: settings.description,
			language: settings.language,
			scales: settings.scales,
			matrix: settings.matrix,
			riskPoints: settings.riskPoints,
			createdAt: settings.createdAt,
			updatedAt: settings.updatedAt,
			hasRatings: this.#hasRatings(file),
			workshops: this.workshopsOf(file).map((workshop) => {
				const { id, title, kind, status, joinCode, riskPoints, createdAt } = workshop.settings;
				return {
					id,
					title,
					kind,
					status,
					joinCode,
					joinUrl: `${origin}/join/${joinCode}`,
					points: riskPoints.length,
					members: workshop.record.participants.length,
					answers: workshop.record.ratings.length,
					createdAt
				};
			})
		};
	}
}

