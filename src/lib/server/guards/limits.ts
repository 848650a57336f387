/**
 * What one address, one workshop and the whole server may use, from the environment with defaults
 * that fit a 1,000-person event (docs/security.md lists them). Read once at start.
 */
import { setting } from '../env-setting';

export const LIMITS = {
	/** workshops, assessments and templates one address may create: a burst, then so many per hour */
	createBurst: setting('CREATE_BURST', 30),
	createPerHour: setting('CREATE_PER_HOUR', 60),
	/** all stored data; past it, nothing new is created (507) while running workshops go on */
	maxDataBytes: setting('MAX_DATA_MB', 2048) * 1024 * 1024,
	/** members one workshop may have */
	membersPerWorkshop: setting('MAX_MEMBERS_PER_WORKSHOP', 1200),
	/** new members one address may make: a burst (a hall behind one router), then so many a minute */
	newMembersBurst: setting('NEW_MEMBERS_BURST', 300),
	newMembersPerMinute: setting('NEW_MEMBERS_PER_MINUTE', 300),
	/** minutes a workshop or assessment nobody uses stays in memory */
	idleMinutes: setting('IDLE_MINUTES', 10),
	/**
	 * anonymous and counts-only workshops: a round's distribution, statistics and flag are shown
	 * (on every screen and in every export) only once this many have answered it, so that a small
	 * distribution is not itself somebody's answer. A privacy threshold, not the statistical minAnswers.
	 */
	minGroup: Math.max(1, Math.round(setting('MIN_GROUP', 3))),
	/**
	 * projector screens (the sockets without a member token) one address may have open, and one
	 * workshop: a room has one or two big screens; a leaked link must not open thousands
	 */
	projectorsPerAddress: setting('MAX_PROJECTORS_PER_ADDRESS', 20),
	projectorsPerWorkshop: setting('MAX_PROJECTORS_PER_WORKSHOP', 10),
	/** a socket (any role) whose unsent data passes this is dropped: a client that stops reading must not hold the server's memory */
	socketBacklogBytes: setting('MAX_SOCKET_BACKLOG_KB', 1024) * 1024
} as const;
