import { isTooFewToShow, summarizeRound } from '../../domain/results';
import { emptyTally } from '../../domain/tally';
import { LEVELS } from '../../domain/scales';
import type { ScaleSummary } from '../../domain/statistics';
import type {
	FacilitatorWorkshopView,
	MemberSummary,
	MemberWorkshopView,
	PointComment,
	Presence,
	ProjectorView,
	RevealedRound,
	RevealedScale
} from '../../protocol';
import type { LiveWorkshop } from './live-workshop';

/**
 * What each audience may see of a workshop. Members and the projector get a round's numbers only
 * after the facilitator reveals it, and never anything tied to a member.
 */

const revealedScale = ({ counts, n, abstained, mean, median }: Pick<ScaleSummary, 'counts' | 'n' | 'abstained' | 'mean' | 'median'>): RevealedScale => ({ counts, n, abstained, mean, median });

/** The anonymous distribution of a point's round, as the panel sees it after reveal. */
export function revealedRound(workshop: LiveWorkshop, riskPointId: string, round: number): RevealedRound {
	const { scoring, matrix, consensusThreshold, flagRule } = workshop.settings;
	const summary = summarizeRound(round, workshop.tallyFor(riskPointId, round) ?? emptyTally(LEVELS), {
		scoring,
		matrix,
		consensusThreshold,
		flagRule,
		revealed: true,
		minGroup: workshop.minGroup
	});
	return {
		round,
		responses: summary.responses,
		tooFewToShow: summary.tooFewToShow,
		likelihood: revealedScale(summary.likelihood),
		consequence: revealedScale(summary.consequence),
		types: summary.types.map((type) => ({ ...revealedScale(type), notRelevant: type.notRelevant, relevant: type.relevant })),
		cell: summary.cell,
		level: summary.level
	};
}

/** The running timer as everyone sees it (its end and length, for a countdown), or null. */
const timerOf = (seconds: number, endsAt: string | null) => (endsAt && seconds > 0 ? { endsAt, seconds } : null);

type SharedMemberView = Omit<MemberWorkshopView, 'ratings' | 'previousRatings'>;
const sharedCache = new WeakMap<LiveWorkshop, { version: number; view: SharedMemberView; jsonHead?: string }>();

/**
 * The part of the member view that is the same for every member, computed once per change of
 * settings: a rating never changes it (a revealed round takes no more ratings; one that reached
 * the database after another process revealed its round says so with viewsChanged).
 */
function sharedMemberView(workshop: LiveWorkshop): SharedMemberView {
	return sharedEntry(workshop).view;
}

function sharedEntry(workshop: LiveWorkshop): { version: number; view: SharedMemberView; jsonHead?: string } {
	const cached = sharedCache.get(workshop);
	if (cached?.version === workshop.settingsVersion) return cached;
	const { id, title, status, pacing, language, anonymous, countsOnly, askKnowledge, scales, consequenceTypes, riskPoints, currentRiskPointId, pointSeconds, timerEndsAt, topic } = workshop.settings;
	const rounds: Record<string, number> = {};
	const revealed: Record<string, RevealedRound[]> = {};
	for (const point of riskPoints) {
		rounds[point.id] = workshop.currentRound(point.id);
		const shown = workshop.settings.revealed[point.id];
		if (shown?.length) revealed[point.id] = [...shown].sort((a, b) => a - b).map((round) => revealedRound(workshop, point.id, round));
	}
	const view = { id, title, topic, status, pacing, language, anonymous, countsOnly, minGroup: workshop.minGroup, askKnowledge, scales, consequenceTypes, riskPoints, currentRiskPointId, rounds, revealed, timer: timerOf(pointSeconds, timerEndsAt) };
	const entry = { version: workshop.settingsVersion, view };
	sharedCache.set(workshop, entry);
	return entry;
}

export function memberView(workshop: LiveWorkshop, participantId: string): MemberWorkshopView {
	return {
		...sharedMemberView(workshop),
		ratings: workshop.ownAnswers(participantId),
		previousRatings: workshop.ownAnswers(participantId, 1)
	};
}

/**
 * memberView() as JSON, for the live updates: the part every member shares is encoded once per
 * change of settings, only the member's own answers each time. The same content as
 * JSON.stringify(memberView()).
 */
export function memberViewJson(workshop: LiveWorkshop, participantId: string): string {
	const entry = sharedEntry(workshop);
	entry.jsonHead ??= JSON.stringify(entry.view).slice(0, -1);
	const ratings = JSON.stringify(workshop.ownAnswers(participantId));
	const previousRatings = JSON.stringify(workshop.ownAnswers(participantId, 1));
	return `${entry.jsonHead},"ratings":${ratings},"previousRatings":${previousRatings}}`;
}

export function facilitatorView(workshop: LiveWorkshop): FacilitatorWorkshopView {
	const { joinCode, scoring, matrix, consensusThreshold, flagRule, minAnswers, report, notes, createdAt, updatedAt, pointSeconds, autoReveal, joinClosed } = workshop.settings;
	return {
		...sharedMemberView(workshop),
		joinCode,
		scoring,
		matrix,
		consensusThreshold,
		flagRule,
		minAnswers,
		report,
		notes,
		createdAt,
		updatedAt,
		pointSeconds,
		autoReveal,
		joinClosed,
		roundPoints: workshop.settings.roundPoints,
		comments: revealedComments(workshop),
		hasRatings: workshop.hasRatings,
		assessmentOwned: workshop.settings.assessmentId !== null,
		assessmentId: workshop.settings.assessmentId,
		rehearsal: workshop.settings.kind === 'rehearsal'
	};
}

/**
 * The members' reasons for their answers, per point, in the rounds shown to all: with the name in
 * named workshops, never in anonymous ones (and then in an order that says nothing of who: by
 * text, and only from rounds with answers from at least MIN_GROUP members).
 */
export function revealedComments(workshop: LiveWorkshop): Record<string, PointComment[]> {
	const { anonymous, revealed } = workshop.settings;
	const comments: Record<string, PointComment[]> = {};
	for (const rating of workshop.record.ratings) {
		if (!rating.comment || !revealed[rating.riskPointId]?.includes(rating.round)) continue;
		if (isTooFewToShow(workshop.tallyFor(rating.riskPointId, rating.round)?.responses ?? 0, workshop.minGroup)) continue;
		const name = anonymous ? '' : (workshop.participant(rating.participantId)?.name ?? '');
		(comments[rating.riskPointId] ??= []).push({ round: rating.round, text: rating.comment, name });
	}
	for (const list of Object.values(comments)) list.sort((a, b) => a.round - b.round || (anonymous ? a.text.localeCompare(b.text, 'nb') : 0));
	return comments;
}

export function projectorView(workshop: LiveWorkshop, connected: number): ProjectorView {
	const settings = workshop.settings;
	const responsesNow = (id: string) => workshop.tallyFor(id, workshop.currentRound(id))?.responses ?? 0;
	const currentPoint = settings.pacing === 'facilitator' ? workshop.riskPoint(settings.currentRiskPointId ?? '') : undefined;
	const current = currentPoint
		? {
				id: currentPoint.id,
				code: currentPoint.code,
				text: currentPoint.text,
				description: currentPoint.description,
				round: workshop.currentRound(currentPoint.id),
				responses: responsesNow(currentPoint.id),
				revealed: workshop.isRevealed(currentPoint.id, workshop.currentRound(currentPoint.id))
					? revealedRound(workshop, currentPoint.id, workshop.currentRound(currentPoint.id))
					: null,
				previous: previousShown(workshop, currentPoint.id)
			}
		: null;
	const matrixPoints: ProjectorView['matrixPoints'] = [];
	// (a round with too few answers to show has no cell: it stays out of the matrix)
	for (const point of settings.riskPoints) {
		const latest = Math.max(0, ...(settings.revealed[point.id] ?? []));
		if (latest === 0) continue;
		const shown = revealedRound(workshop, point.id, latest);
		if (shown.cell) matrixPoints.push({ id: point.id, code: point.code, text: point.text, cell: shown.cell, level: shown.level, round: latest });
	}
	return {
		id: settings.id,
		title: settings.title,
		topic: settings.topic,
		status: settings.status,
		pacing: settings.pacing,
		language: settings.language,
		joinCode: settings.joinCode,
		scales: settings.scales,
		consequenceTypes: settings.consequenceTypes,
		matrix: settings.matrix,
		minGroup: workshop.minGroup,
		connected,
		joined: workshop.memberCount,
		membersDone: workshop.membersDone(),
		final: settings.status === 'closed' ? finalView(workshop) : null,
		timer: timerOf(settings.pointSeconds, settings.timerEndsAt),
		current,
		points: settings.riskPoints.map((point) => ({
			id: point.id,
			code: point.code,
			round: workshop.currentRound(point.id),
			responses: responsesNow(point.id),
			revealed: workshop.isRevealed(point.id, workshop.currentRound(point.id))
		})),
		matrixPoints
	};
}

/** The latest round shown before the point's current one (for the projector's round comparison). */
function previousShown(workshop: LiveWorkshop, riskPointId: string): RevealedRound | null {
	const round = workshop.currentRound(riskPointId);
	const earlier = (workshop.settings.revealed[riskPointId] ?? []).filter((shown) => shown < round);
	return earlier.length ? revealedRound(workshop, riskPointId, Math.max(...earlier)) : null;
}

/** The closed workshop on the big screen: its top ten and every rated point in the matrix (numbers only, as the results have them). */
function finalView(workshop: LiveWorkshop): ProjectorView['final'] {
	const ranked = workshop.results().riskPoints.filter((point) => point.rankStatus !== 'notRated');
	return {
		top: ranked.slice(0, 10).map(({ id, rank, code, text, score, level }) => ({ id, rank, code, text, score, level })),
		matrixPoints: ranked.flatMap(({ id, code, text, cell, level, round }) => (cell ? [{ id, code, text, cell, level, round }] : []))
	};
}

/**
 * Presence from the set of connected participant ids. In facilitator pace, the connected members
 * without an answer on the current point: by name in named workshops, only how many otherwise.
 */
export function presence(workshop: LiveWorkshop, connected: ReadonlySet<string>): Presence {
	const nameOf = (id: string) => workshop.participant(id)?.name ?? '';
	const byName = (a: string, b: string) => a.localeCompare(b, 'nb');
	const { anonymous, countsOnly, pacing, currentRiskPointId } = workshop.settings;
	// counts-only: no names at all, only how many
	const names = countsOnly ? [] : [...connected].map(nameOf).filter((name) => name !== '').sort(byName);
	let notAnswered: Presence['notAnswered'] = null;
	if (pacing === 'facilitator' && currentRiskPointId) {
		const waiting = [...connected].filter((id) => !workshop.hasAnswered(id, currentRiskPointId));
		const named = anonymous ? [] : waiting.map(nameOf).filter((name) => name !== '');
		notAnswered = { names: named.sort(byName), unnamed: waiting.length - named.length };
	}
	return { connected: connected.size, joined: workshop.memberCount, names, notAnswered, membersDone: workshop.membersDone(), answers: workshop.record.ratings.length };
}

/**
 * The members as the facilitator may see them: a name only where the workshop keeps names, whether
 * connected, and in named workshops how many answers they have given (never which). In anonymous
 * and counts-only workshops a count per member, set beside the live results, would tell who gave
 * which answer: there progress is only in aggregate. Removed members are not listed.
 */
export function memberList(workshop: LiveWorkshop, connected: ReadonlySet<string>): MemberSummary[] {
	const named = !workshop.settings.anonymous;
	const answers = new Map<string, number>();
	if (named) for (const rating of workshop.record.ratings) answers.set(rating.participantId, (answers.get(rating.participantId) ?? 0) + 1);
	const removed = new Set(workshop.settings.removedMembers);
	return workshop.record.participants
		.map((participant, index) => ({
			id: participant.id,
			number: index + 1,
			name: workshop.settings.countsOnly ? '' : participant.name,
			joinedAt: participant.joinedAt,
			connected: connected.has(participant.id),
			answers: named ? (answers.get(participant.id) ?? 0) : null
		}))
		.filter((member) => !removed.has(member.id));
}
