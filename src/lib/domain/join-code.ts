/** Join-code letters: no 0/O or 1/I, which people mix up when reading a projector. */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 6;

/** Upper-cases a typed code and drops spaces and dashes ("abc 234" -> "ABC234"). */
export function normalizeJoinCode(typed: string): string {
	return typed.toUpperCase().replace(/[\s-]/g, '');
}

export function isWellFormedJoinCode(code: string): boolean {
	return code.length === JOIN_CODE_LENGTH && [...code].every((char) => JOIN_CODE_ALPHABET.includes(char));
}

/** A join code from a source of random integers in [0, n). */
export function makeJoinCode(randomBelow: (n: number) => number): string {
	return Array.from({ length: JOIN_CODE_LENGTH }, () => JOIN_CODE_ALPHABET[randomBelow(JOIN_CODE_ALPHABET.length)]).join('');
}
