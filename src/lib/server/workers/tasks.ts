import {
	assessmentCsv,
	assessmentJson,
	assessmentMatrixPng,
	assessmentMatrixSvg,
	assessmentPdf,
	assessmentXlsx,
	prepareExport,
	type ExportSource
} from '../export/assessment-export';
import { readSpreadsheetRows } from './read-spreadsheet';

/**
 * The work done off the main thread (workers/pool.ts): reading uploaded spreadsheets and building
 * the big exports. Each takes and returns plain data (it crosses a thread boundary).
 */
export const TASKS = {
	readSpreadsheet: ({ bytes, sheet }: { bytes: Uint8Array; sheet: string | null }) => readSpreadsheetRows(bytes, sheet),
	assessmentXlsx: (source: ExportSource) => assessmentXlsx(prepareExport(source)),
	assessmentPdf: (source: ExportSource) => assessmentPdf(prepareExport(source)),
	assessmentCsvComma: (source: ExportSource) => assessmentCsv(prepareExport(source), 'comma'),
	assessmentCsvSemicolon: (source: ExportSource) => assessmentCsv(prepareExport(source), 'semicolon'),
	assessmentJson: (source: ExportSource) => assessmentJson(prepareExport(source)),
	assessmentMatrixSvg: (source: ExportSource) => assessmentMatrixSvg(prepareExport(source)),
	assessmentMatrixPng: (source: ExportSource) => assessmentMatrixPng(prepareExport(source)),
	/** the combined results and how sure they are, for the assessment page */
	assessmentAnalysis: (source: ExportSource) => {
		const { results, analysis } = prepareExport(source);
		return { results, analysis };
	}
};

export type TaskName = keyof typeof TASKS;
export type TaskInput<K extends TaskName> = Parameters<(typeof TASKS)[K]>[0];
export type TaskResult<K extends TaskName> = Awaited<ReturnType<(typeof TASKS)[K]>>;

/** Runs a task here, on this thread (in the worker, and where no worker can be started). */
export async function runTask<K extends TaskName>(task: K, input: TaskInput<K>): Promise<TaskResult<K>> {
	if (!Object.hasOwn(TASKS, task)) throw new Error(`No task ${String(task)}`);
	return (await (TASKS[task] as (input: TaskInput<K>) => unknown)(input)) as TaskResult<K>;
}
