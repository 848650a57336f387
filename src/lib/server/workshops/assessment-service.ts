import { COUNTY_GOVERNORS, FORMER_COUNTY_GOVERNOR_NAMES } from '../../domain/assessment';
import { privacySettings, strictness } from '../../domain/privacy';
import { combineResults, type CombinedResults, type Weighting } from '../../domain/combined';
import { UserError } from '../../domain/errors';
import { checkRiskPointInputs, finalizeRiskPoints, withEditedText } from '../../domain/risk-points';
import { LEVELS } from '../../domain/scales';
import { newAssessmentRecord } from './new-assessment';
import type { RiskPoint, RiskPointInput } from '../../domain/types';
import { translate } from '../../i18n/translate';
import type { AssessmentOverview, AssessmentPatch, CreateAssessmentInput } from '../../protocol';
import type { LiveWorkshop } from './live-workshop';
import type { AssessmentRecord, ReportVersionRecord, TemplateRecord } from '../store/records';
import { RecordUnreadable, type AssessmentSummary, type Collection, type RecordHandle, type ReportVersionSummary, type TemplateSummary } from '../store/store';
import { onDisk, storageFailure } from '../store/storage-errors';
import { hashSecret, newSecret, randomId, secretMatches } from './secrets';
import { AssessmentTemplates, type TemplateListing } from './assessment-templates';
import { ReportVersions } from './assessment-reports';
import { assessmentExportSource } from '../export/assessment-export-source';
import { assessmentOverview } from './assessment-overview';
import { workshopKeyFor } from './workshop-keys';
import { Residency } from './residency';
import { logOnce } from '../log';
import type { CreatedWorkshop, WorkshopService } from './workshop-service';
import type { ExportSource } from '../export/assessment-export';

export interface CreatedAssessment {
	id: string;
	ownerKey: string;
	assessmentUrl: string;
}

export type AssessmentFile = RecordHandle<AssessmentRecord>;

/** The most workshops one assessment may have (a national panel and regional ones, with room to spare). */
export const WORKSHOPS_PER_ASSESSMENT = 100;

export { workshopKeyFor } from './workshop-keys';

/**
 * Assessments: one risk-point list with its scales, and the workshops rated from it. Read from the
 * store on first use and dropped when idle, like workshops. Templates (saved lists) belong to the
 * owner key that saved them.
 */
export class AssessmentService {
	readonly #store: Collection<AssessmentRecord, AssessmentSummary>;
	/** saved lists of owners (see AssessmentTemplates) */
	readonly templatesOf: AssessmentTemplates;
	/** final versions of the reports (see ReportVersions) */
	readonly versions: ReportVersions;
	readonly #workshops: WorkshopService;
	readonly #resident: Residency<AssessmentFile>;
	readonly #checkSpace: () => void;

	constructor(
		store: {
			assessments: Collection<AssessmentRecord, AssessmentSummary>;
			templates: Collection<TemplateRecord, TemplateSummary>;
			reports: Collection<ReportVersionRecord, ReportVersionSummary>;
		},
		workshops: WorkshopService,
		options: { checkSpace?: () => void; idleMs?: number } = {}
	) {
		this.#store = store.assessments;
		this.templatesOf = new AssessmentTemplates(store.templates, () => this.#checkSpace());
		this.versions = new ReportVersions(store.reports);
		this.#workshops = workshops;
		this.#checkSpace = options.checkSpace ?? (() => {});
		this.#resident = new Residency<AssessmentFile>({
			what: 'assessment',
			idleMs: options.idleMs,
			load: (id) => store.assessments.open(id),
			settled: (file) => file.settled(),
			dispose: (file) => file.close()
		});
		// saved or deleted by another process on the same database: read again on next use
		store.assessments.onRemote = ({ id }) => void this.#resident.evict(id);
	}

	/**
	 * Changes an assessment and stores it. `change` gets the assessment as stored: with several
	 * processes on one database, it was read again under the row's lock, so an edit made meanwhile
	 * on another process (a workshop added there) is kept, not overwritten.
	 */
	#change(file: AssessmentFile, change: (settings: AssessmentFile['data']['assessment']) => void): Promise<void> {
		return onDisk(`save assessment ${file.data.assessment.id}`, () =>
			file.update(() => {
				change(file.data.assessment);
				file.data.assessment.updatedAt = new Date().toISOString();
			})
		);
	}

	/** True when the store holds the assessment. */
	has(id: string): boolean {
		return this.#store.summaries.has(id) || this.#store.unreadable.has(id);
	}

	/** The assessment, read from the store if need be: 404 when there is none, 503 when it cannot be read. */
	async open(id: string): Promise<AssessmentFile> {
		if (!this.has(id) && !(await this.#store.discover(id).catch(() => false))) throw new UserError('error.assessment.notFound', {}, 404);
		try {
			const file = await this.#resident.open(id);
			// another process on the same database may have saved it since (the database away for a moment: memory is served)
			await file.refresh().catch((error: Error) => logOnce(`refresh:${error.message}`, `Could not bring assessment ${id} up to date:`, error.message));
			return file;
		} catch (error) {
			if (error instanceof RecordUnreadable) throw new UserError('error.assessment.unreadable', { id }, 503);
			if (!(error as NodeJS.ErrnoException).code) throw error;
			console.error(`Could not read assessment ${id}:`, (error as Error).message);
			throw storageFailure(error);
		}
	}

	/** The assessment an owner key opens: 401 without a key, 403 with a wrong one. */
	async authenticate(id: string, ownerKey: string | null): Promise<AssessmentFile> {
		const file = await this.open(id);
		if (!ownerKey) throw new UserError('error.auth.missingKey', {}, 401);
		if (!secretMatches(ownerKey, file.data.assessment.ownerKeyHash)) throw new UserError('error.auth.wrongKey', {}, 403);
		return file;
	}

	async create(input: CreateAssessmentInput, origin: string): Promise<CreatedAssessment> {
		this.#checkSpace();
		const language = input.language ?? 'nb';
		const template = input.templateId ? await this.template(input.templateId, input.templateKey ?? null) : undefined;
		// ids of the list are made here: ids from outside are never kept
		const inputs: RiskPointInput[] = input.riskPoints ?? template?.riskPoints ?? [];
		checkRiskPointInputs(inputs);
		const now = new Date().toISOString();
		const riskPoints = finalizeRiskPoints(
			inputs.map(({ text, code, category, description }) => ({ text, code, category, description })),
			() => randomId(6)
		).map((point) => ({ ...point, addedAt: now }));
		const ownerKey = newSecret();
		const record = newAssessmentRecord({ input, language, riskPoints, ownerKeyHash: hashSecret(ownerKey), template, now });
		const file = await onDisk('create an assessment file', () => this.#store.create(record));
		this.#resident.add(record.assessment.id, file);
		return { id: record.assessment.id, ownerKey, assessmentUrl: `${origin}/assessments/${record.assessment.id}#key=${ownerKey}` };
	}

	/** The assessment's workshops, in creation order; those that cannot be read are left out (and reported by overview()). */
	async workshopsOf(file: AssessmentFile): Promise<LiveWorkshop[]> {
		const workshops = await Promise.all(
			file.data.assessment.workshopIds.map((id) => this.#workshops.open(id).catch(() => null))
		);
		const found = workshops.filter((workshop): workshop is LiveWorkshop => workshop !== null);
		// workshops made before they kept the assessment's topic get it now
		for (const workshop of found) if (!workshop.settings.topic) await this.#workshops.setTopic(workshop, file.data.assessment.title);
		return found;
	}

	async #hasRatings(file: AssessmentFile): Promise<boolean> {
		return (await this.workshopsOf(file)).some((workshop) => workshop.hasRatings);
	}

	async update(file: AssessmentFile, patch: AssessmentPatch): Promise<void> {
		if (patch.scales) {
			if (await this.#hasRatings(file)) throw new UserError('error.scales.locked', {}, 409);
			for (const workshop of await this.workshopsOf(file)) await this.#workshops.setScales(workshop, patch.scales);
		}
		if (patch.consequenceTypes) {
			if (!file.data.assessment.consequenceTypes) throw new UserError('error.types.notByType', {}, 409);
			if (await this.#hasRatings(file)) throw new UserError('error.scales.locked', {}, 409);
			for (const workshop of await this.workshopsOf(file)) await this.#workshops.setConsequenceTypes(workshop, patch.consequenceTypes);
		}
		if (patch.privacy && patch.privacy !== file.data.assessment.privacy) {
			// members were promised what the facilitator sees: once they answered, only stricter
			if (strictness(patch.privacy) < strictness(file.data.assessment.privacy) && (await this.#hasRatings(file))) throw new UserError('error.anonymity.locked', {}, 409);
			for (const workshop of await this.workshopsOf(file)) await this.#workshops.setPrivacy(workshop, patch.privacy);
		}
		await this.#change(file, (settings) => {
			if (patch.scales) settings.scales = patch.scales;
			if (patch.consequenceTypes) settings.consequenceTypes = patch.consequenceTypes;
			if (patch.title !== undefined) settings.title = patch.title;
			if (patch.description !== undefined) settings.description = patch.description;
			if (patch.topN !== undefined) settings.analysis = { ...settings.analysis, topN: patch.topN };
			if (patch.minAnswers !== undefined) settings.analysis = { ...settings.analysis, minAnswers: patch.minAnswers };
			if (patch.caseNumber !== undefined) settings.report = { ...settings.report, caseNumber: patch.caseNumber };
			if (patch.draft !== undefined) settings.report = { ...settings.report, draft: patch.draft };
			if (patch.privacy !== undefined) settings.privacy = patch.privacy;
			if (patch.signOff !== undefined) settings.signOff = { ...settings.signOff, ...patch.signOff };
		});
		if (patch.title !== undefined) for (const workshop of await this.workshopsOf(file)) await this.#workshops.setTopic(workshop, file.data.assessment.title);
	}

	/** Fixes a point's wording in the assessment and every workshop of it (allowed after rating began; the old text is kept with the time). */
	async editPointText(file: AssessmentFile, riskPointId: string, text: string): Promise<void> {
		const point = file.data.assessment.riskPoints.find((p) => p.id === riskPointId);
		if (!point) throw new UserError('error.rate.unknownPoint', {}, 404);
		if (point.text === text) return;
		const at = new Date().toISOString();
		await this.#change(file, (settings) => {
			if (settings.riskPoints.some((p) => p.id === riskPointId)) settings.riskPoints = withEditedText(settings.riskPoints, riskPointId, text, at);
		});
		for (const workshop of await this.workshopsOf(file)) {
			if (workshop.riskPoint(riskPointId)) await this.#workshops.editPointText(workshop, riskPointId, text, at, true);
		}
	}

	/** Replaces the list: only before any workshop has ratings (then points can only be added). */
	async setRiskPoints(file: AssessmentFile, inputs: (RiskPointInput & { id?: string })[]): Promise<RiskPoint[]> {
		if (await this.#hasRatings(file)) throw new UserError('error.assessment.listLocked', {}, 409);
		this.#checkSpace();
		checkRiskPointInputs(inputs);
		const keep = new Map(file.data.assessment.riskPoints.map((point) => [point.id, point]));
		const now = new Date().toISOString();
		const riskPoints = finalizeRiskPoints(
			inputs.map((input) => ({ ...input, id: input.id && keep.has(input.id) ? input.id : undefined })),
			() => randomId(6)
		).map((point) => ({ ...point, addedAt: keep.get(point.id)?.addedAt ?? now }));
		const plain = riskPoints.map(({ addedAt: _, ...point }) => point);
		for (const workshop of await this.workshopsOf(file)) await this.#workshops.replaceRiskPoints(workshop, plain);
		await this.#change(file, (settings) => {
			settings.riskPoints = riskPoints;
		});
		return plain;
	}

	/**
	 * Adds points to the end of the list, also once rating has started. Workshops still running get
	 * them; closed workshops do not, and the combined results mark them as not rated there.
	 */
	async addRiskPoints(file: AssessmentFile, inputs: RiskPointInput[]): Promise<RiskPoint[]> {
		this.#checkSpace();
		const fresh = inputs.map(({ text, code, category, description }) => ({ text, code, category, description }));
		const now = new Date().toISOString();
		let added: (RiskPoint & { addedAt: string })[] = [];
		await this.#change(file, (settings) => {
			checkRiskPointInputs([...settings.riskPoints, ...fresh]);
			const all = finalizeRiskPoints([...settings.riskPoints, ...fresh], () => randomId(6));
			added = all.slice(settings.riskPoints.length).map((point) => ({ ...point, addedAt: now }));
			settings.riskPoints = [...settings.riskPoints, ...added];
		});
		const plain = added.map(({ addedAt: _, ...point }) => point);
		for (const workshop of await this.workshopsOf(file)) {
			if (workshop.settings.status !== 'closed') await this.#workshops.appendRiskPoints(workshop, plain);
		}
		return plain;
	}

	/** A national or regional workshop with the assessment's list, scales and matrix, and its own key. */
	async createWorkshop(
		file: AssessmentFile,
		ownerKey: string,
		request: { kind: 'national' | 'regional'; title?: string },
		origin: string
	): Promise<CreatedWorkshop> {
		const settings = file.data.assessment;
		if (settings.workshopIds.length >= WORKSHOPS_PER_ASSESSMENT) {
			throw new UserError('error.assessment.tooManyWorkshops', { limit: WORKSHOPS_PER_ASSESSMENT }, 409);
		}
		const title =
			request.title ??
			translate(settings.language, request.kind === 'national' ? 'assessment.nationalTitle' : 'assessment.regionalTitle', {
				number: settings.workshopIds.length + 1
			});
		// the assessment's privacy, as all its workshops have it
		const created = await this.#workshops.create({ title, language: settings.language, ...privacySettings(settings.privacy) }, origin, {
			assessmentId: settings.id,
			kind: request.kind,
			topic: settings.title,
			riskPoints: settings.riskPoints.map(({ addedAt: _, ...point }) => point),
			scales: settings.scales,
			matrix: settings.matrix,
			consequenceTypes: settings.consequenceTypes,
			facilitatorKey: (workshopId) => workshopKeyFor(ownerKey, workshopId)
		});
		await this.#change(file, (stored) => {
			stored.workshopIds.push(created.id);
		});
		return created;
	}

	/** One regional workshop per county governor, named after it; those the assessment has already are not made again. */
	async createCountyGovernorWorkshops(file: AssessmentFile, ownerKey: string, origin: string) {
		const language = file.data.assessment.language;
		const existing = new Set((await this.workshopsOf(file)).map((workshop) => workshop.settings.title));
		const created: CreatedWorkshop[] = [];
		for (const region of COUNTY_GOVERNORS) {
			const title = translate(language, 'assessment.countyGovernorTitle', { region });
			const names = [region, ...(FORMER_COUNTY_GOVERNOR_NAMES.get(region) ?? [])].map((name) => translate(language, 'assessment.countyGovernorTitle', { region: name }));
			if (names.some((name) => existing.has(name))) continue;
			created.push(await this.createWorkshop(file, ownerKey, { kind: 'regional', title }, origin));
		}
		return created;
	}

	async results(file: AssessmentFile, weighting: Weighting): Promise<CombinedResults> {
		const settings = file.data.assessment;
		return combineResults({
			assessment: { id: settings.id, title: settings.title },
			riskPoints: settings.riskPoints,
			weighting,
			matrix: settings.matrix,
			levelCount: LEVELS,
			minAnswers: settings.analysis.minAnswers,
			workshops: (await this.workshopsOf(file)).map((workshop) => ({
				id: workshop.settings.id,
				title: workshop.settings.title,
				kind: workshop.kind,
				status: workshop.settings.status,
				members: workshop.memberCount,
				answering: workshop.answeringMembers(),
				results: workshop.results()
			}))
		});
	}

	/**
	 * What the reports are made from: the settings and each workshop's data with its ratings, plain
	 * (the results are computed on the worker thread), and a key naming this state of the data.
	 */
	async exportSource(file: AssessmentFile, weighting: Weighting): Promise<{ source: () => ExportSource; version: string }> {
		return assessmentExportSource(file.data.assessment, await this.workshopsOf(file), this.versions, weighting);
	}


	/** Deletes an assessment and all its workshops, from memory and disk. */
	/** Takes a workshop out of the assessment and deletes it with its answers (its members and screens are disconnected). */
	async removeWorkshop(file: AssessmentFile, workshopId: string): Promise<void> {
		if (!file.data.assessment.workshopIds.includes(workshopId)) throw new UserError('error.workshop.notFound', {}, 404);
		await this.#change(file, (settings) => {
			settings.workshopIds = settings.workshopIds.filter((id) => id !== workshopId);
		});
		const workshop = await this.#workshops.open(workshopId).catch(() => null);
		if (workshop) await this.#workshops.delete(workshop);
	}

	async delete(file: AssessmentFile): Promise<void> {
		for (const workshop of await this.workshopsOf(file)) await this.#workshops.delete(workshop);
		await this.versions.removeAll(file.data.assessment.id);
		const { id } = file.data.assessment;
		this.#resident.drop(id);
		await onDisk(`delete assessment ${id}`, async () => {
			await file.settled();
			await this.#store.remove(id);
		});
	}

	/** Saves an assessment's list and scales as a template of its owner (see AssessmentTemplates). */
	saveTemplate(file: AssessmentFile, title: string): Promise<{ id: string; title: string; points: number }> {
		return this.templatesOf.save(file.data.assessment, title);
	}

	templates(ownerKey: string): TemplateListing[] {
		return this.templatesOf.list(ownerKey);
	}

	template(id: string, ownerKey: string | null): Promise<TemplateRecord['template']> {
		return this.templatesOf.get(id, ownerKey);
	}

	deleteTemplate(id: string, ownerKey: string | null): Promise<void> {
		return this.templatesOf.delete(id, ownerKey);
	}

	/** What the owner sees: the assessment and each workshop's status, members, answers and own links. */
	async overview(file: AssessmentFile, origin: string, ownerKey: string, connected?: (workshopId: string) => number): Promise<AssessmentOverview> {
		const versions = this.versions.list(file.data.assessment.id).map(({ number, finalAt }) => ({ number, finalAt }));
		return assessmentOverview(file.data.assessment, await this.workshopsOf(file), origin, ownerKey, connected, versions);
	}

	/**
	 * Gives a workshop of the assessment its next key (derived from the owner key, of a new
	 * generation): a link that leaked stops working at once, its connections are closed.
	 */
	async rotateWorkshopKey(file: AssessmentFile, ownerKey: string, workshopId: string): Promise<void> {
		if (!file.data.assessment.workshopIds.includes(workshopId)) throw new UserError('error.workshop.notFound', {}, 404);
		await this.#workshops.keys.rotate(await this.#workshops.open(workshopId), { ownerKey });
	}

	/**
	 * A new owner key: the old one is refused at once, and so is every workshop key derived from
	 * it (each workshop gets the key of its generation under the new owner key); templates saved
	 * with the old key belong to the new one.
	 */
	async rotateOwnerKey(file: AssessmentFile, origin: string): Promise<CreatedAssessment> {
		const ownerKey = newSecret();
		const before = file.data.assessment.ownerKeyHash;
		await this.#change(file, (settings) => {
			settings.ownerKeyHash = hashSecret(ownerKey);
		});
		for (const workshop of await this.workshopsOf(file)) await this.#workshops.keys.rotate(workshop, { ownerKey, keepGeneration: true });
		await this.templatesOf.rehome(before, hashSecret(ownerKey));
		const { id } = file.data.assessment;
		return { id, ownerKey, assessmentUrl: `${origin}/assessments/${id}#key=${ownerKey}` };
	}

}
