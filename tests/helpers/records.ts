import type { Rating } from '../../src/lib/domain/types';

/** A first-round rating as a workshop file stores it (consequence 3), for tests of the store itself. */
export const storedRating = (participantId: string, riskPointId: string, likelihood: number): Rating => ({
	participantId,
	riskPointId,
	round: 1,
	likelihood,
	consequence: 3,
	at: '2026-11-22T00:00:00.000Z'
});
