import type { Weighting } from '../../domain/combined';
import type { AssessmentSettings } from '../store/records';
import type { LiveWorkshop } from '../workshops/live-workshop';
import { stateOf, type ReportVersions } from '../workshops/assessment-reports';
import type { ExportSource } from './assessment-export';

/**
 * What an assessment's reports are made from: its settings and each workshop's data with its
 * ratings, plain (the results are computed on a worker thread); the version of the report it is
 * (a draft of the next, or the last final one when nothing changed since); and a key naming this
 * state of the data, for the cache of built reports.
 */
export function assessmentExportSource(
	settings: AssessmentSettings,
	workshops: LiveWorkshop[],
	versions: ReportVersions,
	weighting: Weighting
): { source: () => ExportSource; version: string } {
	// a version marked final changes what a report of the same data says (its version label)
	const finals = versions.list(settings.id).length;
	const version = [settings.id, settings.updatedAt, weighting, finals, ...workshops.map((w) => `${w.instance}.${w.version}`)].join('|');
	const unlabelled = (): ExportSource => ({
		assessment: {
			id: settings.id,
			title: settings.title,
			description: settings.description,
			language: settings.language,
			scales: settings.scales,
			consequenceTypes: settings.consequenceTypes,
			matrix: settings.matrix,
			riskPoints: settings.riskPoints.map(({ addedAt: _, ...point }) => point),
			analysis: settings.analysis,
			report: settings.report,
			createdAt: settings.createdAt,
			signOff: settings.signOff
		},
		weighting,
		workshops: workshops.map((workshop) => ({
			id: workshop.settings.id,
			title: workshop.settings.title,
			kind: workshop.kind,
			status: workshop.settings.status,
			members: workshop.memberCount,
			answering: workshop.answeringMembers(),
			scoring: workshop.settings.scoring,
			data: workshop.data(true)
		})),
		exportedAt: new Date().toISOString()
	});
	// a draft of the next version, or the last final one when nothing changed since
	const source = (): ExportSource => {
		const made = unlabelled();
		return { ...made, assessment: { ...made.assessment, reportVersion: versions.label(settings.id, stateOf(made)) } };
	};
	return { source, version };
}
