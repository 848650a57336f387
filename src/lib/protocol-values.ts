/**
 * What the pages need of the protocol besides its types: the text limits and one rule about
 * rounds. Apart from protocol.ts so that a page importing them does not pull in the schemas and
 * zod with them (the member's phone loads none of it; the server validates).
 */
export const LIMITS = {
	title: 200,
	name: 60,
	scaleLabel: 60,
	/** a level's guidance under its label */
	scaleDescription: 140,
	notes: 5000,
	/** a member's reason for an answer: a sentence or two */
	comment: 500
} as const;

/** True when the point's current round has been shown to the panel. */
export function currentRoundRevealed(view: { rounds: Record<string, number>; revealed: Record<string, readonly { round: number }[]> }, riskPointId: string): boolean {
	const round = view.rounds[riskPointId] ?? 1;
	return (view.revealed[riskPointId] ?? []).some((shown) => shown.round === round);
}

/**
 * What the member's page and the server agree on outside the socket: the cookie that carries the
 * member's token on the join page's path, and the value of a "don't know" radio button.
 */
export const MEMBER_PAGE = { cookie: 'rv_member', cookieMaxAgeSeconds: 30 * 24 * 60 * 60, dontKnow: 'dont-know', notRelevant: 'not-relevant' } as const;

/** The radio group of a consequence type's answer to a point (a workshop by type): `type<index>-<point id>`. */
export const typeRadioName = (index: number, riskPointId: string) => `type${index}-${riskPointId}`;

/** A consequence type's answer as its radio button carries it: a level, null, "na", or undefined for anything else. */
export function typeAnswerFromRadio(value: string): number | null | 'na' | undefined {
	return value === MEMBER_PAGE.notRelevant ? 'na' : levelFromRadio(value);
}

/** A level as a rating radio button carries it: a whole number, null for "don't know", undefined for anything else. */
export function levelFromRadio(value: string): number | null | undefined {
	if (value === MEMBER_PAGE.dontKnow) return null;
	return /^\d{1,2}$/.test(value) ? Number(value) : undefined;
}
