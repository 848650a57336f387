/**
 * What crosses the wire: zod schemas for every payload we accept, and the typed socket events
 * shared by the server (socket.io's Server<ClientToServerEvents, ServerToClientEvents>) and pages.
 */
import { z } from 'zod';
import { RISK_POINT_LIMITS } from './domain/risk-points';
import { LIMITS } from './protocol-values';

export { LIMITS, currentRoundRevealed } from './protocol-values';
import { LEVELS } from './domain/scales';
import { KNOWLEDGE, LANGUAGES, NOT_RELEVANT, SCORINGS, type Knowledge, type TypeAnswer } from './domain/types';
import { MAX_TYPES, type ConsequenceTypes } from './domain/dsb-method';
import type {
	Language,
	Pacing,
	RatingValue,
	RiskMatrix,
	RiskPoint,
	Scales,
	Scoring,
	WorkshopStatus
} from './domain/types';
import { FLAG_RULES, type FlagRule, type PointNotes, type ResultsDelta, type WorkshopResults } from './domain/results';
import type { MatrixCell } from './domain/matrix';
import type { MatrixLevel } from './domain/types';
import type { WorkshopKind } from './domain/combined';
import { isUsableId } from './domain/ids';
import type { ViewDelta } from './domain/view-delta';
import type { Privacy } from './domain/privacy';

const text = (max: number) => z.string().trim().max(max);

/** An id from outside: letters, digits, - and _ (never a name of Object.prototype, see domain/ids.ts). */
export const idSchema = z.string().refine(isUsableId, { message: 'not a valid id (letters, digits, - and _, at most 40)' });

export const languageSchema = z.enum(LANGUAGES);

const scaleSchema = z.object({
	labels: z.array(text(LIMITS.scaleLabel).min(1)).length(LEVELS),
	/** guidance per level ('' for none), optional */
	descriptions: z.array(text(LIMITS.scaleDescription)).length(LEVELS).optional()
});
export const scalesSchema = z.object({ likelihood: scaleSchema, consequence: scaleSchema });

const strength = z.union([z.literal(1), z.literal(2), z.literal(3)]);
/** The knowledge base of one event (DSB's uncertainty): per type data, understanding, an agreement override with its reason, a note; and the sensitivity note. */
export const knowledgeBaseSchema = z.object({
	types: z
		.array(
			z.object({
				data: strength.nullable(),
				understanding: strength.nullable(),
				agreement: strength.nullable(),
				agreementReason: text(LIMITS.notes),
				note: text(LIMITS.notes)
			})
		)
		.max(MAX_TYPES),
	sensitivity: text(LIMITS.notes)
});

/** How a workshop rates consequence: one consequence (the default) or one per type (DSB's method). */
export const consequenceMethodSchema = z.enum(['single', 'perType']);

/** A workshop's consequence types (DSB's method): each with its levels' guidance and weight, and how they combine. */
export const consequenceTypesSchema = z.object({
	types: z
		.array(
			z.object({
				id: idSchema,
				name: text(LIMITS.scaleLabel).min(1),
				scale: scaleSchema,
				weight: z.number().min(0).max(100)
			})
		)
		.min(1)
		.max(MAX_TYPES)
		.refine((types) => new Set(types.map((type) => type.id)).size === types.length, { message: 'two types have the same id' }),
	rule: z.enum(['weightedMean', 'highest'])
});

export const createWorkshopSchema = z.object({
	title: text(LIMITS.title).min(1),
	language: languageSchema.optional(),
	scales: scalesSchema.optional(),
	/** false: the facilitator may see who has not answered yet */
	anonymous: z.boolean().optional(),
	/** anonymous, and the facilitator sees only how many have answered until a round is shown to all */
	countsOnly: z.boolean().optional(),
	/** ask how strong the knowledge behind each answer is */
	askKnowledge: z.boolean().optional(),
	/** one consequence (default) or one per type by DSB's method, with the DSB types unless given */
	method: consequenceMethodSchema.optional(),
	consequenceTypes: consequenceTypesSchema.optional()
});
export type CreateWorkshopInput = z.infer<typeof createWorkshopSchema>;

export const riskPointInputSchema = z.object({
	id: z.string().max(40).optional(),
	text: z.string(),
	code: z.string().optional(),
	category: z.string().optional(),
	description: z.string().optional()
});

/** A new wording of one point's text (allowed after rating began; the old one is kept with the time). */
export const pointTextSchema = z.object({ text: z.string().trim().min(1).max(RISK_POINT_LIMITS.text) });
export const riskPointListSchema = z.object({
	riskPoints: z.array(riskPointInputSchema).max(RISK_POINT_LIMITS.points)
});

const riskPointIds = z.array(idSchema).max(RISK_POINT_LIMITS.points);

export const workshopPatchSchema = z
	.object({
		title: text(LIMITS.title).min(1),
		language: languageSchema,
		status: z.enum(['open', 'closed']),
		pacing: z.enum(['self', 'facilitator']),
		currentRiskPointId: idSchema.nullable(),
		scoring: z.enum(SCORINGS),
		scales: scalesSchema,
		anonymous: z.boolean(),
		/** anonymous, and the facilitator sees only how many have answered until a round is shown to all */
		countsOnly: z.boolean(),
		consensusThreshold: z.number().min(0).max(1),
		flagRule: z.enum(FLAG_RULES),
		minAnswers: z.number().int().min(1).max(100),
		/** ask each member how strong the knowledge behind each answer is */
		askKnowledge: z.boolean(),
		/** a workshop by consequence type: its types, their guidance and weights, and the rule (until the first rating) */
		consequenceTypes: consequenceTypesSchema,
		/** the report's top N, case number and draft marking (a workshop on its own) */
		topN: z.number().int().min(1).max(100),
		caseNumber: text(60),
		draft: z.boolean(),
		/** seconds per point in facilitator pace (0: no timer); the round is shown to all when the time is up */
		pointSeconds: z.number().int().min(0).max(3600),
		/** show the current point's round to all as soon as every connected member has answered it */
		autoReveal: z.boolean(),
		/** no new members may join (those already in still come back with their token) */
		joinClosed: z.boolean(),
		/** start the current point's timer again, or stop it */
		timer: z.enum(['start', 'stop']),
		/** show these points' current round to the panel */
		revealed: riskPointIds,
		/** hide these points' current round again (a reveal made by mistake): members may answer it again */
		unrevealed: riskPointIds,
		/** start a new round: for every point, for the flagged ones, or for the listed ones */
		newRound: z.union([z.enum(['all', 'flagged']), riskPointIds]),
		/** stop walking only the last new round's points: ← → go through all again */
		allPoints: z.literal(true),
		/** a workshop by consequence type: the knowledge base of one point (data, understanding, agreement per type; sensitivity) */
		knowledgeBase: knowledgeBaseSchema.extend({ riskPointId: idSchema }),
		/** the facilitator's notes on one point */
		notes: z.object({
			riskPointId: idSchema,
			discussion: z.string().max(LIMITS.notes),
			measures: z.string().max(LIMITS.notes)
		})
	})
	.partial();
export type WorkshopPatch = z.infer<typeof workshopPatchSchema>;

const ratingValue = z.number().int().nullable();
/** A consequence type's answer: a level, null ("don't know") or "na" ("not relevant for this event"). */
const typeAnswer = z.union([z.number().int(), z.null(), z.literal(NOT_RELEVANT)]);

export const rateSchema = z.object({
	riskPointId: idSchema,
	likelihood: ratingValue,
	/** in a workshop by consequence type the server combines it from `types` (send null) */
	consequence: ratingValue,
	/** a workshop by consequence type: the answer per type, in the workshop's order */
	types: z.array(typeAnswer).max(MAX_TYPES).optional(),
	/** how strong the knowledge behind the answer is, where the workshop asks (optional) */
	knowledge: z.enum(KNOWLEDGE).nullable().optional(),
	/** the member's reason for the answer; absent: the stored one stays, '' removes it */
	comment: z.string().max(LIMITS.comment).optional()
});
export type RateInput = z.infer<typeof rateSchema>;

const isRatingValue = (value: unknown) => value === null || Number.isInteger(value);

/**
 * A rating as rateSchema reads it, checked by hand: the hot path of a live workshop, a thousand
 * times a second, with no result objects of the schema. Null for anything else (then rateSchema
 * gives the reason).
 */
export function quickRating(payload: unknown): RateInput | null {
	if (typeof payload !== 'object' || payload === null) return null;
	const { riskPointId, likelihood, consequence, types, knowledge, comment } = payload as Record<string, unknown>;
	if (typeof riskPointId !== 'string' || !isUsableId(riskPointId) || !isRatingValue(likelihood) || !isRatingValue(consequence)) return null;
	if (comment !== undefined && (typeof comment !== 'string' || comment.length > LIMITS.comment)) return null;
	const input: RateInput = { riskPointId, likelihood: likelihood as number | null, consequence: consequence as number | null };
	if (comment !== undefined) input.comment = comment as string;
	if (types !== undefined) {
		if (!Array.isArray(types) || types.length > MAX_TYPES || !types.every((answer) => answer === NOT_RELEVANT || isRatingValue(answer))) return null;
		input.types = types as TypeAnswer[];
	}
	if (knowledge === undefined) return input;
	if (knowledge !== null && !(KNOWLEDGE as readonly unknown[]).includes(knowledge)) return null;
	input.knowledge = knowledge as Knowledge | null;
	return input;
}

export const memberAuthSchema = z.object({
	joinCode: z.string().max(20),
	participantToken: z.string().max(100).optional(),
	name: text(LIMITS.name).optional(),
	/** the language connection errors should be written in */
	language: languageSchema.optional()
});
export const projectorAuthSchema = z.object({
	projectorFor: idSchema,
	/** the key of the projector link (its own capability, not the workshop id every member knows) */
	projectorKey: z.string().max(100).optional(),
	language: languageSchema.optional()
});
export const facilitatorAuthSchema = z.object({
	workshopId: idSchema,
	facilitatorKey: z.string().max(100),
	language: languageSchema.optional()
});

/** A risk point as everyone sees it. */
export type RiskPointView = RiskPoint;

export type OwnAnswer = { likelihood: RatingValue; consequence: RatingValue; types?: TypeAnswer[]; knowledge?: Knowledge | null; comment?: string };

/** The anonymous distribution of one scale in a revealed round. */
export interface RevealedScale {
	counts: number[];
	n: number;
	abstained: number;
	mean: number | null;
	median: number | null;
}

/** One consequence type's distribution in a revealed round, with how many said "not relevant". */
export interface RevealedType extends RevealedScale {
	notRelevant: number;
	relevant: boolean;
}

/** What everyone may see of a point's round once the facilitator has revealed it. */
export interface RevealedRound {
	round: number;
	responses: number;
	/** fewer answered than the workshop's privacy threshold (MIN_GROUP): only how many, no numbers */
	tooFewToShow: boolean;
	likelihood: RevealedScale;
	/** by consequence type: the members' overall consequence */
	consequence: RevealedScale;
	/** by consequence type: each type's distribution, in the workshop's order ([] otherwise, and with too few answers) */
	types: RevealedType[];
	cell: MatrixCell | null;
	level: MatrixLevel | null;
}

/** A point's timer: when it runs out and how long it was set to. */
export interface WorkshopTimer {
	endsAt: string;
	seconds: number;
}
/** What a member sees: the workshop, revealed distributions, and only their own answers. */
export interface MemberWorkshopView {
	id: string;
	title: string;
	/** the assessment's topic ('' for a workshop on its own) */
	topic: string;
	status: WorkshopStatus;
	pacing: Pacing;
	language: Language;
	anonymous: boolean;
	/** anonymous, and only counts until a round is shown to all */
	countsOnly: boolean;
	/** anonymous and counts-only: a round's numbers are shown only from this many answers (0: named) */
	minGroup: number;
	/** each answer also asks how strong the knowledge behind it is */
	askKnowledge: boolean;
	scales: Scales;
	/** rated by consequence type (DSB's method): the types, their guidance and the rule; null: one consequence */
	consequenceTypes: ConsequenceTypes | null;
	riskPoints: RiskPointView[];
	currentRiskPointId: string | null;
	/** risk point id -> the round being rated now */
	rounds: Record<string, number>;
	/** risk point id -> its revealed rounds, oldest first (nothing before the facilitator reveals) */
	revealed: Record<string, RevealedRound[]>;
	/** facilitator pace: the current point's timer while it runs (a countdown to endsAt) */
	timer: WorkshopTimer | null;
	/** this member's answers in each point's current round */
	ratings: Record<string, OwnAnswer>;
	/** this member's answers in the round before the current one (points in round 2 or later) */
	previousRatings: Record<string, OwnAnswer>;
}

/** What the facilitator sees of the workshop itself (results come separately). */
export interface FacilitatorWorkshopView extends Omit<MemberWorkshopView, 'ratings' | 'previousRatings'> {
	joinCode: string;
	scoring: Scoring;
	matrix: RiskMatrix;
	consensusThreshold: number;
	flagRule: FlagRule;
	minAnswers: number;
	report: { topN: number; caseNumber: string; draft: boolean };
	notes: Record<string, PointNotes>;
	/** seconds per point in facilitator pace (0: no timer) */
	pointSeconds: number;
	/** the round is shown to all as soon as every connected member has answered */
	autoReveal: boolean;
	/** no new members may join */
	joinClosed: boolean;
	/** the points of the last new round of several points, in list order: the console's ← → walk only these ([]: all) */
	roundPoints: string[];
	/** the members' reasons, per point, in rounds shown to all (names only in named workshops) */
	comments: Record<string, PointComment[]>;
	createdAt: string;
	updatedAt: string;
	/** true once any rating exists: the list can no longer be replaced */
	hasRatings: boolean;
	/** part of a risk assessment: its scales and privacy are the assessment's */
	assessmentOwned: boolean;
	/** the assessment it belongs to (null on its own) */
	assessmentId: string | null;
	/** a rehearsal with simulated members: nothing of it is kept */
	rehearsal: boolean;
}

/** A member's reason for an answer, as the facilitator sees it after the round is shown. */
export interface PointComment {
	round: number;
	text: string;
	/** '' in anonymous workshops and for members without a name */
	name: string;
}
/** The big screen: no names, nothing of a round before it is revealed. */
export interface ProjectorView {
	id: string;
	title: string;
	/** the assessment's topic ('' for a workshop on its own) */
	topic: string;
	status: WorkshopStatus;
	pacing: Pacing;
	language: Language;
	joinCode: string;
	scales: Scales;
	consequenceTypes: ConsequenceTypes | null;
	matrix: RiskMatrix;
	/** a round's numbers are shown only from this many answers (0: named workshops) */
	minGroup: number;
	/** members connected now */
	connected: number;
	/** the current point's timer while it runs */
	timer: WorkshopTimer | null;
	/** facilitator pace: the point everyone is on */
	current: {
		id: string;
		code: string;
		text: string;
		description: string;
		round: number;
		responses: number;
		revealed: RevealedRound | null;
		/** from round 2: the round before, as it was shown, for the comparison */
		previous: RevealedRound | null;
	} | null;
	/** members who have joined; those who have answered every point (self pace: "done") */
	joined: number;
	membersDone: number;
	/** when the workshop is closed: the top ten and every rated point in the matrix */
	final: {
		top: { id: string; rank: number; code: string; text: string; score: number | null; level: MatrixLevel | null }[];
		matrixPoints: ProjectorView['matrixPoints'];
	} | null;
	/** every point's progress in its current round */
	points: { id: string; code: string; round: number; responses: number; revealed: boolean }[];
	/** points placed in the matrix by their latest revealed round */
	matrixPoints: { id: string; code: string; text: string; cell: MatrixCell; level: MatrixLevel | null; round: number }[];
}

export interface Presence {
	/** members with at least one open connection */
	connected: number;
	/** members who have ever joined */
	joined: number;
	/** names of connected members who gave one, sorted */
	names: string[];
	/** facilitator pace: connected members without an answer on the current point (names only in named workshops) */
	notAnswered: { names: string[]; unnamed: number } | null;
	/** members who have answered every point in its current round (self pace: done) */
	membersDone: number;
	/** answers given in all, over every point and round: a screen that lists members' progress reloads when it moves */
	answers: number;
}

/** One member as the facilitator's member list shows them (GET /api/workshops/:id/members). */
export interface MemberSummary {
	id: string;
	/** in the order they joined, from 1 */
	number: number;
	/** empty in anonymous workshops */
	name: string;
	joinedAt: string;
	connected: boolean;
	/** answers given, over all points and rounds: named workshops only (null in anonymous and counts-only ones) */
	answers: number | null;
}

/** A member's own answer as stored: what changes on their screen after a rating. */
export interface AnswerUpdate {
	riskPointId: string;
	round: number;
	likelihood: RatingValue;
	/** by consequence type: the overall the server combined from `types` */
	consequence: RatingValue;
	/** by consequence type: the answer per type as stored */
	types?: TypeAnswer[];
	/** the strength of knowledge as stored (only where the workshop asks and the member said) */
	knowledge?: Knowledge | null;
	/** the member's reason as stored (only when they gave one) */
	comment?: string;
}

/** The answer to a rating: stored (with the answer as stored), or why not. */
export type Ack = { ok: true; answer?: AnswerUpdate } | { ok: false; error: string; code?: string };

export interface ServerToClientEvents {
	/**
	 * who the member is, with the token to come back with; a new member's client answers (ack) once
	 * it has the token, and only then is the member stored and counted (no phantoms from handshakes
	 * that failed on the way)
	 */
	participant: (participant: { participantId: string; participantToken: string; name: string }, received?: () => void) => void;
	workshop: (view: MemberWorkshopView | FacilitatorWorkshopView) => void;
	/** a member's own answer, stored from another of their connections (the whole view comes on join only) */
	answer: (answer: AnswerUpdate) => void;
	results: (results: WorkshopResults) => void;
	/** what changed in the results since the last results or resultsDelta (see domain/results.ts) */
	resultsDelta: (delta: ResultsDelta) => void;
	presence: (presence: Presence) => void;
	projector: (view: ProjectorView) => void;
	/** what changed in the projector view since the last projector or projectorDelta (domain/view-delta.ts) */
	projectorDelta: (delta: ViewDelta) => void;
}

export interface ClientToServerEvents {
	rate: (rating: RateInput, ack: (ack: Ack) => void) => void;
}

/** The first problem in a zod error, as "field: problem" for an error message. */
export function describeZodError(error: z.ZodError): string {
	const issue = error.issues[0];
	if (!issue) return 'invalid input';
	const path = issue.path.join('.');
	return path ? `${path}: ${issue.message}` : issue.message;
}

/** Assessments: one list, many workshops (a national panel and regional workshops). */
export const createAssessmentSchema = z.object({
	title: text(LIMITS.title).min(1),
	description: text(LIMITS.notes).optional(),
	language: languageSchema.optional(),
	scales: scalesSchema.optional(),
	riskPoints: z.array(riskPointInputSchema).max(RISK_POINT_LIMITS.points).optional(),
	/** start from a saved template's list and scales, opened with the owner key that saved it */
	templateId: idSchema.optional(),
	templateKey: z.string().max(100).optional(),
	/** what the facilitators of its workshops see of the members (default anonymous) */
	privacy: z.enum(['named', 'anonymous', 'counts']).optional(),
	/** one consequence (default) or one per type by DSB's method, with the DSB types unless given */
	method: consequenceMethodSchema.optional(),
	consequenceTypes: consequenceTypesSchema.optional()
});
export type CreateAssessmentInput = z.infer<typeof createAssessmentSchema>;

export const assessmentPatchSchema = z
	.object({
		title: text(LIMITS.title).min(1),
		description: text(LIMITS.notes),
		/** the top N the report asks about (P(top N), robust top) */
		topN: z.number().int().min(1).max(100),
		/** answers a point needs over all workshops to be ranked */
		minAnswers: z.number().int().min(1).max(100),
		caseNumber: text(60),
		draft: z.boolean(),
		/** the scales' labels and guidance: until the first answer in any of its workshops */
		scales: scalesSchema,
		/** by consequence type: the types, their guidance and weights, and the rule (until the first answer) */
		consequenceTypes: consequenceTypesSchema,
		/** what the facilitators of every workshop see of the members; once any has answers, only stricter */
		privacy: z.enum(['named', 'anonymous', 'counts']),
		/** who signs the report: printed on its cover */
		signOff: z
			.object({
				organisation: text(LIMITS.title),
				responsible: text(LIMITS.title),
				approvedBy: text(LIMITS.title),
				/** a date, yyyy-mm-dd, or '' */
				approvedAt: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as yyyy-mm-dd')])
			})
			.partial()
	})
	.partial();
export type AssessmentPatch = z.infer<typeof assessmentPatchSchema>;

export const createAssessmentWorkshopSchema = z.union([
	/** privacy is the assessment's (PATCH it there): its workshops are all alike */
	z.object({
		kind: z.enum(['national', 'regional']),
		title: text(LIMITS.title).min(1).optional()
	}),
	/** one regional workshop per county governor */
	z.object({ preset: z.literal('county-governors') })
]);

export const createTemplateSchema = z.object({
	title: text(LIMITS.title).min(1)
});

/** What an assessment's owner sees of it (GET /api/assessments/:id). */
export interface AssessmentOverview {
	id: string;
	title: string;
	description: string;
	language: Language;
	scales: Scales;
	/** by consequence type (DSB's method): the types its workshops rate; null: one consequence */
	consequenceTypes: ConsequenceTypes | null;
	matrix: RiskMatrix;
	riskPoints: (RiskPoint & { addedAt: string })[];
	createdAt: string;
	updatedAt: string;
	/** true once any of its workshops has ratings: the list can then only grow */
	hasRatings: boolean;
	/** workshops whose stored data could not be read (set aside, left as they are on disk) */
	unreadableWorkshops: string[];
	analysis: { topN: number; minAnswers: number };
	report: { caseNumber: string; draft: boolean };
	/** what the facilitators of its workshops see of the members */
	privacy: Privacy;
	signOff: { organisation: string; responsible: string; approvedBy: string; approvedAt: string };
	/** the report's final versions, oldest first (each downloadable as it was kept) */
	versions: { number: number; finalAt: string }[];
	workshops: {
		id: string;
		title: string;
		kind: WorkshopKind;
		status: WorkshopStatus;
		joinCode: string;
		joinUrl: string;
		/** the workshop's own facilitator link (its key is derived from the owner key); null for older workshops until a new key is made */
		facilitatorUrl: string | null;
		/** the workshop's projector link (its own key, derived from the workshop's); null where facilitatorUrl is */
		projectorUrl: string | null;
		points: number;
		members: number;
		answers: number;
		createdAt: string;
		/** members connected now */
		connected: number;
		/** answers in the points' current rounds, over members × points (0 to 1): how far the workshop is */
		progress: number;
		/** points flagged for discussion now (by its flag rule; none shown below MIN_GROUP in anonymous workshops) */
		flagged: number;
		pacing: Pacing;
		/** facilitator pace: the point under way (1-based place in the list), else null */
		currentIndex: number | null;
	}[];
}

