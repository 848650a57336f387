/**
 * The report's appendix: one workshop's own ranked list per workshop that has answers, by its own
 * scoring rule, with its flags, the strength of knowledge and its notes (domain/report.ts has the
 * rest of the report).
 */
import type { RankStatus } from './ranking';
import type { MatrixLevel } from './types';
import { levelKey } from './level-key';
import { translate, type MessageKey } from '../i18n/translate';
import { commentsText, knowledgeText, scoringKey, statusKey, type ReportSource } from './report';

/** One workshop's own ranked list, for the report's appendix. */
export interface ReportWorkshopAppendix {
	title: string;
	summary: string;
	rows: {
		rank: number | null;
		status: RankStatus;
		statusText: string;
		code: string;
		text: string;
		score: number | null;
		level: MatrixLevel | null;
		levelText: string;
		responses: number;
		flag: string;
		/** "Knowledge: strong 3, ..." where the workshop asks it */
		knowledge: string;
		notes: string[];
	}[];
}

/** The appendices: one per workshop that has answers, with its own ranking by its own scoring rule. */
export function workshopAppendices(source: ReportSource): ReportWorkshopAppendix[] {
	// a workshop on its own: the ranked list is its own
	if (source.standalone) return [];
	const language = source.assessment.language;
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
	return source.workshops
		.filter((workshop) => workshop.results.riskPoints.some((point) => point.responses > 0))
		.map((workshop) => ({
			title: workshop.title,
			summary: t('report.appendixSummary', {
				kind: t(`combined.kind.${workshop.kind}` as MessageKey),
				status: t(`status.${workshop.status}` as MessageKey),
				members: workshop.members,
				answering: workshop.answering,
				scoring: t(scoringKey(workshop.scoring)),
				rule: t(`flagRule.${workshop.results.flagRule}` as MessageKey)
			}),
			rows: workshop.results.riskPoints.map((point) => ({
				rank: point.rankStatus === 'notRated' ? null : point.rank,
				status: point.rankStatus,
				statusText: t(statusKey(point.rankStatus)),
				code: point.code,
				text: point.text,
				score: point.score ?? null,
				level: point.level,
				levelText: point.level ? t(levelKey(point.level)) : t('results.notRated'),
				responses: point.responses,
				flag: point.disagreement ? point.flaggedBy.map((scale) => t(`scale.${scale}` as MessageKey)).join(', ') : '',
				knowledge: workshop.results.asksKnowledge ? knowledgeText(language, point.knowledge) : '',
				notes: [point.notes.discussion, point.notes.measures && `${t('results.measures')} ${point.notes.measures}`, commentsText(t, workshop.comments?.[point.id])].filter(Boolean)
			}))
		}));
}
