import type { AgreementIntervals } from './agreement';
import type { RankUncertainty } from './analysis';
import type { CategoryRanking, NationalVsRegional, Sensitivity } from './comparisons';

/** How sure an assessment's combined ranking is: everything analysis.ts, agreement.ts and comparisons.ts compute. */
export interface Analysis {
	uncertainty: RankUncertainty;
	/** the intervals of the rank agreement between workshops */
	agreement: AgreementIntervals;
	sensitivity: Sensitivity;
	nationalVsRegional: NationalVsRegional;
	categories: CategoryRanking[];
}
