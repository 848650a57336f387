import type { WorkshopRecord } from '../store/records';
import type { RemoteUpdate } from '../store/store';
import type { LiveWorkshop } from './live-workshop';
import type { PointTimers } from './point-timers';
import { answerOf, type WorkshopCommits } from './workshop-changes';

/**
 * What another process committed to a workshop this one keeps (PostgreSQL): taken into memory
 * and passed on like a change made here, so this process's connections see it.
 */
export function applyRemote(workshop: LiveWorkshop, update: RemoteUpdate<WorkshopRecord>, commits: WorkshopCommits, timers: PointTimers): void {
	const workshopId = workshop.settings.id;
	if ('record' in update) {
		const { previous } = update;
		workshop.reindex();
		const now = workshop.settings;
		if (previous.workshop.facilitatorKeyHash !== now.facilitatorKeyHash) commits.emit({ type: 'rekeyed', workshopId });
		if (previous.workshop.projectorKeyHash !== now.projectorKeyHash) commits.emit({ type: 'projectorRekeyed', workshopId });
		for (const member of previous.participants) {
			const gone = !workshop.participant(member.id) || (workshop.isRemoved(member.id) && !previous.workshop.removedMembers.includes(member.id));
			if (gone) commits.emit({ type: 'removed', workshopId, participantId: member.id });
		}
		timers.arm(workshop);
		commits.emit({ type: 'workshop', workshopId });
		// answers to the current point's round that came with the whole record, not one by one: said as
		// new answers, so that auto-reveal (which follows new answers) sees them as it sees single ones
		const current = now.currentRiskPointId;
		if (current) {
			const round = workshop.currentRound(current);
			const before = new Set(previous.ratings.filter((r) => r.riskPointId === current && r.round === round).map((r) => r.participantId));
			for (const rating of workshop.record.ratings) {
				if (rating.riskPointId !== current || rating.round !== round || before.has(rating.participantId)) continue;
				commits.emit({ type: 'rating', workshopId, participantId: rating.participantId, added: true, answer: answerOf(rating) });
			}
		}
		return;
	}
	const first = !workshop.hasRatings;
	let members = false;
	// an answer to a round shown to all already: the other process revealed it once it had this
	// answer, which reached the database after the reveal. The revealed numbers are in the views.
	let intoRevealed = false;
	for (const entry of update.entries) {
		if ('p' in entry) {
			if (!workshop.participant(entry.p.id)) {
				workshop.addParticipant(entry.p);
				members = true;
			}
			continue;
		}
		const { participantId, riskPointId, round } = entry.r;
		const added = round === workshop.currentRound(riskPointId) && !workshop.rating(participantId, riskPointId, round);
		workshop.putRating(entry.r);
		commits.emit({ type: 'rating', workshopId, participantId, added, answer: answerOf(entry.r) });
		if (workshop.isRevealed(riskPointId, round)) intoRevealed = true;
	}
	if (intoRevealed) {
		workshop.viewsChanged();
		commits.emit({ type: 'workshop', workshopId });
	}
	if (members) commits.emit({ type: 'participants', workshopId });
	if (first && workshop.hasRatings) commits.emit({ type: 'locked', workshopId });
}
