/**
 * What every export of an assessment says, once (docs/method.md): the figures at full precision,
 * the texts in the reader's language, the tables in the order the report gives them. The PDF,
 * the workbook and the CSV render this model; none of them computes a figure of its own. Each
 * prints a figure by the one rounding rule (i18n/precision.ts: the PDF and the CSV round the
 * text, the workbook stores the full value and shows the same decimals through its number
 * format), so a number reads the same wherever it is read and sums the same in a spreadsheet.
 */
import type { ResamplingMethod } from './analysis';
import type { Analysis } from './analysis-result';
import type { CombinedResults } from './combined';
import type { TauEstimate } from './kendall';
import { levelKey } from './export';
import { DIGITS } from '../i18n/precision';
import type { RankStatus } from './ranking';
import type { WorkshopResults } from './results';
import type { KnowledgeCounts, Language, MatrixLevel, RiskMatrix, Scales, Scoring } from './types';
import { formatNumber, translate, type MessageKey } from '../i18n/translate';
import type { ConsequenceTypes } from './dsb-method';
import { byTypeModel, type ByTypeModel } from './report-by-type';

export interface ReportWorkshop {
	id: string;
	title: string;
	kind: 'standalone' | 'national' | 'regional';
	status: 'draft' | 'open' | 'closed';
	scoring: Scoring;
	members: number;
	answering: number;
	results: WorkshopResults;
	notes: Record<string, { discussion: string; measures: string; knowledgeBase?: { sensitivity: string } }>;
	/** the members' reasons per point, without names (absent in older callers) */
	comments?: Record<string, { round: number; text: string }[]>;
}

/** Who signs a report: the agency, the responsible adviser, who approved it and when (a date, yyyy-mm-dd). */
export interface SignOff {
	organisation: string;
	responsible: string;
	approvedBy: string;
	approvedAt: string;
}

export interface ReportSource {
	assessment: {
		title: string;
		description: string;
		language: Language;
		scales: Scales;
		matrix: RiskMatrix;
		analysis: { topN: number; minAnswers: number };
		report: { caseNumber: string; draft: boolean };
		createdAt: string;
		/** who signs it (absent in older callers: nothing printed) */
		signOff?: SignOff;
		/** which version of the report this is: a final one as marked, else a draft of the next (absent: no version printed) */
		reportVersion?: { number: number; final: boolean };
		/** the list, for the earlier wordings of points whose text was fixed (absent in older callers) */
		riskPoints?: readonly { id: string; edits?: readonly { at: string; from: string }[] }[];
		/** by consequence type (DSB's method): the types and rule (absent or null: one consequence) */
		consequenceTypes?: ConsequenceTypes | null;
	};
	results: CombinedResults;
	analysis: Analysis;
	workshops: ReportWorkshop[];
	exportedAt: string;
	/** the report of one workshop on its own: no comparison between workshops, no appendix */
	standalone?: boolean;
}

/** One row of the combined ranked list, every figure as printed. */
export interface RankedRow {
	id: string;
	rank: number | null;
	status: RankStatus;
	statusText: string;
	code: string;
	text: string;
	category: string;
	score: number | null;
	level: MatrixLevel | null;
	levelText: string;
	cellLikelihood: number | null;
	cellConsequence: number | null;
	likelihoodMean: number | null;
	consequenceMean: number | null;
	rankLow: number | null;
	rankHigh: number | null;
	/** the rank interval with the workshops held as they are (members redrawn only) */
	rankLowWithin: number | null;
	rankHighWithin: number | null;
	/** share of resamples in the top N, as printed (0-1, two decimals) */
	pTop: number | null;
	workshopsRated: number;
	responses: number;
	n: number;
	flaggedIn: number;
	/** the strength of knowledge given (counts), where a workshop asks it */
	knowledge: KnowledgeCounts;
	/** rank in each workshop (report.workshops order): a number, or a text (not in its list, no answers) */
	workshopRanks: (number | string)[];
	notes: string[];
}

export interface WorkshopRow {
	id: string;
	title: string;
	kindText: string;
	statusText: string;
	scoringText: string;
	members: number;
	answering: number;
	answered: boolean;
	/** against the combined ranking of the others */
	tau: number | null;
	tauLow: number | null;
	tauHigh: number | null;
	tauPoints: number;
}

export interface ReportModel {
	language: Language;
	/** one workshop on its own (see ReportSource) */
	standalone: boolean;
	/** a workshop asks how strong the knowledge behind each answer is: the counts are printed beside the score */
	asksKnowledge: boolean;
	title: string;
	description: string;
	caseNumber: string;
	/** a draft: not (yet) a version its owner marked final, or marked "preliminary" */
	draft: boolean;
	signOff: SignOff;
	/** "Version 2" or "Draft of version 3" ('' where none is known) */
	versionText: string;
	createdText: string;
	exportedText: string;
	weightingText: string;
	/** "11 workshops, 7 of them with answers; 105 members joined, 103 answered" */
	summaryText: string;
	counts: { workshops: number; workshopsAnswering: number; members: number; membersAnswering: number; points: number };
	method: { heading: string; paragraphs: string[] };
	scales: Scales;
	matrix: RiskMatrix;
	topN: number;
	/** how the rank intervals were made, and from how many draws */
	intervalMethod: ResamplingMethod;
	resamples: number;
	ranked: RankedRow[];
	workshops: WorkshopRow[];
	pairs: { a: string; b: string; tau: number | null; low: number | null; high: number | null; points: number }[];
	sensitivity: { label: string; top: string[] }[];
	robustTop: string[];
	nationalVsRegional: { code: string; text: string; nationalRank: number; regionalRank: number; difference: number }[] | null;
	categories: { category: string; points: { code: string; text: string; rankInCategory: number; rank: number; score: number | null }[]; meanScore: number | null; minScore: number | null; maxScore: number | null }[];
	/** by consequence type: the advisers' table, the types' guidance and the frequency intervals (null: one consequence) */
	byType: ByTypeModel | null;
}

/** A figure as the model keeps it: the full value (or null); the renderers round what they print. */
const full = (value: number | null | undefined): number | null => (value === null || value === undefined ? null : value);
const score = full;
const mean = full;
const coefficient = full;

/** A level of a scale as the reports print it: its label, and its guidance after a dash when it has one. */
export function levelText(scale: { labels: string[]; descriptions?: string[] }, index: number): string {
	const label = scale.labels[index] ?? '';
	const guidance = scale.descriptions?.[index]?.trim();
	return guidance ? `${label} – ${guidance}` : label;
}

/** A date in Europe/Oslo, as a Norwegian (or English) reader writes it. */
export function formatDate(language: Language, iso: string, withTime = false): string {
	const locale = language === 'en' ? 'en-GB' : language === 'nn' ? 'nn-NO' : 'nb-NO';
	return new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Oslo', dateStyle: 'long', ...(withTime ? { timeStyle: 'short' } : {}) }).format(new Date(iso));
}

/** "Knowledge: strong 3, moderate 1, weak 0" (empty when nobody said). */
export function knowledgeText(language: Language, counts: KnowledgeCounts): string {
	if (counts.strong + counts.moderate + counts.weak === 0) return '';
	return translate(language, 'knowledge.summary', { strong: counts.strong, moderate: counts.moderate, weak: counts.weak });
}

/** A printed figure in the reader's language ("12,33"), or a dash. */
export function printed(language: Language, value: number | null, digits: number = DIGITS.score): string {
	return value === null ? '–' : formatNumber(language, value, digits);
}

/** Kendall's tau as printed: the value, its 95% interval and the points compared (or why there is none). */
export function tauText(language: Language, tau: number | null, low: number | null, high: number | null, points: number): string {
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
	if (tau === null) return t('report.tauNone', { points });
	const interval = low === null ? t('report.tauNoInterval') : `${printed(language, low, DIGITS.coefficient)} – ${printed(language, high, DIGITS.coefficient)}`;
	return t('report.tauValue', { tau: printed(language, tau, DIGITS.coefficient), interval, points });
}

/** The name of a variant of the sensitivity table ("Without Agder", "Each member counts equally"). */
export function variantLabel(
	language: Language,
	variant: Analysis['sensitivity']['variants'][number],
	titleOf: (workshopId: string) => string,
	standalone = false
): string {
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
	// a workshop on its own has no weighting: its base variant is its scoring by means
	if (variant.kind === 'weighting' && standalone) return t('report.variant.scoring', { scoring: t(scoringKey('product-of-means')) });
	if (variant.kind === 'weighting') return t(`report.variant.weighting.${variant.weighting}` as MessageKey);
	if (variant.kind === 'scoring') return t('report.variant.scoring', { scoring: t(scoringKey(variant.scoring)) });
	return t('report.variant.without', { workshop: titleOf(variant.without ?? '') });
}

export function statusKey(status: RankStatus): MessageKey {
	return status === 'ranked' ? 'report.status.ranked' : status === 'tooFewAnswers' ? 'report.status.tooFew' : 'report.status.notRated';
}

export function scoringKey(scoring: Scoring): MessageKey {
	return `scoring.${scoring}` as MessageKey;
}

/** The members' reasons for a point as one line of the notes: "Reasons given: «…» «…»" (round named after the first). */
export function commentsText(t: (key: MessageKey, params?: Record<string, string | number>) => string, comments: { round: number; text: string }[] | undefined): string {
	if (!comments?.length) return '';
	const quoted = comments.map(({ round, text }) => (round > 1 ? `«${text}» (${t('live.round').toLowerCase()} ${round})` : `«${text}»`));
	return `${t('comment.inReport')} ${quoted.join(' ')}`;
}

/** The report of an assessment (or of one workshop: then `workshops` holds that one); the appendix per workshop is in report-appendices.ts. */
export function reportModel(source: ReportSource): ReportModel {
	const { assessment, results, analysis } = source;
	const language = assessment.language;
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
	const uncertainty = new Map(analysis.uncertainty.points.map((point) => [point.id, point]));
	const within = new Map((analysis.uncertainty.withinWorkshops ?? analysis.uncertainty.points).map((point) => [point.id, point]));
	const codeOf = new Map(results.riskPoints.map((point) => [point.id, point]));
	const notesByPoint = new Map<string, string[]>();
	for (const workshop of source.workshops) {
		const pointIds = new Set([...Object.keys(workshop.notes), ...Object.keys(workshop.comments ?? {})]);
		for (const pointId of pointIds) {
			const notes = workshop.notes[pointId] ?? { discussion: '', measures: '' };
			const parts = [notes.discussion, notes.measures && `${t('results.measures')} ${notes.measures}`, commentsText(t, workshop.comments?.[pointId])].filter(Boolean);
			const note = source.standalone ? parts.join(' ') : `${workshop.title}: ${parts.join(' ')}`;
			if (parts.length) notesByPoint.set(pointId, [...(notesByPoint.get(pointId) ?? []), note]);
		}
	}
	// a point whose wording was fixed after rating began says so, with the earlier text and the time
	for (const point of assessment.riskPoints ?? []) {
		for (const { at, from } of point.edits ?? []) {
			const note = t('report.textEdited', { time: formatDate(language, at, true), from });
			notesByPoint.set(point.id, [note, ...(notesByPoint.get(point.id) ?? [])]);
		}
	}
	const answeringWorkshops = results.workshops.filter((w) => w.answered).length;
	const ranked: RankedRow[] = results.riskPoints.map((point) => {
		const spread = uncertainty.get(point.id);
		// an interval only where the point is ranked: one with too few answers is placed after the others, which says nothing of how sure its place is
		const rated = point.score !== null && point.rankStatus === 'ranked';
		return {
			id: point.id,
			rank: point.rankStatus === 'notRated' ? null : point.rank,
			status: point.rankStatus,
			statusText: t(statusKey(point.rankStatus)),
			code: point.code,
			text: point.text,
			category: point.category,
			score: score(point.score),
			level: point.level,
			levelText: point.level ? t(levelKey(point.level)) : t('results.notRated'),
			cellLikelihood: point.cell?.likelihood ?? null,
			cellConsequence: point.cell?.consequence ?? null,
			likelihoodMean: mean(point.likelihood.mean),
			consequenceMean: mean(point.consequence.mean),
			rankLow: rated && spread ? spread.rankLow : null,
			rankHigh: rated && spread ? spread.rankHigh : null,
			rankLowWithin: rated ? (within.get(point.id)?.rankLow ?? null) : null,
			rankHighWithin: rated ? (within.get(point.id)?.rankHigh ?? null) : null,
			pTop: rated && spread ? coefficient(spread.pTop) : null,
			workshopsRated: point.workshopsRated,
			responses: point.responses,
			n: point.n,
			flaggedIn: point.flaggedIn,
			knowledge: point.knowledge,
			workshopRanks: point.workshops.map((w) => {
				if (!w.inList) return t('combined.notInList');
				const workshop = results.workshops.find((one) => one.id === w.workshopId);
				if (!workshop?.answered) return t('report.noAnswers');
				return w.rank ?? '–';
			}),
			notes: notesByPoint.get(point.id) ?? []
		};
	});
	const agreement = new Map(results.agreement.map((a) => [a.workshopId, a]));
	const workshops: WorkshopRow[] = results.workshops.map((workshop) => {
		const a = agreement.get(workshop.id);
		return {
			id: workshop.id,
			title: workshop.title,
			kindText: t(`combined.kind.${workshop.kind}` as MessageKey),
			statusText: t(`status.${workshop.status}` as MessageKey),
			scoringText: t(scoringKey(workshop.scoring)),
			members: workshop.members,
			answering: workshop.answering,
			answered: workshop.answered,
			tau: coefficient(a?.tau),
			tauLow: coefficient(a?.low),
			tauHigh: coefficient(a?.high),
			tauPoints: a?.points ?? 0
		};
	});
	const titleOf = new Map(results.workshops.map((w) => [w.id, w.title]));
	const estimate = (e: TauEstimate) => ({ tau: coefficient(e.tau), low: coefficient(e.low), high: coefficient(e.high), points: e.points });
	const members = results.workshops.reduce((sum, w) => sum + w.members, 0);
	const membersAnswering = results.workshops.reduce((sum, w) => sum + w.answering, 0);
	const counts = { workshops: results.workshops.length, workshopsAnswering: answeringWorkshops, members, membersAnswering, points: results.riskPoints.length };
	const sensitivityLabel = (variant: Analysis['sensitivity']['variants'][number]) =>
		variantLabel(language, variant, (id) => titleOf.get(id) ?? '', source.standalone);
	const code = (id: string) => codeOf.get(id)?.code ?? id;
	return {
		language,
		standalone: source.standalone ?? false,
		asksKnowledge: results.asksKnowledge,
		title: assessment.title,
		description: assessment.description,
		caseNumber: assessment.report.caseNumber,
		draft: assessment.report.draft || (assessment.reportVersion ? !assessment.reportVersion.final : false),
		signOff: assessment.signOff ?? { organisation: '', responsible: '', approvedBy: '', approvedAt: '' },
		versionText: assessment.reportVersion
			? t(assessment.reportVersion.final ? 'report.versionFinal' : 'report.versionDraft', { number: assessment.reportVersion.number })
			: '',
		createdText: formatDate(language, assessment.createdAt),
		exportedText: formatDate(language, source.exportedAt, true),
		weightingText: t(`combined.weighting.${results.weighting}` as MessageKey),
		summaryText: source.standalone ? t('report.countsOne', counts) : t('report.counts', counts),
		counts,
		method: methodText(source, t),
		scales: assessment.scales,
		matrix: assessment.matrix,
		topN: assessment.analysis.topN,
		intervalMethod: analysis.uncertainty.method ?? 'members',
		resamples: analysis.uncertainty.resamples,
		ranked,
		workshops,
		pairs: results.pairs.map((pair) => ({ a: titleOf.get(pair.a) ?? pair.a, b: titleOf.get(pair.b) ?? pair.b, ...estimate(pair.estimate) })),
		sensitivity: analysis.sensitivity.variants.map((variant) => ({ label: sensitivityLabel(variant), top: variant.top.map(code) })),
		robustTop: analysis.sensitivity.robustTop.map(code),
		nationalVsRegional:
			analysis.nationalVsRegional.points?.map((point) => ({
				code: code(point.id),
				text: codeOf.get(point.id)?.text ?? '',
				nationalRank: point.nationalRank,
				regionalRank: point.regionalRank,
				difference: point.difference
			})) ?? null,
		categories: analysis.categories.map((category) => ({
			category: category.category,
			points: category.points.map((point) => {
				const result = codeOf.get(point.id)!;
				return { code: result.code, text: result.text, rankInCategory: point.rankInCategory, rank: result.rank, score: score(result.score) };
			}),
			meanScore: score(category.meanScore),
			minScore: score(category.minScore),
			maxScore: score(category.maxScore)
		})),
		byType: byTypeModel(assessment.consequenceTypes, assessment.scales, results, source.workshops, language, source.standalone ?? false)
	};
}

/** The method section: every rule a reader needs to check a number, with the settings of this report. */
function methodText(source: ReportSource, t: (key: MessageKey, params?: Record<string, string | number>) => string): ReportModel['method'] {
	const { assessment, results, analysis } = source;
	const flagRules = [...new Set(source.workshops.map((w) => w.results.flagRule))].map((rule) => t(`flagRule.${rule}` as MessageKey));
	return {
		heading: t('report.method'),
		paragraphs: [
			t('report.method.rating'),
			...(source.standalone ? [] : [t('report.method.combined', { weighting: t(`combined.weighting.${results.weighting}` as MessageKey) })]),
			t('report.method.scoring'),
			t('report.method.rounding'),
			t('report.method.cell'),
			t('report.method.level'),
			t('report.method.ranking', { minAnswers: assessment.analysis.minAnswers }),
			t('report.method.flag', { rules: flagRules.join('; ') || '–' }),
			...(source.standalone ? [] : [t('report.method.tau', { resamples: analysis.agreement?.resamples ?? analysis.uncertainty.resamples })]),
			t(analysis.uncertainty.method === 'workshops-and-members' ? 'report.method.resamplingTwoStage' : 'report.method.resampling', {
				resamples: analysis.uncertainty.resamples,
				seed: analysis.uncertainty.seed,
				topN: assessment.analysis.topN
			}),
			t('report.method.sensitivity', { topN: assessment.analysis.topN }),
			...(results.asksKnowledge ? [t('report.method.knowledge')] : [])
		]
	};
}

