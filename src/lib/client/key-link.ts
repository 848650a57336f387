/**
 * Secret links carry their key after `#key=`: browsers never send the fragment to the server.
 * The page takes the key and removes it from the address bar (and so from history and screenshots).
 */
export function takeKeyFromFragment(): string | null {
	const key = new URLSearchParams(location.hash.slice(1)).get('key');
	if (key) history.replaceState(history.state, '', location.pathname + location.search);
	return key;
}

/** The key in what a person pasted: a whole secret link, or the key alone. */
export function keyFromTyped(typed: string): string {
	const trimmed = typed.trim();
	return /#key=([\w-]+)/.exec(trimmed)?.[1] ?? trimmed;
}
