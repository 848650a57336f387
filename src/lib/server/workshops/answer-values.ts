import { UserError } from '../../domain/errors';
import { overallConsequence } from '../../domain/dsb-method';
import { LEVELS, isValidRatingValue } from '../../domain/scales';
import type { Rating, TypeAnswer } from '../../domain/types';
import type { RateInput } from '../../protocol';
import type { WorkshopSettings } from '../store/records';

/**
 * A member's answer checked against the workshop's scales, and what of it is stored: in a workshop
 * by consequence type (DSB's method) an answer per type, and the overall consequence the server
 * combines from them by the workshop's rule (what the member sends as `consequence` is ignored).
 */
export function checkAnswerValues(settings: WorkshopSettings, input: RateInput): void {
	const { likelihood, consequence } = settings.scales;
	if (!isValidRatingValue(likelihood, input.likelihood)) {
		throw new UserError('error.rate.outOfRange', { scale: { key: 'scale.likelihood' }, max: LEVELS });
	}
	const byType = settings.consequenceTypes;
	if (!byType) {
		if (input.types !== undefined) throw new UserError('error.rate.notByType');
		if (!isValidRatingValue(consequence, input.consequence)) {
			throw new UserError('error.rate.outOfRange', { scale: { key: 'scale.consequence' }, max: LEVELS });
		}
		return;
	}
	if (!input.types || input.types.length !== byType.types.length) {
		throw new UserError('error.rate.typeCount', { count: byType.types.length });
	}
	input.types.forEach((answer, index) => {
		const type = byType.types[index]!;
		if (answer !== 'na' && !isValidRatingValue(type.scale, answer)) {
			throw new UserError('error.rate.outOfRange', { scale: type.name, max: type.scale.labels.length });
		}
	});
}

/** The values a checked answer stores. */
export function storedValues(settings: WorkshopSettings, input: RateInput): Pick<Rating, 'likelihood' | 'consequence'> & { types?: TypeAnswer[] } {
	const byType = settings.consequenceTypes;
	if (!byType || !input.types) return { likelihood: input.likelihood, consequence: input.consequence };
	const types = [...input.types];
	return { likelihood: input.likelihood, consequence: overallConsequence(types, byType), types };
}
