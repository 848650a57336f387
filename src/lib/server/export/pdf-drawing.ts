import type { MatrixLevel } from '../../domain/types';
import type { MessageKey } from '../../i18n/translate';

type Struct = ReturnType<PDFKit.PDFDocument['struct']>;
type Cell = { text: string; fill?: string; bold?: boolean };

/** What the report's parts in files of their own draw with: the report's own helpers (pdf.ts), so they look the same. */
export interface ReportDrawing {
	doc: PDFKit.PDFDocument;
	section: () => Struct;
	heading: (parent: Struct, text: string, level?: 'H1' | 'H2', keep?: number) => void;
	paragraph: (parent: Struct, text: string, options?: { size?: number; color?: string; italic?: boolean }) => void;
	table: (parent: Struct, header: string[], rows: Cell[][], widths: (number | '*')[], size?: number) => void;
	t: (key: MessageKey, params?: Record<string, string | number>) => string;
	n: (value: number | null, digits?: number) => string;
	fill: Record<MatrixLevel, string>;
	muted: string;
}
