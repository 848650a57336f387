import type { Knowledge, RatingValue, TypeAnswer } from '../domain/types';
import { MEMBER_PAGE, levelFromRadio, typeAnswerFromRadio } from '../protocol-values';

/** The cookie the server renders a member's page from (server/http/member-page.ts). */
const COOKIE = MEMBER_PAGE.cookie;

/** What a member tapped on one point before the page's script ran; undefined = not tapped. */
export interface EarlyAnswer {
	likelihood?: RatingValue;
	consequence?: RatingValue;
	/** by consequence type: the types tapped so far (a hole: not yet) */
	types?: (TypeAnswer | undefined)[];
	knowledge?: Knowledge | null;
}

/** Keeps the member's token where the server sees it on the next visit of this join page. */
export function rememberMemberCookie(token: string): void {
	try {
		const secure = location.protocol === 'https:' ? '; secure' : '';
		document.cookie = `${COOKIE}=${encodeURIComponent(token)}; path=${location.pathname}; max-age=${MEMBER_PAGE.cookieMaxAgeSeconds}; samesite=lax${secure}`;
	} catch {
		// no cookies: the page still works, it is only not rendered on the server next time
	}
}

export function forgetMemberCookie(): void {
	try {
		document.cookie = `${COOKIE}=; path=${location.pathname}; max-age=0; samesite=lax`;
	} catch {
		// nothing kept, nothing to forget
	}
}

/**
 * The radio buttons checked on the server-rendered page before its script ran, by point: read
 * before hydration, which would otherwise set them back to the state it renders.
 */
export function readEarlyAnswers(root: ParentNode): Record<string, EarlyAnswer> {
	const answers: Record<string, EarlyAnswer> = {};
	for (const input of root.querySelectorAll<HTMLInputElement>('input[type="radio"]:checked')) {
		if (input.defaultChecked) continue;
		const byType = /^type(\d+)-(.+)$/.exec(input.name);
		if (byType) {
			const value = typeAnswerFromRadio(input.value);
			const answer = (answers[byType[2]!] ??= {});
			if (value !== undefined) (answer.types ??= [])[Number(byType[1])] = value;
			continue;
		}
		const match = /^(likelihood|consequence|knowledge)-(.+)$/.exec(input.name);
		if (!match) continue;
		const [, scale, riskPointId] = match as unknown as [string, 'likelihood' | 'consequence' | 'knowledge', string];
		const answer = (answers[riskPointId] ??= {});
		if (scale === 'knowledge') answer.knowledge = input.value as Knowledge;
		else {
			const level = levelFromRadio(input.value);
			if (level !== undefined) answer[scale] = level;
		}
	}
	return answers;
}
