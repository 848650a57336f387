import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const entry = new URL('../../build/server.js', import.meta.url);

describe('the production build', () => {
	it.skipIf(!existsSync(entry))('leaves the report and spreadsheet libraries to the worker threads (they cost the server some 30 MB it never uses)', () => {
		const text = readFileSync(entry, 'utf8');
		const imported = [...text.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]);
		expect(imported).toContain('socket.io');
		for (const library of ['exceljs', 'pdfkit', '@resvg/resvg-js', 'fflate', 'saxes']) expect(imported).not.toContain(library);
	});
});
