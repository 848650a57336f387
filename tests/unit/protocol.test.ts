import { describe, expect, it } from 'vitest';
import { quickRating, rateSchema } from '../../src/lib/protocol';

describe('a rating read on the hot path', () => {
	it('accepts exactly what the schema accepts, with the same result', () => {
		const payloads: unknown[] = [
			{ riskPointId: 'abc123', likelihood: 3, consequence: 4 },
			{ riskPointId: 'abc123', likelihood: null, consequence: 4, extra: 'ignored' },
			{ riskPointId: 'abc123', likelihood: 2.5, consequence: 4 },
			{ riskPointId: '__proto__', likelihood: 1, consequence: 1 },
			{ riskPointId: 'x'.repeat(41), likelihood: 1, consequence: 1 },
			{ riskPointId: 'ok', likelihood: '3', consequence: 4 },
			{ riskPointId: 'ok', consequence: 4 },
			{ riskPointId: 7, likelihood: 1, consequence: 1 },
			null,
			'rating',
			[1, 2, 3]
		];
		for (const payload of payloads) {
			const schema = rateSchema.safeParse(payload);
			expect(quickRating(payload), JSON.stringify(payload)).toEqual(schema.success ? schema.data : null);
		}
	});
});
