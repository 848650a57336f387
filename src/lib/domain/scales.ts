import type { Language, RiskMatrix, MatrixLevel, Scales, RatingValue, Scale } from './types';

/** The number of levels on each scale; the matrix is LEVELS x LEVELS. */
export const LEVELS = 5;

const DEFAULT_LABELS: Record<Language, Scales> = {
	nb: {
		likelihood: {
			labels: ['Svært lite sannsynlig', 'Lite sannsynlig', 'Moderat', 'Sannsynlig', 'Svært sannsynlig']
		},
		consequence: { labels: ['Svært liten', 'Liten', 'Moderat', 'Alvorlig', 'Svært alvorlig'] }
	},
	nn: {
		likelihood: {
			labels: ['Svært lite sannsynleg', 'Lite sannsynleg', 'Moderat', 'Sannsynleg', 'Svært sannsynleg']
		},
		consequence: { labels: ['Svært liten', 'Liten', 'Moderat', 'Alvorleg', 'Svært alvorleg'] }
	},
	en: {
		likelihood: { labels: ['Very unlikely', 'Unlikely', 'Moderate', 'Likely', 'Very likely'] },
		consequence: { labels: ['Very minor', 'Minor', 'Moderate', 'Serious', 'Very serious'] }
	}
};

/** Default scales with labels in the workshop's language (a fresh copy the caller may edit). */
export function defaultScales(language: Language): Scales {
	return structuredClone(DEFAULT_LABELS[language]);
}

/** The level of a cell in the default matrix: green L x C <= 4, yellow 5-9, red >= 10. */
export function defaultLevel(likelihood: number, consequence: number): MatrixLevel {
	const product = likelihood * consequence;
	if (product >= 10) return 'high';
	if (product >= 5) return 'medium';
	return 'low';
}

export function defaultMatrix(): RiskMatrix {
	const levels = Array.from({ length: LEVELS }, (_, l) =>
		Array.from({ length: LEVELS }, (_, c) => defaultLevel(l + 1, c + 1))
	);
	return { levels };
}

/** The matrix level of a cell, or null when the cell is off the matrix. */
export function levelOfCell(matrix: RiskMatrix, likelihood: number, consequence: number): MatrixLevel | null {
	return matrix.levels[likelihood - 1]?.[consequence - 1] ?? null;
}

/** True when value is a level on the scale or null ("don't know"). */
export function isValidRatingValue(scale: Scale, value: RatingValue): boolean {
	return value === null || (Number.isInteger(value) && value >= 1 && value <= scale.labels.length);
}
