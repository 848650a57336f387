import type { AssessmentOverview } from '../../protocol';
import type { AssessmentSettings } from '../store/records';
import type { LiveWorkshop } from './live-workshop';
import { projectorKeyFor, workshopKeyFor } from './workshop-keys';

/**
 * What the owner sees: the assessment and each workshop's status, members, answers and its own
 * links (facilitator and projector, each with that workshop's key: the owner key is never in them).
 */
export function assessmentOverview(
	settings: AssessmentSettings,
	workshops: LiveWorkshop[],
	origin: string,
	ownerKey: string,
	connected: (workshopId: string) => number = () => 0,
	versions: { number: number; finalAt: string }[] = []
): AssessmentOverview {
	const readable = new Set(workshops.map((workshop) => workshop.settings.id));
	return {
		id: settings.id,
		title: settings.title,
		description: settings.description,
		language: settings.language,
		scales: settings.scales,
		consequenceTypes: settings.consequenceTypes,
		matrix: settings.matrix,
		riskPoints: settings.riskPoints,
		createdAt: settings.createdAt,
		updatedAt: settings.updatedAt,
		hasRatings: workshops.some((workshop) => workshop.hasRatings),
		analysis: settings.analysis,
		report: settings.report,
		privacy: settings.privacy,
		signOff: settings.signOff,
		versions,
		unreadableWorkshops: settings.workshopIds.filter((id) => !readable.has(id)),
		workshops: workshops.map((workshop) => {
			const { id, title, status, joinCode, riskPoints, createdAt } = workshop.settings;
			const kind = workshop.kind;
			const key = workshopKeyFor(ownerKey, id, workshop.settings.keyGeneration);
			// workshops made before keys were derived have a key of their own that is not stored: no links until a new key is made
			const linked = workshop.keyMatches(key);
			return {
				id,
				title,
				kind,
				status,
				joinCode,
				joinUrl: `${origin}/join/${joinCode}`,
				facilitatorUrl: linked ? `${origin}/facilitate/${id}#key=${key}` : null,
				projectorUrl: linked ? `${origin}/project/${id}#key=${projectorKeyFor(key, workshop.settings.projectorGeneration)}` : null,
				points: riskPoints.length,
				members: workshop.memberCount,
				answers: workshop.record.ratings.length,
				createdAt,
				connected: connected(id),
				progress: workshop.progress(),
				flagged: workshop.results().riskPoints.filter((point) => point.disagreement).length,
				pacing: workshop.settings.pacing,
				currentIndex: workshop.settings.pacing === 'facilitator' && workshop.settings.currentRiskPointId ? riskPoints.findIndex((p) => p.id === workshop.settings.currentRiskPointId) + 1 || null : null
			};
		})
	};
}
