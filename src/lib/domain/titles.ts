/** The words all the titles start with, up to a word's end ("Statsforvalteren i "), or '' (fewer than two titles). */
export function sharedPrefix(titles: readonly string[]): string {
	if (titles.length < 2) return '';
	let prefix = titles[0]!;
	for (const title of titles) while (!title.startsWith(prefix)) prefix = prefix.slice(0, -1);
	const cut = prefix.lastIndexOf(' ');
	return cut > 0 ? prefix.slice(0, cut + 1) : '';
}

/** A title without the shared prefix (said once beside the table), where it has it. */
export function withoutPrefix(title: string, prefix: string): string {
	return prefix && title.startsWith(prefix) ? title.slice(prefix.length) : title;
}
