/**
 * The rules of DSB's method (src/lib/domain/dsb-method.ts, issue 27): how consequence types
 * combine, the uncertainty from the knowledge base, agreement from the panel's spread, and the
 * defaults with their sources. Examples from the published analysis, and properties over random
 * inputs checked against a direct computation.
 */
import { describe, expect, it } from 'vitest';
import {
	agreementFromSpread,
	combineConsequence,
	defaultConsequenceTypes,
	defaultFrequencyScale,
	eventUncertainty,
	levelsOf,
	typeIsRelevant,
	typeUncertainty,
	uncertaintyLevel,
	type KnowledgeBase,
	type Strength
} from '../../src/lib/domain/dsb-method';

/** a small seeded generator: the same cases every run */
function random(seed: number) {
	return () => {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed / 2147483648;
	};
}

describe('combining consequence types', () => {
	const five = defaultConsequenceTypes('nb');

	it("gives Rogaland's published total for its published types (medium, large, medium, medium, very small: Middels)", () => {
		const types = [3, 4, 3, 3, 1];
		const mean = combineConsequence(types, five, 'weightedMean')!;
		expect(mean).toBeCloseTo(2.8, 10);
		expect(five[0]!.scale.labels[Math.round(mean) - 1]).toBe('Middels');
		expect(combineConsequence(types, five, 'highest')).toBe(4);
	});

	it('leaves out types without a value, and has no overall when no type has one', () => {
		expect(combineConsequence([null, 2, undefined, 4, null], five, 'weightedMean')).toBe(3);
		expect(combineConsequence([null, 2, undefined, 4, null], five, 'highest')).toBe(4);
		expect(combineConsequence([null, null, undefined, undefined, null], five, 'weightedMean')).toBeNull();
		expect(combineConsequence([], five, 'highest')).toBeNull();
	});

	it('weighs by the types\' weights; all weights 0 leaves the highest', () => {
		const weighted = five.map((type, index) => ({ ...type, weight: index === 0 ? 3 : 1 }));
		expect(combineConsequence([5, 1, 1, 1, 1], weighted, 'weightedMean')).toBeCloseTo((15 + 4) / 7, 12);
		const none = five.map((type) => ({ ...type, weight: 0 }));
		expect(combineConsequence([2, 4, 3, null, 1], none, 'weightedMean')).toBe(4);
	});

	it('property: the weighted mean lies between the lowest and the highest type, and equals a direct computation', () => {
		const next = random(27);
		for (let trial = 0; trial < 2000; trial++) {
			const types = five.map((type) => ({ ...type, weight: Math.round(next() * 4) }));
			const values = types.map(() => (next() < 0.25 ? null : 1 + Math.floor(next() * 5)));
			const present = values.map((value, index) => [value, types[index]!.weight] as const).filter(([value]) => value !== null) as [number, number][];
			const mean = combineConsequence(values, types, 'weightedMean');
			const highest = combineConsequence(values, types, 'highest');
			if (present.length === 0) {
				expect(mean).toBeNull();
				expect(highest).toBeNull();
				continue;
			}
			const max = Math.max(...present.map(([value]) => value));
			const min = Math.min(...present.map(([value]) => value));
			expect(highest).toBe(max);
			const weight = present.reduce((sum, [, w]) => sum + w, 0);
			const expected = weight > 0 ? present.reduce((sum, [value, w]) => sum + value * w, 0) / weight : max;
			expect(mean).toBeCloseTo(expected, 12);
			expect(mean!).toBeGreaterThanOrEqual(min - 1e-12);
			expect(mean!).toBeLessThanOrEqual(max + 1e-12);
		}
	});
});

describe('not relevant', () => {
	it('is the facilitator\'s mark, or more than half of the answers given', () => {
		expect(typeIsRelevant([3, 'na', 'na', null], false)).toBe(false);
		expect(typeIsRelevant([3, 4, 'na', 'na'], false)).toBe(true);
		expect(typeIsRelevant([3, 4, 2], true)).toBe(false);
		expect(typeIsRelevant([null, null], false)).toBe(true);
		expect(levelsOf([3, 'na', null, 5])).toEqual([3, 5]);
	});
});

describe('uncertainty from the knowledge base', () => {
	const base = (data: Strength, understanding: Strength, agreement: Strength): KnowledgeBase => ({ data, understanding, agreement });

	it('is the mean of the three indicators per type, the mean of the types per event, and the nearest step', () => {
		expect(typeUncertainty(base(1, 2, 3))).toBe(2);
		expect(typeUncertainty(base(1, 1, 2))).toBeCloseTo(4 / 3, 12);
		expect(eventUncertainty([base(1, 1, 1), null, base(3, 3, 3), undefined])).toBe(2);
		expect(eventUncertainty([null, undefined])).toBeNull();
		expect([1, 4 / 3, 1.5, 2, 7 / 3, 2.5, 3].map(uncertaintyLevel)).toEqual(['low', 'low', 'medium', 'medium', 'medium', 'high', 'high']);
	});

	it('property: the event uncertainty equals a direct computation over every indicator and stays within 1..3', () => {
		const next = random(6);
		const step = () => (1 + Math.floor(next() * 3)) as Strength;
		for (let trial = 0; trial < 2000; trial++) {
			const bases = Array.from({ length: 5 }, () => (next() < 0.3 ? null : base(step(), step(), step())));
			const assessed = bases.filter((b): b is KnowledgeBase => b !== null);
			const value = eventUncertainty(bases);
			if (assessed.length === 0) {
				expect(value).toBeNull();
				continue;
			}
			const direct = assessed.map((b) => (b.data + b.understanding + b.agreement) / 3).reduce((a, b) => a + b, 0) / assessed.length;
			expect(value).toBeCloseTo(direct, 12);
			expect(value!).toBeGreaterThanOrEqual(1);
			expect(value!).toBeLessThanOrEqual(3);
		}
	});

	it('agreement: strong when at least 80 % lie within one level of the median, medium from 50 %, weak below; none under 3 answers', () => {
		expect(agreementFromSpread([3, 3, 4, 2, 3])).toBe(1);
		expect(agreementFromSpread([1, 1, 3, 5, 5])).toBe(3);
		expect(agreementFromSpread([2, 3, 3, 5, 5, 1])).toBe(2);
		expect(agreementFromSpread([1, 5])).toBeNull();
		// an even count: the median is the mean of the middle two
		expect(agreementFromSpread([1, 2, 4, 5])).toBe(2);
	});
});

describe('the defaults and their sources', () => {
	it('are the five types of the national risk picture, weighted 1, with the levels Rogaland states', () => {
		const types = defaultConsequenceTypes('nb');
		expect(types.map((type) => type.name)).toEqual(['Liv og helse', 'Natur og kulturmiljø', 'Økonomi', 'Samfunnsstabilitet', 'Styringsevne']);
		expect(types.every((type) => type.weight === 1 && type.scale.labels.length === 5)).toBe(true);
		expect(types[0]!.scale.descriptions?.[2]).toBe('5–25 dødsfall');
		expect(types[2]!.scale.descriptions?.slice(1, 3)).toEqual(['25–125 mill. kr', '125–500 mill. kr']);
		expect(defaultConsequenceTypes('en')[4]!.name).toBe('Governance capacity');
		// a fresh copy: editing one assessment's types leaves the defaults alone
		types[0]!.scale.labels[0] = 'x';
		expect(defaultConsequenceTypes('nb')[0]!.scale.labels[0]).toBe('Svært små');
	});

	it('give the likelihood as frequency categories A-E with the interval beside each', () => {
		for (const language of ['nb', 'nn', 'en'] as const) {
			const scale = defaultFrequencyScale(language);
			expect(scale.labels.map((label) => label[0])).toEqual(['A', 'B', 'C', 'D', 'E']);
			expect(scale.descriptions).toHaveLength(5);
		}
		expect(defaultFrequencyScale('nb').descriptions![4]).toBe('Oftere enn én gang i løpet av 10 år (over 10 % per år)');
	});
});
