import type { LiveWorkshop } from '../workshops/live-workshop';
import type { ExportSource } from './assessment-export';

/**
 * What the report of a workshop on its own is made from (export/assessment-export.ts): the
 * workshop as a report of one, with its own minimum answers and report settings; a version that
 * names this state of the workshop, for the cache of built reports.
 */
export function workshopExportSource(workshop: LiveWorkshop): { source: () => ExportSource; version: string } {
	const settings = workshop.settings;
	const version = `workshop|${settings.id}|${workshop.instance}.${workshop.version}`;
	const source = (): ExportSource => ({
		assessment: {
			id: settings.id,
			title: settings.title,
			description: '',
			language: settings.language,
			scales: settings.scales,
			consequenceTypes: settings.consequenceTypes,
			matrix: settings.matrix,
			riskPoints: settings.riskPoints,
			analysis: { topN: settings.report.topN, minAnswers: settings.minAnswers },
			report: { caseNumber: settings.report.caseNumber, draft: settings.report.draft },
			createdAt: settings.createdAt
		},
		weighting: 'workshop',
		workshops: [
			{
				id: settings.id,
				title: settings.title,
				kind: workshop.kind,
				status: settings.status,
				members: workshop.memberCount,
				answering: workshop.answeringMembers(),
				scoring: settings.scoring,
				data: workshop.data(true)
			}
		],
		exportedAt: new Date().toISOString(),
		standalone: true
	});
	return { source, version };
}
