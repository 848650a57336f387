import { UserError } from '../../domain/errors';
import type { AnswerUpdate, RateInput } from '../../protocol';
import type { JoinGuard } from '../guards/join-guard';
import type { LiveWorkshop } from './live-workshop';
import type { ParticipantRecord } from '../store/records';
import { hashSecret, newSecret, randomId } from './secrets';
import { answerOf, type WorkshopCommits } from './workshop-changes';

export interface JoinedMember {
	workshop: LiveWorkshop;
	participantId: string;
	participantToken: string;
	name: string;
	/**
	 * a new member: not stored or counted until its client has the token (confirm(), on the
	 * client's acknowledgement); absent for a member who came back with their token
	 */
	pending?: ParticipantRecord;
}

/** What the members' part needs of the workshop service. */
export interface MembersContext {
	commits: WorkshopCommits;
	joinGuard: JoinGuard;
	/** the workshop id of a join code, also one another process made a moment ago (no guessing limit) */
	findJoinCode: (typed: string) => Promise<string | undefined>;
	open: (id: string) => Promise<LiveWorkshop>;
	/** the workshop of a code typed by someone at `address`, through the guessing limits */
	lookUpJoinCode: (typed: string, address: string) => Promise<LiveWorkshop>;
	checkSpace: () => void;
}

/** Members of a workshop: joining, coming back, being removed, and their ratings. */
export class WorkshopMembers {
	readonly #context: MembersContext;

	constructor(context: MembersContext) {
		this.#context = context;
	}

	/**
	 * A member joins with a code. A known token resumes the same member (and their answers) and is
	 * never held back by the guessing limits; an unknown or missing one makes a new member, within
	 * the limits on new members per address and per workshop, while the join is open.
	 */
	async join(joinCode: string, participantToken: string | undefined, name: string | undefined, address = 'unknown'): Promise<JoinedMember> {
		const { commits, joinGuard } = this.#context;
		const id = participantToken ? await this.#context.findJoinCode(joinCode) : undefined;
		if (id && participantToken) {
			const workshop = await this.#context.open(id);
			const known = workshop.participantByTokenHash(hashSecret(participantToken));
			if (known && workshop.isRemoved(known.id)) throw new UserError('error.member.removed', {}, 403);
			if (known) {
				if (name !== undefined && name !== known.name && !workshop.settings.countsOnly) {
					await commits.change(
						workshop,
						() => {
							const member = workshop.participant(known.id);
							if (member) member.name = name;
						},
						['participants']
					);
				}
				return { workshop, participantId: known.id, participantToken, name: workshop.participant(known.id)?.name ?? known.name };
			}
		}
		const workshop = await this.#context.lookUpJoinCode(joinCode, address);
		if (workshop.settings.joinClosed) throw new UserError('error.join.closed', {}, 409);
		joinGuard.checkNewMember(workshop.settings.id, workshop.record.participants.length, address);
		this.#context.checkSpace();
		const token = newSecret();
		const participant = {
			id: randomId(),
			tokenHash: hashSecret(token),
			// a counts-only workshop keeps no names
			name: workshop.settings.countsOnly ? '' : (name ?? ''),
			joinedAt: new Date().toISOString()
		};
		return { workshop, participantId: participant.id, participantToken: token, name: participant.name, pending: participant };
	}

	/**
	 * A new member's client has its token: the member is stored and counted from now on. A join
	 * whose client never got that far (a handshake that failed on the way) leaves nothing behind.
	 */
	async confirm(workshop: LiveWorkshop, participant: ParticipantRecord): Promise<void> {
		if (workshop.participant(participant.id)) return;
		workshop.addParticipant(participant);
		this.#context.commits.emit({ type: 'participants', workshopId: workshop.settings.id });
		await this.#context.commits.persist(workshop, { p: participant });
	}

	/**
	 * Removes a member (a fake or duplicate one); their connections are closed and their token stops
	 * working. In a named workshop their answers go with them. In anonymous and counts-only workshops
	 * their answers stay where they are: taking them out would change the figures by exactly what
	 * they answered. A new round of the points concerned is then rated without them.
	 */
	async remove(workshop: LiveWorkshop, participantId: string): Promise<void> {
		const known = () => workshop.participant(participantId) && !workshop.isRemoved(participantId);
		if (!known()) throw new UserError('error.member.notFound', {}, 404);
		await this.#context.commits.change(
			workshop,
			() => {
				if (!known()) throw new UserError('error.member.notFound', {}, 404);
				if (workshop.settings.anonymous) workshop.markRemoved(participantId);
				else workshop.removeParticipant(participantId);
			},
			[]
		);
		this.#context.commits.emit({ type: 'removed', workshopId: workshop.settings.id, participantId });
		this.#context.commits.emit({ type: 'workshop', workshopId: workshop.settings.id });
	}

	/** Stores a member's rating; resolves with the answer as stored once it is on disk (so the ack can go out). */
	async rate(workshop: LiveWorkshop, participantId: string, input: RateInput): Promise<AnswerUpdate> {
		const { commits } = this.#context;
		workshop.checkRating(input);
		if (!workshop.participant(participantId) || workshop.isRemoved(participantId)) throw new UserError('error.member.removed', {}, 403);
		const first = !workshop.hasRatings;
		const added = !workshop.hasAnswered(participantId, input.riskPointId);
		const rating = workshop.applyRating(participantId, input, new Date().toISOString());
		const answer = answerOf(rating);
		await commits.persist(workshop, { r: rating });
		// told once stored: no screen shows an answer that a crash or a failed write could take back
		commits.emit({ type: 'rating', workshopId: workshop.settings.id, participantId, added });
		// the first rating locks the list and scales: the facilitator's screen must know
		if (first) commits.emit({ type: 'locked', workshopId: workshop.settings.id });
		return answer;
	}
}
