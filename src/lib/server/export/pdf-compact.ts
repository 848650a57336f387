import { PDFDocument } from '@cantoo/pdf-lib';

/**
 * The report PDF, written again with its objects in compressed object streams (PDF 1.5). pdfkit
 * writes every object of the structure tree on its own, uncompressed: for a tagged report of 22
 * pages that was most of its 1.3 MB. Everything is kept as it is – the structure tree, the marked
 * content, the language, the metadata – only how the objects are stored changes.
 */
export async function compactPdf(bytes: Uint8Array): Promise<Uint8Array> {
	const document = await PDFDocument.load(bytes, { updateMetadata: false });
	return document.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
}
