/**
 * What the reports say of an assessment or workshop by consequence type (DSB's method, issue 27),
 * in the risk advisers' own layout: per event the likelihood, the consequence per type, the
 * overall consequence, the uncertainty and the risk; with the types' level guidance and the
 * likelihood's frequency intervals printed beside the tables. Full values; the renderers round.
 */
import { uncertaintyLevel, type ConsequenceTypes } from './dsb-method';
import { DIGITS } from '../i18n/precision';
import { levelKey } from './level-key';
import type { CombinedResults } from './combined';
import type { RiskPointResult } from './results';
import type { Language, MatrixLevel, Scales } from './types';
import { translate, type MessageKey } from '../i18n/translate';

export interface ByTypeRow {
	id: string;
	rank: number | null;
	code: string;
	text: string;
	likelihoodMean: number | null;
	/** per type, in the types' order */
	types: { mean: number | null; median: number | null; notRelevant: number; relevant: boolean; uncertainty: number | null }[];
	overallMean: number | null;
	/** the event's uncertainty (1 low - 3 high) and its word */
	uncertainty: number | null;
	uncertaintyText: string;
	score: number | null;
	level: MatrixLevel | null;
	levelText: string;
	/** the sensitivity notes (one per workshop that wrote one) */
	sensitivity: string[];
}

export interface ByTypeModel {
	types: { id: string; name: string; weight: number; labels: string[]; descriptions: string[] }[];
	ruleText: string;
	/** the likelihood's levels with their frequency intervals */
	frequencies: { label: string; interval: string }[];
	overallLabels: string[];
	rows: ByTypeRow[];
}

interface WorkshopPart {
	title: string;
	results: { riskPoints: readonly RiskPointResult[] };
	notes: Record<string, { knowledgeBase?: { sensitivity: string } }>;
}

const meanOf = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** The by-type part of a report; null for an assessment or workshop with one consequence. */
export function byTypeModel(
	consequenceTypes: ConsequenceTypes | null | undefined,
	scales: Scales,
	results: CombinedResults,
	workshops: readonly WorkshopPart[],
	language: Language,
	standalone: boolean
): ByTypeModel | null {
	if (!consequenceTypes) return null;
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
	const rows = results.riskPoints.map((point): ByTypeRow => {
		const own = workshops.flatMap((workshop) => {
			const result = workshop.results.riskPoints.find((one) => one.id === point.id);
			return result ? [{ workshop, result }] : [];
		});
		const typeUncertainty = (index: number) => meanOf(own.flatMap(({ result }) => (result.uncertainty?.types[index] ?? null) === null ? [] : [result.uncertainty!.types[index]!]));
		const uncertainty = point.uncertainty;
		return {
			id: point.id,
			rank: point.rankStatus === 'notRated' ? null : point.rank,
			code: point.code,
			text: point.text,
			likelihoodMean: point.likelihood.mean,
			types: consequenceTypes.types.map((_, index) => {
				const type = point.types[index];
				return {
					mean: type?.mean ?? null,
					median: type?.median ?? null,
					notRelevant: type?.notRelevant ?? 0,
					relevant: type?.relevant ?? true,
					uncertainty: typeUncertainty(index)
				};
			}),
			overallMean: point.consequence.mean,
			uncertainty,
			uncertaintyText: uncertainty === null ? t('kb.notAssessed') : t(`uncertainty.${uncertaintyLevel(uncertainty)}`),
			score: point.score,
			level: point.level,
			levelText: point.level ? t(levelKey(point.level)) : t('results.notRated'),
			sensitivity: own.flatMap(({ workshop }) => {
				const note = workshop.notes[point.id]?.knowledgeBase?.sensitivity ?? '';
				return note ? [standalone ? note : `${workshop.title}: ${note}`] : [];
			})
		};
	});
	return {
		types: consequenceTypes.types.map((type) => ({
			id: type.id,
			name: type.name,
			weight: type.weight,
			labels: [...type.scale.labels],
			descriptions: type.scale.labels.map((_, index) => type.scale.descriptions?.[index] ?? '')
		})),
		ruleText: t(consequenceTypes.rule === 'highest' ? 'report.byType.ruleHighest' : 'report.byType.ruleMean'),
		frequencies: scales.likelihood.labels.map((label, index) => ({ label, interval: scales.likelihood.descriptions?.[index] ?? '' })),
		overallLabels: [...scales.consequence.labels],
		rows
	};
}

/** The advisers' table as cells (the CSV's extra columns, the workbook's sheet per type). */
export function byTypeTable(model: ByTypeModel, language: Language): { header: string[]; rows: (string | number | null)[][]; digits: (number | null)[] } {
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
	const header = [
		t('export.rank'),
		t('export.code'),
		t('export.text'),
		t('export.likelihoodMean'),
		...model.types.flatMap((type) => [
			t('export.typeMean', { type: type.name }),
			t('export.typeMedian', { type: type.name }),
			t('export.typeNotRelevant', { type: type.name }),
			t('export.typeUncertainty', { type: type.name })
		]),
		t('export.overallMean'),
		t('export.uncertainty'),
		t('export.uncertaintyLevel'),
		t('export.score'),
		t('export.level'),
		t('export.sensitivity')
	];
	const rows = model.rows.map((row) => [
		row.rank,
		row.code,
		row.text,
		row.likelihoodMean,
		...row.types.flatMap((type) => [type.relevant ? type.mean : null, type.relevant ? type.median : null, type.notRelevant, type.uncertainty]),
		row.overallMean,
		row.uncertainty,
		row.uncertaintyText,
		row.score,
		row.levelText,
		row.sensitivity.join(' ')
	]);
	const digits = [0, null, null, DIGITS.mean, ...model.types.flatMap(() => [DIGITS.mean, DIGITS.mean, 0, DIGITS.mean]), DIGITS.mean, DIGITS.mean, null, DIGITS.score, null, null];
	return { header, rows, digits };
}
