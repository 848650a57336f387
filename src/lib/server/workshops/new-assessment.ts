import { DEFAULT_TOP_N } from '../../domain/analysis';
import { DEFAULT_MIN_ANSWERS } from '../../domain/results';
import { defaultMatrix } from '../../domain/scales';
import type { Language, RiskPoint, Scales } from '../../domain/types';
import type { CreateAssessmentInput } from '../../protocol';
import type { AssessmentRecord } from '../store/records';
import type { ConsequenceTypes } from '../../domain/dsb-method';
import { methodOf } from './new-workshop';
import { randomId } from './secrets';

/**
 * A new assessment's record with every setting at its default (one place that lists them all):
 * its method (one consequence, or by consequence type with the frequency categories and the DSB
 * types, or a template's), its list, the owner key's hash.
 */
export function newAssessmentRecord(made: {
	input: CreateAssessmentInput;
	language: Language;
	riskPoints: (RiskPoint & { addedAt: string })[];
	ownerKeyHash: string;
	template: { scales: Scales; consequenceTypes: ConsequenceTypes | null } | undefined;
	now: string;
}): AssessmentRecord {
	const { input, language, riskPoints, ownerKeyHash, template, now } = made;
	// a template's scales go with its method: one consequence's scales to one consequence; by type,
	// the template's frequency intervals and types (an office's own thresholds, kept for next year)
	const byType = input.method === 'perType';
	const fromTemplate = template && Boolean(template.consequenceTypes) === byType ? template : undefined;
	const method = methodOf({ ...input, scales: input.scales ?? fromTemplate?.scales, consequenceTypes: input.consequenceTypes ?? fromTemplate?.consequenceTypes ?? undefined }, language);
	return {
		version: 1,
		assessment: {
			id: randomId(),
			title: input.title,
			description: input.description ?? '',
			language,
			scales: method.scales,
			consequenceTypes: method.consequenceTypes,
			matrix: defaultMatrix(),
			riskPoints,
			ownerKeyHash,
			workshopIds: [],
			createdAt: now,
			updatedAt: now,
			analysis: { topN: DEFAULT_TOP_N, minAnswers: DEFAULT_MIN_ANSWERS },
			report: { caseNumber: '', draft: false },
			privacy: input.privacy ?? 'anonymous',
			signOff: { organisation: '', responsible: '', approvedBy: '', approvedAt: '' }
		}
	};
}
