import { UserError } from '../../domain/errors';
import type { PointNotes } from '../../domain/results';
import type { WorkshopPatch } from '../../protocol';
import type { RiskPoint } from '../../domain/types';
import type { WorkshopSettings } from '../store/records';

/**
 * A facilitator's change to a workshop (PATCH): checked against its state, then applied to its
 * settings: status, pace, reveal and rounds, the timer, notes and the knowledge base, and the
 * settings that are locked once members have answered.
 */

const NO_NOTES: PointNotes = { discussion: '', measures: '' };

/** What a change needs of the workshop it changes (LiveWorkshop has it). */
export interface Patchable {
	readonly settings: WorkshopSettings;
	readonly hasRatings: boolean;
	riskPoint(id: string): RiskPoint | undefined;
	currentRound(riskPointId: string): number;
	isRevealed(riskPointId: string, round: number): boolean;
	touch(): void;
}

function checkPoints(workshop: Patchable, ids: readonly string[]): void {
	if (ids.some((id) => !workshop.riskPoint(id))) throw new UserError('error.rate.unknownPoint', {}, 404);
}

/** Checks a facilitator's change against the workshop's state; throws a UserError saying what is wrong. */
export function checkPatch(workshop: Patchable, patch: WorkshopPatch): void {
	if (patch.currentRiskPointId) checkPoints(workshop, [patch.currentRiskPointId]);
	if (patch.revealed) checkPoints(workshop, patch.revealed);
	if (patch.unrevealed) checkPoints(workshop, patch.unrevealed);
	if (Array.isArray(patch.newRound)) checkPoints(workshop, patch.newRound);
	if (patch.notes) checkPoints(workshop, [patch.notes.riskPointId]);
	if (patch.knowledgeBase) {
		checkPoints(workshop, [patch.knowledgeBase.riskPointId]);
		const types = workshop.settings.consequenceTypes?.types.length;
		if (!types) throw new UserError('error.types.notByType', {}, 409);
		if (patch.knowledgeBase.types.length !== types) throw new UserError('error.knowledgeBase.typeCount', { count: types });
		if (patch.knowledgeBase.types.some((type) => type.agreement !== null && type.agreementReason === '')) throw new UserError('error.knowledgeBase.reason');
	}
	if (patch.status === 'open' && workshop.settings.riskPoints.length === 0) throw new UserError('error.workshop.noPoints', {}, 409);
	if ((patch.scales || patch.consequenceTypes) && workshop.hasRatings) throw new UserError('error.scales.locked', {}, 409);
	if (patch.consequenceTypes && !workshop.settings.consequenceTypes) throw new UserError('error.types.notByType', {}, 409);
	if (patch.anonymous === false && workshop.settings.anonymous && workshop.hasRatings) {
		throw new UserError('error.anonymity.locked', {}, 409);
	}
	// members were promised that only counts show: that cannot be taken back once they answered
	if (patch.countsOnly === false && workshop.settings.countsOnly && workshop.hasRatings) {
		throw new UserError('error.anonymity.locked', {}, 409);
	}
}

/** Applies a checked change. `flagged` lists the points flagged for discussion, for newRound 'flagged'. */
export function applyPatch(workshop: Patchable, patch: WorkshopPatch, flagged: () => string[], now = Date.now()): void {
	const settings = workshop.settings;
	const stepBefore = timerStep(workshop);
	if (patch.title !== undefined) settings.title = patch.title;
	if (patch.language !== undefined) settings.language = patch.language;
	if (patch.scoring !== undefined) settings.scoring = patch.scoring;
	if (patch.scales !== undefined) settings.scales = patch.scales;
	if (patch.consequenceTypes !== undefined) settings.consequenceTypes = patch.consequenceTypes;
	if (patch.anonymous !== undefined) settings.anonymous = patch.anonymous;
	if (patch.countsOnly !== undefined) settings.countsOnly = patch.countsOnly;
	// counts-only is a kind of anonymous; named is never counts-only
	if (patch.countsOnly) settings.anonymous = true;
	if (patch.anonymous === false) settings.countsOnly = false;
	if (patch.consensusThreshold !== undefined) settings.consensusThreshold = patch.consensusThreshold;
	if (patch.flagRule !== undefined) settings.flagRule = patch.flagRule;
	if (patch.minAnswers !== undefined) settings.minAnswers = patch.minAnswers;
	if (patch.askKnowledge !== undefined) settings.askKnowledge = patch.askKnowledge;
	if (patch.topN !== undefined) settings.report = { ...settings.report, topN: patch.topN };
	if (patch.caseNumber !== undefined) settings.report = { ...settings.report, caseNumber: patch.caseNumber };
	if (patch.draft !== undefined) settings.report = { ...settings.report, draft: patch.draft };
	if (patch.pacing !== undefined) settings.pacing = patch.pacing;
	if (patch.status !== undefined) settings.status = patch.status;
	if (patch.currentRiskPointId !== undefined) settings.currentRiskPointId = patch.currentRiskPointId;
	if (settings.pacing === 'facilitator' && !settings.currentRiskPointId) {
		settings.currentRiskPointId = settings.riskPoints[0]?.id ?? null;
	}
	if (patch.knowledgeBase) {
		const { riskPointId, types, sensitivity } = patch.knowledgeBase;
		settings.notes[riskPointId] = { ...(settings.notes[riskPointId] ?? NO_NOTES), knowledgeBase: { types, sensitivity } };
	}
	if (patch.notes) {
		const { riskPointId, discussion, measures } = patch.notes;
		const { knowledgeBase } = settings.notes[riskPointId] ?? NO_NOTES;
		settings.notes[riskPointId] = knowledgeBase ? { discussion, measures, knowledgeBase } : { discussion, measures };
	}
	if (patch.revealed) for (const id of patch.revealed) reveal(workshop, id);
	if (patch.unrevealed) for (const id of patch.unrevealed) hide(workshop, id);
	if (patch.newRound) {
		const ids =
			patch.newRound === 'all' ? settings.riskPoints.map((p) => p.id) : patch.newRound === 'flagged' ? flagged() : patch.newRound;
		for (const id of ids) startRound(workshop, id);
		focusRound(workshop, ids, patch.newRound === 'all');
	}
	if (patch.allPoints) settings.roundPoints = [];
	if (patch.pointSeconds !== undefined) settings.pointSeconds = patch.pointSeconds;
	if (patch.autoReveal !== undefined) settings.autoReveal = patch.autoReveal;
	if (patch.joinClosed !== undefined) settings.joinClosed = patch.joinClosed;
	// a timer set while a point is open starts on it at once
	const started = patch.pointSeconds !== undefined && settings.timerEndsAt === null ? 'start' : undefined;
	setTimer(workshop, stepBefore, patch.timer ?? started, now);
	workshop.touch();
}

/** The point and round being answered now in facilitator pace, while not yet shown (null otherwise). */
function timerStep(workshop: Patchable): string | null {
	const { pacing, status, currentRiskPointId } = workshop.settings;
	if (pacing !== 'facilitator' || status !== 'open' || !currentRiskPointId) return null;
	const round = workshop.currentRound(currentRiskPointId);
	return workshop.isRevealed(currentRiskPointId, round) ? null : `${currentRiskPointId}:${round}`;
}

/**
 * The timer runs while a point's round is open in facilitator pace: it starts when the
 * facilitator moves to a point, starts a new round or hides a reveal (or presses start), and
 * stops when the round is shown, the pace changes or the workshop closes.
 */
function setTimer(workshop: Patchable, stepBefore: string | null, command: 'start' | 'stop' | undefined, now: number): void {
	const settings = workshop.settings;
	const step = timerStep(workshop);
	if (step === null || command === 'stop' || settings.pointSeconds === 0) settings.timerEndsAt = null;
	else if (command === 'start' || step !== stepBefore) {
		settings.timerEndsAt = new Date(now + settings.pointSeconds * 1000).toISOString();
	}
}

function reveal(workshop: Patchable, riskPointId: string): void {
	const round = workshop.currentRound(riskPointId);
	const revealed = workshop.settings.revealed[riskPointId] ?? [];
	if (!revealed.includes(round)) workshop.settings.revealed[riskPointId] = [...revealed, round];
}

/** Takes back the reveal of a point's current round (earlier rounds, shown as feedback for this one, stay shown). */
function hide(workshop: Patchable, riskPointId: string): void {
	const round = workshop.currentRound(riskPointId);
	const revealed = workshop.settings.revealed[riskPointId];
	if (revealed?.includes(round)) workshop.settings.revealed[riskPointId] = revealed.filter((r) => r !== round);
}

/**
 * A new round of several points is where the session goes next: in facilitator pace to its
 * first point (the phones follow), and the console's ← → walk only its points until the
 * facilitator asks for all again. A round of one point (N) or of all points keeps the walk as it is.
 */
function focusRound(workshop: Patchable, ids: readonly string[], all: boolean): void {
	const settings = workshop.settings;
	const inRound = new Set(ids);
	const ordered = settings.riskPoints.map((point) => point.id).filter((id) => inRound.has(id));
	if (ordered.length === 0) return;
	if (ids.length > 1 || all) settings.roundPoints = all ? [] : ordered;
	if (settings.pacing === 'facilitator' && (ids.length > 1 || all)) settings.currentRiskPointId = ordered[0]!;
}

/** A new round shows the panel the round before it (Delphi feedback), then opens the next. */
function startRound(workshop: Patchable, riskPointId: string): void {
	reveal(workshop, riskPointId);
	workshop.settings.rounds[riskPointId] = workshop.currentRound(riskPointId) + 1;
}
