/** The little of fontkit (a dependency of pdfkit) the glyph test uses. */
declare module 'fontkit' {
	export interface Font {
		hasGlyphForCodePoint(codePoint: number): boolean;
	}
	export function openSync(path: string): Font;
}
