import type { ConsequenceTypes } from '../../domain/dsb-method';
import { UserError } from '../../domain/errors';
import { checkRiskPointInputs, finalizeRiskPoints, withEditedText } from '../../domain/risk-points';
import type { RiskPoint, RiskPointInput, Scales } from '../../domain/types';
import { privacySettings, type Privacy } from '../../domain/privacy';
import type { LiveWorkshop } from './live-workshop';
import { randomId } from './secrets';
import type { WorkshopCommits } from './workshop-changes';

/** A workshop's list of risk points, their wording, its scales and topic: what is set up before (and fixed during) a session. */
export class WorkshopLists {
	readonly #commits: WorkshopCommits;
	readonly #checkSpace: () => void;

	constructor(commits: WorkshopCommits, checkSpace: () => void) {
		this.#commits = commits;
		this.#checkSpace = checkSpace;
	}

	/** The assessment's scales changed (before any answer): its workshops take them. */
	async setScales(workshop: LiveWorkshop, scales: Scales): Promise<void> {
		await this.#commits.change(workshop, () => {
			if (workshop.hasRatings) throw new UserError('error.scales.locked', {}, 409);
			workshop.settings.scales = scales;
			workshop.touch();
		});
	}

	/** The assessment's consequence types changed (before any answer): its workshops take them. */
	async setConsequenceTypes(workshop: LiveWorkshop, consequenceTypes: ConsequenceTypes): Promise<void> {
		await this.#commits.change(workshop, () => {
			if (workshop.hasRatings) throw new UserError('error.scales.locked', {}, 409);
			workshop.settings.consequenceTypes = consequenceTypes;
			workshop.touch();
		});
	}

	/** The assessment's privacy changed: its workshops take it (the assessment checked that it may). */
	async setPrivacy(workshop: LiveWorkshop, privacy: Privacy): Promise<void> {
		await this.#commits.change(workshop, () => {
			Object.assign(workshop.settings, privacySettings(privacy));
			workshop.touch();
		});
	}

	/** The assessment's title changed: its workshops show the new topic. */
	async setTopic(workshop: LiveWorkshop, topic: string): Promise<void> {
		if (workshop.settings.topic === topic) return;
		await this.#commits.change(workshop, () => {
			workshop.settings.topic = topic;
			workshop.touch();
		});
	}

	/**
	 * Fixes a point's wording (a typo seen during the session), also after rating began: the old
	 * text is kept with the time. In a workshop of an assessment the assessment's owner does it
	 * for all its workshops (AssessmentService.editPointText).
	 */
	async editPointText(workshop: LiveWorkshop, riskPointId: string, text: string, at = new Date().toISOString(), fromAssessment = false): Promise<void> {
		if (workshop.settings.assessmentId && !fromAssessment) throw new UserError('error.list.fromAssessment', {}, 409);
		if (!workshop.riskPoint(riskPointId)) throw new UserError('error.rate.unknownPoint', {}, 404);
		if (workshop.riskPoint(riskPointId)!.text === text) return;
		await this.#commits.change(workshop, () => {
			const point = workshop.riskPoint(riskPointId);
			if (!point) throw new UserError('error.rate.unknownPoint', {}, 404);
			if (point.text !== text) workshop.setRiskPoints(withEditedText(workshop.settings.riskPoints, riskPointId, text, at));
		});
	}

	/** Replaces the list of risk points; refused once anyone has rated. */
	async setRiskPoints(workshop: LiveWorkshop, inputs: (RiskPointInput & { id?: string })[]) {
		if (workshop.settings.assessmentId) throw new UserError('error.list.fromAssessment', {}, 409);
		this.#checkSpace();
		checkRiskPointInputs(inputs);
		let riskPoints: RiskPoint[] = [];
		await this.#commits.change(workshop, () => {
			if (workshop.hasRatings) throw new UserError('error.list.locked', {}, 409);
			const keep = new Set(workshop.settings.riskPoints.map((point) => point.id));
			riskPoints = finalizeRiskPoints(
				inputs.map((input) => ({ ...input, id: input.id && keep.has(input.id) ? input.id : undefined })),
				() => randomId(6)
			);
			workshop.setRiskPoints(riskPoints);
		});
		return riskPoints;
	}

	/** Puts the assessment's list (ids and codes as they are) in one of its workshops, before any rating. */
	async replaceRiskPoints(workshop: LiveWorkshop, riskPoints: RiskPoint[]): Promise<void> {
		await this.#commits.change(workshop, () => {
			if (workshop.hasRatings) throw new UserError('error.list.locked', {}, 409);
			workshop.setRiskPoints(riskPoints);
		});
	}

	/** Appends points added to the assessment's list (allowed after rating has started). */
	async appendRiskPoints(workshop: LiveWorkshop, riskPoints: RiskPoint[]): Promise<void> {
		const missing = () => {
			const known = new Set(workshop.settings.riskPoints.map((point) => point.id));
			return riskPoints.filter((point) => !known.has(point.id));
		};
		if (missing().length === 0) return;
		await this.#commits.change(workshop, () => {
			const added = missing();
			if (added.length) workshop.setRiskPoints([...workshop.settings.riskPoints, ...added]);
		});
	}
}
