import { UserError } from '../../domain/errors';
import type { ConsequenceMethod } from '../../domain/dsb-method';
import type { AssessmentSettings, TemplateRecord } from '../store/records';
import { RecordUnreadable, type Collection, type TemplateSummary } from '../store/store';
import { onDisk, storageFailure } from '../store/storage-errors';
import { hashSecret, randomId } from './secrets';

/** A template as the creation form lists it: the method it was saved with, which choosing it chooses. */
export interface TemplateListing {
	id: string;
	title: string;
	points: number;
	createdAt: string;
	method: ConsequenceMethod;
}

/** Saved lists with their scales: each belongs to the owner key that saved it, and nobody else sees it. */
export class AssessmentTemplates {
	readonly #templates: Collection<TemplateRecord, TemplateSummary>;
	readonly #checkSpace: () => void;

	constructor(templates: Collection<TemplateRecord, TemplateSummary>, checkSpace: () => void) {
		this.#templates = templates;
		this.#checkSpace = checkSpace;
	}

	/** Saves an assessment's list and scales as a template of its owner, for the next assessment. */
	async save(settings: AssessmentSettings, title: string): Promise<{ id: string; title: string; points: number }> {
		this.#checkSpace();
		const record: TemplateRecord = {
			version: 1,
			template: {
				id: randomId(),
				title,
				riskPoints: settings.riskPoints.map(({ addedAt: _, ...point }) => point),
				scales: settings.scales,
				consequenceTypes: settings.consequenceTypes,
				createdAt: new Date().toISOString(),
				ownerKeyHash: settings.ownerKeyHash
			}
		};
		await onDisk('save a template', () => this.#templates.create(record));
		return { id: record.template.id, title, points: record.template.riskPoints.length };
	}

	/** The templates saved with an owner key, newest first (nobody else's). */
	list(ownerKey: string): TemplateListing[] {
		const owner = hashSecret(ownerKey);
		return [...this.#templates.summaries]
			.filter(([, summary]) => summary.ownerKeyHash === owner)
			.map(([id, { title, points, createdAt, perType }]): TemplateListing => ({ id, title, points, createdAt, method: perType ? 'perType' : 'single' }))
			.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
	}

	/** A template its owner key opens; 404 for any other key, so nobody learns what others saved. */
	async get(id: string, ownerKey: string | null): Promise<TemplateRecord['template']> {
		const summary = this.#templates.summaries.get(id);
		if (!summary || !ownerKey || summary.ownerKeyHash !== hashSecret(ownerKey)) throw new UserError('error.template.notFound', {}, 404);
		try {
			return (await this.#templates.open(id)).data.template;
		} catch (error) {
			if (error instanceof RecordUnreadable) throw new UserError('error.template.notFound', {}, 404);
			throw storageFailure(error);
		}
	}

	/** Deletes a template its owner key opens. */
	async delete(id: string, ownerKey: string | null): Promise<void> {
		await this.get(id, ownerKey);
		await onDisk('delete a template', () => this.#templates.remove(id));
	}

	/** The owner key changed: the templates saved with the old one belong to the new one. */
	async rehome(fromHash: string, toHash: string): Promise<void> {
		for (const [id, summary] of this.#templates.summaries) {
			if (summary.ownerKeyHash !== fromHash) continue;
			const file = await this.#templates.open(id);
			await onDisk('save a template', () =>
				file.update(() => {
					file.data.template.ownerKeyHash = toHash;
				})
			);
		}
	}
}
