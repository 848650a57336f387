// the languages are the catalogues' (i18n/languages.ts); a workshop and its exports name one
export { LANGUAGES, type Language } from '../i18n/languages';

export type ScaleName = 'likelihood' | 'consequence';
export const SCALE_NAMES: readonly ScaleName[] = ['likelihood', 'consequence'];

/** An ordinal rating scale: level n (1-based) has labels[n - 1]. */
export interface Scale {
	labels: string[];
	/** guidance per level, shown to members under the label ("several times a year"); '' for none */
	descriptions?: string[];
}

export interface Scales {
	likelihood: Scale;
	consequence: Scale;
}

/** low/medium/high per matrix cell, indexed [likelihood - 1][consequence - 1]. */
export type MatrixLevel = 'low' | 'medium' | 'high';
export interface RiskMatrix {
	levels: MatrixLevel[][];
}

export const SCORINGS = ['product-of-means', 'mean-of-products', 'product-of-medians'] as const;
export type Scoring = (typeof SCORINGS)[number];

export type WorkshopStatus = 'draft' | 'open' | 'closed';
export type Pacing = 'self' | 'facilitator';

export interface RiskPoint {
	id: string;
	code: string;
	text: string;
	category: string;
	description: string;
	/** the text's earlier wordings, oldest first, with when each was replaced (a typo fixed during a session) */
	edits?: TextEdit[];
}

/** An earlier wording of a point's text and when it was replaced. */
export interface TextEdit {
	at: string;
	from: string;
}

/** What a user supplies for a risk point before it gets an id (and maybe a code). */
export interface RiskPointInput {
	text: string;
	code?: string;
	category?: string;
	description?: string;
}

/** A member's answer on one scale: a level, or null for "don't know". */
export type RatingValue = number | null;

/**
 * A member's answer for one consequence type of one event (a workshop by DSB's method, see
 * dsb-method.ts): a level, null for "don't know", 'na' for "not relevant for this event".
 */
export type TypeAnswer = number | null | 'na';
export const NOT_RELEVANT = 'na';

/**
 * How strong the knowledge behind an answer is, in the member's own judgement (the third question
 * of a workshop that asks it: DSB's and the PSA's "strength of knowledge"). It is shown beside the
 * score and never changes it.
 */
export const KNOWLEDGE = ['strong', 'moderate', 'weak'] as const;
export type Knowledge = (typeof KNOWLEDGE)[number];
/** How many answers gave each strength of knowledge. */
export type KnowledgeCounts = Record<Knowledge, number>;

export interface Rating {
	participantId: string;
	riskPointId: string;
	round: number;
	likelihood: RatingValue;
	/** in a workshop by consequence type: the member's overall consequence, combined from `types` by the workshop's rule */
	consequence: RatingValue;
	/** a workshop by consequence type: the answer per type, in the workshop's order of types (absent in other workshops) */
	types?: TypeAnswer[];
	/** the strength of knowledge behind it, where the workshop asks (absent or null: not given) */
	knowledge?: Knowledge | null;
	/** the member's reason for the answer (optional; absent when none) */
	comment?: string;
	/** ISO time the rating was (last) given */
	at: string;
}
