/** What the facilitator may see of the members: named, anonymous, or counts only (see privacy.* messages). */
export type Privacy = 'named' | 'anonymous' | 'counts';

export const PRIVACIES: readonly Privacy[] = ['named', 'anonymous', 'counts'];

export function privacyOf(settings: { anonymous: boolean; countsOnly: boolean }): Privacy {
	return settings.countsOnly ? 'counts' : settings.anonymous ? 'anonymous' : 'named';
}

/** The settings that give a privacy. */
export function privacySettings(privacy: Privacy): { anonymous: boolean; countsOnly: boolean } {
	return { anonymous: privacy !== 'named', countsOnly: privacy === 'counts' };
}

/** How strict a privacy is: once members have answered, a workshop may only become stricter. */
export const strictness = (privacy: Privacy) => PRIVACIES.indexOf(privacy);
