import type { Analysis } from '../domain/analysis-result';
import type { CombinedResults, Weighting } from '../domain/combined';
import type { Language, RiskPoint, RiskPointInput, Scales } from '../domain/types';
import type { AssessmentOverview } from '../protocol';
import { callApi, type ApiResult } from './api';
import { uploadType } from './facilitator-session.svelte';
import { local } from './storage';
import type { Privacy } from '../domain/privacy';

const keyName = (id: string) => `risikoverksted:assessment:${id}`;
const LIST = 'risikoverksted:assessments';

/** The owner key of an assessment kept by this browser, and the ids of all it knows. */
export function storedAssessmentKey(id: string): string | null {
	return local.get<string>(keyName(id));
}

export function storeAssessmentKey(id: string, key: string): void {
	local.set(keyName(id), key);
	const known = local.get<string[]>(LIST) ?? [];
	if (!known.includes(id)) local.set(LIST, [...known, id]);
}

export function knownAssessments(): { id: string; key: string }[] {
	return (local.get<string[]>(LIST) ?? []).flatMap((id) => {
		const key = storedAssessmentKey(id);
		return key ? [{ id, key }] : [];
	});
}

export interface CreatedWorkshopLinks {
	id: string;
	joinCode: string;
	facilitatorKey: string;
	joinUrl: string;
	facilitatorUrl: string;
}

/** The owner's view of one assessment: its list, workshops and combined results (refreshed while open). */
export class AssessmentSession {
	overview = $state.raw<AssessmentOverview | null>(null);
	results = $state.raw<CombinedResults | null>(null);
	weighting = $state<Weighting>('workshop');
	/** how sure the ranking is (rank intervals, P(top N), sensitivity...): made on the server's worker, so asked for less often */
	analysis = $state.raw<Analysis | null>(null);
	/** the results the analysis was made for (a newer one is asked for when they change) */
	#analysisOf = '';
	#analysisAt = 0;

	readonly id: string;
	readonly key: string;
	readonly #language: () => Language;
	readonly #networkError: () => string;
	#timer: ReturnType<typeof setInterval> | null = null;

	constructor(id: string, key: string, language: () => Language, networkError: () => string) {
		this.id = id;
		this.key = key;
		this.#language = language;
		this.#networkError = networkError;
	}

	#call<T>(path: string, options: { method?: string; body?: BodyInit; contentType?: string } = {}): Promise<ApiResult<T>> {
		return callApi<T>(`/api/assessments/${this.id}${path}`, {
			...options,
			key: this.key,
			language: this.#language(),
			networkError: this.#networkError()
		});
	}

	#json(value: unknown) {
		return { body: JSON.stringify(value), contentType: 'application/json' };
	}

	async load(): Promise<ApiResult<AssessmentOverview>> {
		const result = await this.#call<AssessmentOverview>('');
		if (result.ok) this.overview = result.value;
		return result;
	}

	async loadResults(): Promise<void> {
		const result = await this.#call<CombinedResults>(`/results?weighting=${this.weighting}`);
		if (!result.ok) return;
		this.results = result.value;
		// the analysis again when the answers or settings changed, at most every 5 s while they keep changing
		const of = JSON.stringify([this.weighting, result.value.minAnswers, this.overview?.analysis, result.value.riskPoints.map((p) => [p.id, p.responses, p.score])]);
		if (of !== this.#analysisOf && (this.analysis === null || Date.now() - this.#analysisAt > 5_000)) await this.loadAnalysis(of);
	}

	async loadAnalysis(of = this.#analysisOf): Promise<void> {
		this.#analysisAt = Date.now();
		const result = await this.#call<{ results: CombinedResults; analysis: Analysis }>(`/analysis?weighting=${this.weighting}`);
		if (!result.ok) return;
		this.#analysisOf = of;
		this.analysis = result.value.analysis;
	}

	/** The report's settings: the top N it asks about, the minimum answers to be ranked, case number and draft marking. */
	async updateReport(patch: { topN?: number; minAnswers?: number; caseNumber?: string; draft?: boolean }) {
		const result = await this.#call<AssessmentOverview>('', { method: 'PATCH', ...this.#json(patch) });
		if (result.ok) {
			this.overview = result.value;
			this.analysis = null;
			await this.loadResults();
		}
		return result;
	}

	/** Combined results and workshop counts refresh every few seconds while workshops run. */
	watch(intervalMs = 2500): void {
		void this.loadResults();
		this.#timer = setInterval(() => {
			void this.load();
			void this.loadResults();
		}, intervalMs);
	}

	close(): void {
		if (this.#timer) clearInterval(this.#timer);
	}

	async setWeighting(weighting: Weighting): Promise<void> {
		this.weighting = weighting;
		this.analysis = null;
		await this.loadResults();
	}

	async #after<T>(result: ApiResult<T>): Promise<ApiResult<T>> {
		if (result.ok) {
			await this.load();
			await this.loadResults();
		}
		return result;
	}

	/** A new owner key: the old one and every workshop link derived from it stop working (open a session with the new one). */
	rotateOwnerKey() {
		return this.#call<{ id: string; ownerKey: string; assessmentUrl: string }>('/key', { method: 'POST' });
	}

	/** Marks the report as it is now a final version (with the weighting chosen). */
	async markFinal() {
		return this.#after(await this.#call<{ versions: { number: number; finalAt: string }[] }>(`/versions?weighting=${this.weighting}`, { method: 'POST' }));
	}

	async update(patch: { title?: string; description?: string; scales?: Scales; privacy?: Privacy; signOff?: Partial<AssessmentOverview['signOff']> }) {
		return this.#after(await this.#call<AssessmentOverview>('', { method: 'PATCH', ...this.#json(patch) }));
	}

	async saveRiskPoints(riskPoints: (RiskPointInput & { id?: string })[]) {
		return this.#after(await this.#call<{ riskPoints: RiskPoint[] }>('/risk-points', { method: 'PUT', ...this.#json({ riskPoints }) }));
	}

	async uploadRiskPoints(file: File) {
		return this.#after(await this.#call<{ riskPoints: RiskPoint[] }>('/risk-points', { method: 'PUT', body: file, contentType: uploadType(file) }));
	}

	async addRiskPoints(riskPoints: RiskPointInput[]) {
		return this.#after(await this.#call<{ added: RiskPoint[] }>('/risk-points', { method: 'POST', ...this.#json({ riskPoints }) }));
	}

	async createWorkshops(request: { kind: 'national' | 'regional'; title?: string } | { preset: 'county-governors' }) {
		return this.#after(await this.#call<{ workshops: CreatedWorkshopLinks[] }>('/workshops', { method: 'POST', ...this.#json(request) }));
	}

	/** A new facilitator key for an older workshop of the assessment, so its own link can be shown. */
	async newWorkshopKey(workshopId: string) {
		const result = await this.#call<AssessmentOverview>(`/workshops/${workshopId}/key`, { method: 'POST' });
		if (result.ok) this.overview = result.value;
		return result;
	}

	/** Takes a workshop out of the assessment, deleting it and its answers. */
	async removeWorkshop(workshopId: string) {
		return this.#after(await this.#call<null>(`/workshops/${encodeURIComponent(workshopId)}`, { method: 'DELETE' }));
	}

	/** Fixes one point's wording in the assessment and its workshops (the old text is kept with the time). */
	async editPointText(riskPointId: string, text: string) {
		return this.#after(await this.#call<AssessmentOverview>(`/risk-points/${encodeURIComponent(riskPointId)}`, { method: 'PATCH', ...this.#json({ text }) }));
	}

	async saveTemplate(title: string) {
		return this.#call<{ id: string; title: string; points: number }>('/template', { method: 'POST', ...this.#json({ title }) });
	}

	async delete() {
		const result = await this.#call<Blob>('', { method: 'DELETE' });
		if (result.ok) this.close();
		return result;
	}

	download(path: string) {
		return this.#call<Blob>(path);
	}
}
