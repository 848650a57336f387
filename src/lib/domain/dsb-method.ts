import type { Language, Scale, TypeAnswer, RatingValue } from './types';

export type { TypeAnswer } from './types';

/**
 * The county governors' other risk workshop: a county risk and vulnerability analysis (fylkesROS)
 * by the method of the Directorate for Civil Protection (DSB). Issue 27; docs/method.md, "Consequence
 * per type (DSB's method)". Sources of the defaults: DSB, Veileder til fylkesROS (2016, v4 2020)
 * and Veileder til helhetlig risiko- og sårbarhetsanalyse i kommunen (2014); Statsforvalteren i
 * Rogaland, fylkesROS 2023-2026, appendices 4 (likelihood), 5 (consequence) and 6 (uncertainty).
 *
 * This module holds the rules only (pure functions, no storage): the consequence types, the
 * likelihood as frequency categories, how the types combine into an overall consequence, and the
 * uncertainty from the strength of the knowledge base.
 */

/** One consequence for the people served (Helsetilsynet's method, the default) or one per type (DSB's). */
export type ConsequenceMethod = 'single' | 'perType';

/** How the types' consequences make the overall one (see combineConsequence). */
export type CombinationRule = 'highest' | 'weightedMean';

export interface ConsequenceType {
	/** stable within an assessment: ratings and exports refer to it */
	id: string;
	name: string;
	/** the levels (labels) and what each means for this type (descriptions: thresholds or criteria) */
	scale: Scale;
	/** its weight in a weighted mean (1 unless the facilitator says otherwise) */
	weight: number;
}

/** A workshop's consequence types and how they combine (absent or null: one consequence, Helsetilsynet's method). */
export interface ConsequenceTypes {
	types: ConsequenceType[];
	rule: CombinationRule;
}

/** The most types a workshop may have (the national risk picture has five). */
export const MAX_TYPES = 8;

const TYPE_IDS = ['life', 'nature', 'economy', 'stability', 'governance'] as const;

const TYPE_NAMES: Record<Language, Record<(typeof TYPE_IDS)[number], string>> = {
	nb: { life: 'Liv og helse', nature: 'Natur og kulturmiljø', economy: 'Økonomi', stability: 'Samfunnsstabilitet', governance: 'Styringsevne' },
	nn: { life: 'Liv og helse', nature: 'Natur og kulturmiljø', economy: 'Økonomi', stability: 'Samfunnsstabilitet', governance: 'Styringsevne' },
	en: { life: 'Life and health', nature: 'Nature and cultural environment', economy: 'Economy', stability: 'Societal stability', governance: 'Governance capacity' }
};

const CONSEQUENCE_LABELS: Record<Language, string[]> = {
	nb: ['Svært små', 'Små', 'Middels', 'Store', 'Svært store'],
	nn: ['Svært små', 'Små', 'Middels', 'Store', 'Svært store'],
	en: ['Very small', 'Small', 'Medium', 'Large', 'Very large']
};

/**
 * What a level means for the types counted in numbers, at county scale: the national risk
 * picture's thresholds scaled to 25 %, as Rogaland's fylkesROS states them (medium: 5-25 deaths;
 * economy: small 25-125, medium 125-500 million kroner). Only the levels the published analysis
 * states are filled in; the facilitator completes them with the office's own before the first
 * rating (the types' guidance is editable until then). Types judged on criteria (nature,
 * societal stability, governance capacity) start without guidance for the same reason.
 */
const KNOWN_GUIDANCE: Record<Language, Partial<Record<(typeof TYPE_IDS)[number], string[]>>> = {
	nb: { life: ['', '', '5–25 dødsfall', '', ''], economy: ['', '25–125 mill. kr', '125–500 mill. kr', '', ''] },
	nn: { life: ['', '', '5–25 dødsfall', '', ''], economy: ['', '25–125 mill. kr', '125–500 mill. kr', '', ''] },
	en: { life: ['', '', '5–25 deaths', '', ''], economy: ['', 'NOK 25–125 million', 'NOK 125–500 million', '', ''] }
};

/** The five types of the national risk picture, in the workshop's language (a fresh copy to edit). */
export function defaultConsequenceTypes(language: Language): ConsequenceType[] {
	return TYPE_IDS.map((id) => {
		const guidance = KNOWN_GUIDANCE[language][id];
		return {
			id,
			name: TYPE_NAMES[language][id],
			scale: { labels: [...CONSEQUENCE_LABELS[language]], ...(guidance ? { descriptions: [...guidance] } : {}) },
			weight: 1
		};
	});
}

/**
 * Likelihood as frequency categories A-E, the interval beside each (DSB's guides; Rogaland's
 * appendix 4). Offices and levels (municipal, county, national) use other intervals: the labels
 * and descriptions are the assessment's to edit.
 */
const FREQUENCIES: Record<Language, Scale> = {
	nb: {
		labels: ['A Svært lav', 'B Lav', 'C Middels', 'D Høy', 'E Svært høy'],
		descriptions: [
			'Sjeldnere enn én gang i løpet av 1000 år (under 0,1 % per år)',
			'Én gang i løpet av 100 til 1000 år (0,1–1 % per år)',
			'Én gang i løpet av 50 til 100 år (1–2 % per år)',
			'Én gang i løpet av 10 til 50 år (2–10 % per år)',
			'Oftere enn én gang i løpet av 10 år (over 10 % per år)'
		]
	},
	nn: {
		labels: ['A Svært låg', 'B Låg', 'C Middels', 'D Høg', 'E Svært høg'],
		descriptions: [
			'Sjeldnare enn éin gong i løpet av 1000 år (under 0,1 % per år)',
			'Éin gong i løpet av 100 til 1000 år (0,1–1 % per år)',
			'Éin gong i løpet av 50 til 100 år (1–2 % per år)',
			'Éin gong i løpet av 10 til 50 år (2–10 % per år)',
			'Oftare enn éin gong i løpet av 10 år (over 10 % per år)'
		]
	},
	en: {
		labels: ['A Very low', 'B Low', 'C Medium', 'D High', 'E Very high'],
		descriptions: [
			'Less than once in 1,000 years (under 0.1 % a year)',
			'Once in 100 to 1,000 years (0.1–1 % a year)',
			'Once in 50 to 100 years (1–2 % a year)',
			'Once in 10 to 50 years (2–10 % a year)',
			'More than once in 10 years (over 10 % a year)'
		]
	}
};

/** The overall consequence's levels in a workshop by type (the same five words as each type's). */
export function defaultOverallScale(language: Language): Scale {
	return { labels: [...CONSEQUENCE_LABELS[language]] };
}

export function defaultFrequencyScale(language: Language): Scale {
	return structuredClone(FREQUENCIES[language]);
}

/**
 * The overall consequence of an event from its types' consequences (the panel's value per type,
 * on the same 1..n levels). Types without a value (not relevant, or nobody gave a level) take no
 * part; null when none has one.
 * - weightedMean (the default): the types' values weighted, 1 each unless set. Rogaland's
 *   published assessment of a risk area gives its types as medium (life and health), large (the
 *   cultural part of nature and culture), medium (economy), medium (daily life) and very small
 *   (governance), and "Totalt: Middels": the mean, 2.8, to the nearest level, not the highest.
 *   Never above the highest type, never below the lowest.
 * - highest: the most severe type decides, for a panel that will not let a severe consequence of
 *   one type be softened by mild ones of the others.
 */
export function combineConsequence(values: readonly (number | null | undefined)[], types: readonly Pick<ConsequenceType, 'weight'>[], rule: CombinationRule): number | null {
	let highest = -Infinity;
	let weighted = 0;
	let weights = 0;
	values.forEach((value, index) => {
		if (value === null || value === undefined || !Number.isFinite(value)) return;
		const weight = types[index]?.weight ?? 1;
		highest = Math.max(highest, value);
		if (weight > 0) {
			weighted += weight * value;
			weights += weight;
		}
	});
	if (highest === -Infinity) return null;
	if (rule === 'highest') return highest;
	// every relevant type weighted 0: no mean to take, the highest stands
	return weights > 0 ? weighted / weights : highest;
}

/**
 * A member's overall consequence from their own answer per type: the types with a level combined
 * by the rule (their "not relevant" and "don't know" take no part), then to the nearest level, as
 * Rogaland prints "Totalt: Middels" for a mean of 2.8 (halves go up: the cautious side). Null when
 * no type has a level. This is what the member's rating stores as its consequence, so that the
 * matrix, the ranking, reveal, rounds and every export treat the overall like any consequence.
 */
export function overallConsequence(answers: readonly TypeAnswer[], setting: ConsequenceTypes): RatingValue {
	const values = answers.map((answer) => (typeof answer === 'number' ? answer : null));
	const combined = combineConsequence(values, setting.types, setting.rule);
	return combined === null ? null : Math.floor(combined + 0.5);
}

/** The default for a new workshop by consequence type: the five types, combined by their mean. */
export function defaultConsequenceTypesSetting(language: Language): ConsequenceTypes {
	return { types: defaultConsequenceTypes(language), rule: 'weightedMean' };
}

/** The levels a type was given (not "don't know", not "not relevant"). */
export function levelsOf(answers: readonly TypeAnswer[]): number[] {
	return answers.filter((answer): answer is number => typeof answer === 'number');
}

/**
 * A type is not relevant for an event when the facilitator says so for the point, or when most
 * of the members who answered it said "not relevant" (more than half; a tie keeps it relevant,
 * so a split panel's levels still count).
 */
export function typeIsRelevant(answers: readonly TypeAnswer[], markedNotRelevant: boolean): boolean {
	if (markedNotRelevant) return false;
	return typeIsRelevantByCounts(levelsOf(answers).length, answers.filter((answer) => answer === 'na').length);
}

/** typeIsRelevant from a type's counts: `levels` answers with a level, `notRelevant` saying "not relevant". */
export function typeIsRelevantByCounts(levels: number, notRelevant: number): boolean {
	return notRelevant * 2 <= levels + notRelevant;
}

/**
 * The strength of the knowledge base: three indicators, each on three steps (DSB; Rogaland's
 * appendix 6): data and experience, understanding of the phenomenon, agreement in the expert
 * group. 1 = strong knowledge (low uncertainty), 2 = medium, 3 = weak (high uncertainty).
 */
export type Strength = 1 | 2 | 3;
export interface KnowledgeBase {
	data: Strength;
	understanding: Strength;
	agreement: Strength;
}

/** The uncertainty of one type: the mean of its three indicators (1..3). */
export function typeUncertainty(base: KnowledgeBase): number {
	return (base.data + base.understanding + base.agreement) / 3;
}

/** The event's uncertainty: the mean over the relevant types that were assessed; null when none was. */
export function eventUncertainty(bases: readonly (KnowledgeBase | null | undefined)[]): number | null {
	const assessed = bases.filter((base): base is KnowledgeBase => Boolean(base));
	if (assessed.length === 0) return null;
	return assessed.reduce((sum, base) => sum + typeUncertainty(base), 0) / assessed.length;
}

export type UncertaintyLevel = 'low' | 'medium' | 'high';

/** The step nearest the mean (1.5 and up is medium, 2.5 and up high): what the report prints beside the risk. */
export function uncertaintyLevel(value: number): UncertaintyLevel {
	if (value >= 2.5) return 'high';
	if (value >= 1.5) return 'medium';
	return 'low';
}

/**
 * Agreement in the expert group, from the panel's spread on one type of one event: the share of
 * the levels given that lie within one level of their median. At least 80 %: strong (1); at least
 * 50 %: medium (2); less: weak (3). Null with fewer than 3 levels (too few to speak of a group:
 * the same threshold as the privacy rule). The facilitator sees it and may override it with a
 * reason (the override is what the report prints).
 */
export function agreementFromSpread(levels: readonly number[]): Strength | null {
	if (levels.length < 3) return null;
	const sorted = [...levels].sort((a, b) => a - b);
	const middle = sorted.length / 2;
	const median = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
	const near = sorted.filter((level) => Math.abs(level - median) <= 1).length / sorted.length;
	if (near >= 0.8) return 1;
	if (near >= 0.5) return 2;
	return 3;
}

/**
 * What the facilitator records of the knowledge base for one type of one event: data and
 * experience, and understanding of the phenomenon (null: not assessed yet), an agreement that
 * overrides the one computed from the spread (null: the computed one stands) with its reason,
 * and a note. The panel's third indicator, agreement, comes from its answers (agreementFromSpread).
 */
export interface TypeKnowledge {
	data: Strength | null;
	understanding: Strength | null;
	agreement: Strength | null;
	agreementReason: string;
	note: string;
}

/** The knowledge base of one event: per type, and the sensitivity note (what would change the assessment substantially). */
export interface PointKnowledgeBase {
	types: TypeKnowledge[];
	sensitivity: string;
}

/** An event's uncertainty, per type (in the workshop's order) and overall. */
export interface PointUncertainty {
	/** agreement computed from each type's spread (null: fewer than 3 levels given) */
	agreementFromSpread: (Strength | null)[];
	/** the agreement used: the facilitator's override, else the computed one */
	agreement: (Strength | null)[];
	/** each type's uncertainty, 1 (low) to 3 (high): null until data, understanding and agreement are known, and for a type not relevant */
	types: (number | null)[];
	/** the mean over the relevant types assessed (eventUncertainty); null when none is */
	event: number | null;
}

/** The levels behind counts per level, lowest first (what agreementFromSpread reads). */
export function levelsFromCounts(counts: readonly number[]): number[] {
	return counts.flatMap((count, index) => new Array<number>(count).fill(index + 1));
}

/** An event's uncertainty from its types' answers (the round the results use) and the knowledge base recorded for it. */
export function pointUncertainty(types: readonly { counts: readonly number[]; relevant: boolean }[], base: PointKnowledgeBase | undefined): PointUncertainty {
	const fromSpread = types.map((type) => agreementFromSpread(levelsFromCounts(type.counts)));
	const agreement = fromSpread.map((computed, index) => base?.types[index]?.agreement ?? computed);
	const bases = types.map((type, index): KnowledgeBase | null => {
		const recorded = base?.types[index];
		const agreed = agreement[index];
		if (!type.relevant || !recorded?.data || !recorded.understanding || !agreed) return null;
		return { data: recorded.data, understanding: recorded.understanding, agreement: agreed };
	});
	return { agreementFromSpread: fromSpread, agreement, types: bases.map((known) => (known ? typeUncertainty(known) : null)), event: eventUncertainty(bases) };
}
