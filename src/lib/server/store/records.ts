import { z } from 'zod';
import { consequenceTypesSchema, knowledgeBaseSchema, languageSchema, scalesSchema } from '../../protocol';
import { KNOWLEDGE, SCORINGS } from '../../domain/types';
import { DEFAULT_CONSENSUS_THRESHOLD } from '../../domain/consensus';
import { DEFAULT_FLAG_RULE, DEFAULT_MIN_ANSWERS, FLAG_RULES } from '../../domain/results';
import { asDictionary, isUsableId } from '../../domain/ids';

/** An id as stored: never a name that reaches Object.prototype (see domain/ids.ts). */
const id = z.string().refine(isUsableId, 'not a usable id');

/** A lookup by risk point id, read into an object without a prototype. */
const byPoint = <T extends z.ZodType>(value: T) =>
	z
		.record(id, value)
		.default({})
		.transform((lookup) => asDictionary(lookup as Record<string, z.output<T>>));

/** The shape of a workshop file under data/workshops; checked on every load. */
const riskPointRecord = z.object({
	id,
	code: z.string(),
	text: z.string(),
	category: z.string(),
	description: z.string(),
	/** added with text edits after rating began: earlier wordings and when they were replaced */
	edits: z.array(z.object({ at: z.string(), from: z.string() })).optional()
});

const workshopSettings = z.object({
	id,
	title: z.string(),
	language: languageSchema,
	status: z.enum(['draft', 'open', 'closed']),
	pacing: z.enum(['self', 'facilitator']),
	scales: scalesSchema,
	matrix: z.object({ levels: z.array(z.array(z.enum(['low', 'medium', 'high']))) }),
	scoring: z.enum(SCORINGS),
	riskPoints: z.array(riskPointRecord),
	currentRiskPointId: id.nullable(),
	joinCode: z.string(),
	facilitatorKeyHash: z.string(),
	createdAt: z.string(),
	updatedAt: z.string(),
	// added with rounds and reveal; files written before then get the defaults
	anonymous: z.boolean().default(true),
	/** anonymous, and the facilitator sees only how many have answered until a round is shown to all (added later) */
	countsOnly: z.boolean().default(false),
	consensusThreshold: z.number().min(0).max(1).default(DEFAULT_CONSENSUS_THRESHOLD),
	/** added with the report analysis: when a point is flagged, and how many answers it needs to be ranked */
	flagRule: z.enum(FLAG_RULES).default(DEFAULT_FLAG_RULE),
	minAnswers: z.number().int().min(1).max(100).default(DEFAULT_MIN_ANSWERS),
	/** ask each member how strong the knowledge behind each answer is (added with the report analysis) */
	askKnowledge: z.boolean().default(false),
	/** the report of a workshop on its own (added with the report exports): the top N it asks about, case number, draft marking */
	report: z
		.object({ topN: z.number().int().min(1).max(100), caseNumber: z.string(), draft: z.boolean() })
		.default({ topN: 10, caseNumber: '', draft: false }),
	/** risk point id -> the round being rated now (absent: 1) */
	rounds: byPoint(z.number().int().min(1)),
	/** risk point id -> rounds whose distribution has been shown to the panel */
	revealed: byPoint(z.array(z.number().int().min(1))),
	/** risk point id -> the facilitator's notes */
	notes: byPoint(z.object({ discussion: z.string(), measures: z.string(), knowledgeBase: knowledgeBaseSchema.optional() })),
	// added with assessments: a workshop may belong to one
	assessmentId: id.nullable().default(null),
	/** a rehearsal: a copy with simulated members, deleted when it ends (no data kept) */
	kind: z.enum(['standalone', 'national', 'regional', 'rehearsal']).default('standalone'),
	// added with the presenter console: a timer per point (0: none), revealing by itself when all connected have answered
	pointSeconds: z.number().int().min(0).max(3600).default(0),
	autoReveal: z.boolean().default(false),
	/** facilitator pace: when the current point's timer runs out (null: no timer running) */
	timerEndsAt: z.string().nullable().default(null),
	/** the topic of the assessment it belongs to (its title), shown to members ('' for a workshop on its own) */
	topic: z.string().default(''),
	/**
	 * anonymous and counts-only workshops: members the facilitator removed after they had answered.
	 * They cannot come back, and are not counted or listed; their answers stay in the rounds they
	 * gave them in, since taking them out would show what they answered (docs/security.md).
	 */
	removedMembers: z.array(id).default([]),
	/** no new members may join (members with their token still come back) */
	joinClosed: z.boolean().default(false),
	/** the facilitator key's generation: a derived key (a workshop of an assessment) changes with it when it is rotated */
	keyGeneration: z.number().int().min(0).default(0),
	/** the projector link's key, as a hash ('' before the first link was made); and its generation, bumped when revoked */
	projectorKeyHash: z.string().default(''),
	projectorGeneration: z.number().int().min(0).default(0),
	/** the points of the new round the facilitator started last for several points (the flagged ones): ← → walk only these ([]: all) */
	roundPoints: z.array(id).default([]),
	/** a workshop by consequence type (DSB's method, added with fylkesROS): its types and rule; null: one consequence */
	consequenceTypes: consequenceTypesSchema.nullable().default(null)
});

const participantRecord = z.object({
	id,
	tokenHash: z.string(),
	name: z.string(),
	joinedAt: z.string()
});

const ratingRecord = z.object({
	participantId: id,
	riskPointId: id,
	round: z.number().int().min(1),
	likelihood: z.number().int().nullable(),
	consequence: z.number().int().nullable(),
	/** a workshop by consequence type: the answer per type (a level, null for "don't know", "na" for "not relevant") */
	types: z.array(z.union([z.number().int(), z.null(), z.literal('na')])).optional(),
	/** added with strength of knowledge: absent in older files and where not asked */
	knowledge: z.enum(KNOWLEDGE).nullable().optional(),
	/** added with comments: the member's reason for the answer (absent when none) */
	comment: z.string().max(2000).optional(),
	at: z.string()
});

export const workshopRecordSchema = z.object({
	version: z.literal(1),
	workshop: workshopSettings,
	participants: z.array(participantRecord),
	ratings: z.array(ratingRecord),
	/** the last journal line this snapshot includes (see journal.ts) */
	journalSeq: z.number().int().min(0).default(0)
});

export type WorkshopRecord = z.infer<typeof workshopRecordSchema>;
export type WorkshopSettings = WorkshopRecord['workshop'];
export type ParticipantRecord = WorkshopRecord['participants'][number];

/** The shape of an assessment file under data/assessments: the list, scales and its workshops. */
export const assessmentRecordSchema = z.object({
	version: z.literal(1),
	assessment: z.object({
		id,
		title: z.string(),
		description: z.string(),
		language: languageSchema,
		scales: scalesSchema,
		matrix: z.object({ levels: z.array(z.array(z.enum(['low', 'medium', 'high']))) }),
		riskPoints: z.array(riskPointRecord.extend({ addedAt: z.string() })),
		ownerKeyHash: z.string(),
		/** in creation order */
		workshopIds: z.array(id),
		createdAt: z.string(),
		updatedAt: z.string(),
		/** added with the report analysis: the top N asked about, and the answers a point needs to be ranked */
		analysis: z.object({ topN: z.number().int().min(1).max(100), minAnswers: z.number().int().min(1).max(100) }).default({ topN: 10, minAnswers: 3 }),
		/** the report's front page: the agency's case number (saksnummer) and whether it is a draft */
		report: z.object({ caseNumber: z.string(), draft: z.boolean() }).default({ caseNumber: '', draft: false }),
		/** what the facilitators of its workshops see of the members (all alike); before this was kept, anonymous */
		privacy: z.enum(['named', 'anonymous', 'counts']).default('anonymous'),
		/** who signs the report: the agency, the responsible adviser, who approved it and when (printed on the cover) */
		signOff: z
			.object({ organisation: z.string(), responsible: z.string(), approvedBy: z.string(), approvedAt: z.string() })
			.default({ organisation: '', responsible: '', approvedBy: '', approvedAt: '' }),
		/** by consequence type (DSB's method, added with fylkesROS): the types and rule its workshops take; null: one consequence */
		consequenceTypes: consequenceTypesSchema.nullable().default(null)
	})
});
export type AssessmentRecord = z.infer<typeof assessmentRecordSchema>;
export type AssessmentSettings = AssessmentRecord['assessment'];

/**
 * A final version of an assessment's report: its PDF, workbook and JSON as they were when the
 * owner marked the version final, with a SHA-256 checksum of each, kept unchanged for good.
 */
export const reportVersionRecordSchema = z.object({
	version: z.literal(1),
	report: z.object({
		id,
		assessmentId: id,
		/** 1, 2, … in the order they were marked final */
		number: z.number().int().min(1),
		finalAt: z.string(),
		weighting: z.enum(['workshop', 'member']),
		/** what the data was then (the export's version key): a report made of the same data is this version */
		state: z.string(),
		signOff: z.object({ organisation: z.string(), responsible: z.string(), approvedBy: z.string(), approvedAt: z.string() }),
		/** the files, base64 (the JSON as text) */
		files: z.object({ pdf: z.string(), xlsx: z.string(), json: z.string() }),
		sha256: z.object({ pdf: z.string(), xlsx: z.string(), json: z.string() })
	})
});
export type ReportVersionRecord = z.infer<typeof reportVersionRecordSchema>;

/** A saved risk-point list (and scales) to start the next assessment from. */
export const templateRecordSchema = z.object({
	version: z.literal(1),
	template: z.object({
		id,
		title: z.string(),
		riskPoints: z.array(riskPointRecord),
		scales: scalesSchema,
		createdAt: z.string(),
		/** the hash of the owner key that saved it; templates saved before owners were kept have none and are listed to nobody */
		ownerKeyHash: z.string().nullable().default(null),
		/** saved from an assessment by consequence type: its types, guidance and rule (null otherwise, and in older templates) */
		consequenceTypes: consequenceTypesSchema.nullable().default(null)
	})
});
export type TemplateRecord = z.infer<typeof templateRecordSchema>;
