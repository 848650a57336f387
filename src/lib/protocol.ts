/**
 * What crosses the wire: zod schemas for every payload we accept, and the typed socket events
 * shared by the server (socket.io's Server<ClientToServerEvents, ServerToClientEvents>) and pages.
 */
import { z } from 'zod';
import { RISK_POINT_LIMITS } from './domain/risk-points';
import { LEVELS } from './domain/scales';
import { LANGUAGES, SCORINGS } from './domain/types';
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
import type { WorkshopResults } from './domain/results';

export const LIMITS = {
	title: 200,
	name: 60,
	scaleLabel: 60
} as const;

const text = (max: number) => z.string().trim().max(max);

export const languageSchema = z.enum(LANGUAGES);

export const scalesSchema = z.object({
	likelihood: z.object({ labels: z.array(text(LIMITS.scaleLabel).min(1)).length(LEVELS) }),
	consequence: z.object({ labels: z.array(text(LIMITS.scaleLabel).min(1)).length(LEVELS) })
});

export const createWorkshopSchema = z.object({
	title: text(LIMITS.title).min(1),
	language: languageSchema.optional(),
	scales: scalesSchema.optional()
});
export type CreateWorkshopInput = z.infer<typeof createWorkshopSchema>;

export const riskPointInputSchema = z.object({
	id: z.string().max(40).optional(),
	text: z.string(),
	code: z.string().optional(),
	category: z.string().optional(),
	description: z.string().optional()
});

export const riskPointListSchema = z.object({
	riskPoints: z.array(riskPointInputSchema).max(RISK_POINT_LIMITS.points)
});

export const workshopPatchSchema = z
	.object({
		title: text(LIMITS.title).min(1),
		language: languageSchema,
		status: z.enum(['open', 'closed']),
		pacing: z.enum(['self', 'facilitator']),
		currentRiskPointId: z.string().max(40).nullable(),
		scoring: z.enum(SCORINGS),
		scales: scalesSchema
	})
	.partial();
export type WorkshopPatch = z.infer<typeof workshopPatchSchema>;

const ratingValue = z.number().int().nullable();

export const rateSchema = z.object({
	riskPointId: z.string().min(1).max(40),
	likelihood: ratingValue,
	consequence: ratingValue
});
export type RateInput = z.infer<typeof rateSchema>;

export const memberAuthSchema = z.object({
	joinCode: z.string().max(20),
	participantToken: z.string().max(100).optional(),
	name: text(LIMITS.name).optional(),
	/** the language connection errors should be written in */
	language: languageSchema.optional()
});
export const facilitatorAuthSchema = z.object({
	workshopId: z.string().max(40),
	facilitatorKey: z.string().max(100),
	language: languageSchema.optional()
});

/** A risk point as everyone sees it. */
export type RiskPointView = RiskPoint;

/** What a member sees: the workshop and only their own answers. */
export interface MemberWorkshopView {
	id: string;
	title: string;
	status: WorkshopStatus;
	pacing: Pacing;
	language: Language;
	scales: Scales;
	riskPoints: RiskPointView[];
	currentRiskPointId: string | null;
	/** this member's answers by risk point id */
	ratings: Record<string, { likelihood: RatingValue; consequence: RatingValue }>;
}

/** What the facilitator sees of the workshop itself (results come separately). */
export interface FacilitatorWorkshopView extends Omit<MemberWorkshopView, 'ratings'> {
	joinCode: string;
	scoring: Scoring;
	matrix: RiskMatrix;
	createdAt: string;
	updatedAt: string;
	/** true once any rating exists: the list can no longer be replaced */
	hasRatings: boolean;
}

export interface Presence {
	/** members with at least one open connection */
	connected: number;
	/** members who have ever joined */
	joined: number;
	/** names of connected members who gave one, sorted */
	names: string[];
}

export type Ack = { ok: true } | { ok: false; error: string; code?: string };

export interface ServerToClientEvents {
	participant: (participant: { participantId: string; participantToken: string; name: string }) => void;
	workshop: (view: MemberWorkshopView | FacilitatorWorkshopView) => void;
	results: (results: WorkshopResults) => void;
	presence: (presence: Presence) => void;
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
