/**
 * What the server sends: the views of a workshop each audience gets (member, facilitator,
 * projector, an assessment's owner), presence, acknowledgements and the typed socket events.
 * Types only; protocol.ts (the schemas of what the server accepts) re-exports them.
 */
import type { ConsequenceTypes } from './domain/dsb-method';
import type { Knowledge, Language, Rating, MatrixLevel, Pacing, RatingValue, RiskMatrix, RiskPoint, Scales, Scoring, TypeAnswer, WorkshopStatus } from './domain/types';
import type { FlagRule, PointNotes, WorkshopResults } from './domain/results';
import type { ResultsDelta, SentResults } from './domain/results-delta';
import type { MatrixCell } from './domain/matrix';
import type { WorkshopKind } from './domain/combined';
import type { ViewDelta } from './domain/view-delta';
import type { Privacy } from './domain/privacy';

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
	/** the results whole, each point as SentPointResult (receivedResults makes them WorkshopResults) */
	results: (results: SentResults) => void;
	/**
	 * what changed in the results since the last results or resultsDelta (see domain/results.ts);
	 * after ratings, presence as it is now rides with it instead of coming on its own
	 */
	resultsDelta: (delta: ResultsDelta & { presence?: Presence }) => void;
	presence: (presence: Presence) => void;
	projector: (view: ProjectorView) => void;
	/** what changed in the projector view since the last projector or projectorDelta (domain/view-delta.ts) */
	projectorDelta: (delta: ViewDelta) => void;
}

/** A rating as a member's page sends it (protocol.ts rateSchema and quickRating check it). */
export type RatingMessage = Pick<Rating, 'riskPointId' | 'likelihood' | 'consequence' | 'types' | 'knowledge' | 'comment'>;

export interface ClientToServerEvents {
	rate: (rating: RatingMessage, ack: (ack: Ack) => void) => void;
}

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

