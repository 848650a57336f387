import { DEFAULT_CONSENSUS_THRESHOLD } from '../../domain/consensus';
import { dictionary } from '../../domain/ids';
import { DEFAULT_FLAG_RULE, DEFAULT_MIN_ANSWERS } from '../../domain/results';
import { defaultMatrix, defaultScales } from '../../domain/scales';
import type { Language, RiskMatrix, RiskPoint, Scales } from '../../domain/types';
import type { CreateWorkshopInput } from '../../protocol';
import { defaultConsequenceTypesSetting, defaultFrequencyScale, defaultOverallScale, type ConsequenceTypes } from '../../domain/dsb-method';
import type { WorkshopRecord } from '../store/records';

/** What a workshop of an assessment takes from it (WorkshopService.create). */
export interface FromAssessment {
	assessmentId: string;
	kind: 'national' | 'regional';
	topic: string;
	riskPoints: RiskPoint[];
	scales: Scales;
	matrix: RiskMatrix;
	/** an assessment by consequence type: its types and rule (null: one consequence) */
	consequenceTypes: ConsequenceTypes | null;
	facilitatorKey: (workshopId: string) => string;
}

/** A workshop made as a copy of another's list (a rehearsal). */
export interface CopyOf {
	kind: 'rehearsal';
	riskPoints: RiskPoint[];
	scales: Scales;
	consequenceTypes: ConsequenceTypes | null;
}

/** The scales and types of a new workshop on its own: by type, the frequency categories and the DSB types unless given. */
export function methodOf(input: Pick<CreateWorkshopInput, 'method' | 'scales' | 'consequenceTypes'>, language: Language): { scales: Scales; consequenceTypes: ConsequenceTypes | null } {
	if (input.method !== 'perType') return { scales: input.scales ?? defaultScales(language), consequenceTypes: null };
	return {
		scales: input.scales ?? { likelihood: defaultFrequencyScale(language), consequence: defaultOverallScale(language) },
		consequenceTypes: input.consequenceTypes ?? defaultConsequenceTypesSetting(language)
	};
}

/** A new workshop's record, in draft, with every setting at its default (one place that lists them all). */
export function newWorkshopRecord(made: {
	id: string;
	input: CreateWorkshopInput;
	language: Language;
	joinCode: string;
	facilitatorKeyHash: string;
	from?: FromAssessment;
	copy?: CopyOf;
}): WorkshopRecord {
	const { id, input, language, joinCode, facilitatorKeyHash, from, copy } = made;
	const now = new Date().toISOString();
	const method = from ?? copy ?? methodOf(input, language);
	return {
		version: 1,
		workshop: {
			id,
			title: input.title,
			language,
			status: 'draft',
			pacing: 'self',
			scales: method.scales,
			matrix: from?.matrix ?? defaultMatrix(),
			scoring: 'product-of-means',
			riskPoints: from?.riskPoints ?? copy?.riskPoints ?? [],
			currentRiskPointId: null,
			joinCode,
			facilitatorKeyHash,
			createdAt: now,
			updatedAt: now,
			anonymous: (input.anonymous ?? true) || (input.countsOnly ?? false),
			countsOnly: input.countsOnly ?? false,
			consensusThreshold: DEFAULT_CONSENSUS_THRESHOLD,
			flagRule: DEFAULT_FLAG_RULE,
			minAnswers: DEFAULT_MIN_ANSWERS,
			askKnowledge: input.askKnowledge ?? false,
			report: { topN: 10, caseNumber: '', draft: false },
			rounds: dictionary(),
			revealed: dictionary(),
			notes: dictionary(),
			assessmentId: from?.assessmentId ?? null,
			kind: from?.kind ?? copy?.kind ?? 'standalone',
			pointSeconds: 0,
			autoReveal: false,
			timerEndsAt: null,
			topic: from?.topic ?? '',
			removedMembers: [],
			joinClosed: false,
			keyGeneration: 0,
			projectorKeyHash: '',
			projectorGeneration: 0,
			roundPoints: [],
			consequenceTypes: method.consequenceTypes
		},
		participants: [],
		ratings: [],
		journalSeq: 0
	};
}
