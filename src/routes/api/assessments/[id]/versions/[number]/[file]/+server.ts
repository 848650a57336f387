import { UserError } from '$lib/domain/errors';
import { exportFileName } from '$lib/domain/export';
import { ownedAssessment, runtimeApi } from '$lib/server/http/api';
import type { ReportFileKind } from '$lib/server/workshops/assessment-reports';

const TYPES: Record<string, { kind: ReportFileKind; type: string }> = {
	'report.pdf': { kind: 'pdf', type: 'application/pdf' },
	'workbook.xlsx': { kind: 'xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
	'export.json': { kind: 'json', type: 'application/json; charset=utf-8' }
};

/** One file of a final version (report.pdf, workbook.xlsx, export.json), as it was kept; its SHA-256 in a header. */
export const GET = runtimeApi(async (event, runtime) => {
	const owned = await ownedAssessment(event, runtime);
	const params = event.params as { number?: string; file?: string };
	const wanted = TYPES[params.file ?? ''];
	const number = Number(params.number);
	if (!wanted || !Number.isInteger(number) || number < 1) throw new UserError('error.version.notFound', { number: params.number ?? '' }, 404);
	const { bytes, sha256 } = await runtime.assessments.versions.file(owned.data.assessment.id, number, wanted.kind);
	const name = exportFileName(`${owned.data.assessment.title} versjon ${number}`, wanted.kind);
	return new Response(bytes as BodyInit, {
		headers: { 'content-type': wanted.type, 'content-disposition': `attachment; filename="${name}"`, 'x-checksum-sha256': sha256 }
	});
});
