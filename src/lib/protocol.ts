/**
 * What the server accepts: zod schemas for every payload from outside, and the hot-path check of a
 * rating. What it sends (the views, presence, the typed socket events) is in protocol-views.ts,
 * re-exported here.
 */
import { z } from 'zod';
import { RISK_POINT_LIMITS } from './domain/risk-points';
import { LIMITS } from './protocol-values';

export { LIMITS, currentRoundRevealed } from './protocol-values';
export type { RiskPointView, OwnAnswer, RevealedScale, RevealedType, RevealedRound, WorkshopTimer, MemberWorkshopView, FacilitatorWorkshopView, PointComment, ProjectorView, Presence, MemberSummary, AnswerUpdate, Ack, ServerToClientEvents, ClientToServerEvents, AssessmentOverview, RatingMessage } from './protocol-views';
import { LEVELS } from './domain/scales';
import { KNOWLEDGE, LANGUAGES, NOT_RELEVANT, SCORINGS, type Knowledge, type TypeAnswer } from './domain/types';
import { MAX_TYPES } from './domain/dsb-method';
import { FLAG_RULES } from './domain/results';
import { isUsableId } from './domain/ids';

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

