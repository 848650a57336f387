import { Resvg } from '@resvg/resvg-js';
import { FONTS } from './pdf';

/**
 * The matrix picture as PNG, drawn from its SVG by resvg (a Rust renderer with prebuilt binaries:
 * no browser or canvas needed on the server) with Noto Sans, the report's font, at twice the
 * SVG's size so it stays sharp on a projector and in print.
 */
export function svgToPng(svg: string): Uint8Array {
	const renderer = new Resvg(svg, {
		font: { fontFiles: [FONTS.Body, FONTS['Body-Bold']], loadSystemFonts: false, defaultFontFamily: 'Noto Sans' },
		fitTo: { mode: 'zoom', value: 2 },
		background: '#ffffff'
	});
	return new Uint8Array(renderer.render().asPng());
}
