/**
 * How a workshop's members and ratings are rows (store/postgres): read back as JSON arrays in one
 * statement (a catch-up or a whole workshop), and written with unnest() from one array per column
 * (a batch of entries, or a whole workshop copied in).
 */
import type { ParticipantRecord } from '../records';
import type { RecordEntry } from '../store';
import type { Rating, TypeAnswer } from '../../../domain/types';

export const ratingKey = (r: Pick<Rating, 'participantId' | 'riskPointId' | 'round'>) => `${r.participantId}\u0000${r.riskPointId}\u0000${r.round}`;
export const entryKey = (entry: RecordEntry) => ('r' in entry ? ratingKey(entry.r) : `\u0001${entry.p.id}`);

/** pg returns bigint as text */
export const int = (value: unknown) => Number(value ?? 0);

/** The rows of one workshop's change: what a process that has applied up to `since` lacks. */
export interface ChangeRow {
	id: string;
	seq: string;
	sv: string;
	participants: [string, string, string, string, number][];
	ratings: [string, string, number, number | null, number | null, string | null, string | null, string, number, TypeAnswer[] | null][];
}

export const participantOf = ([id, tokenHash, name, joinedAt]: ChangeRow['participants'][number]): ParticipantRecord => ({ id, tokenHash, name, joinedAt });
export function ratingOf([participantId, riskPointId, round, likelihood, consequence, knowledge, comment, at, , types]: ChangeRow['ratings'][number]): Rating {
	const rating = { participantId, riskPointId, round, likelihood, consequence, at } as Rating;
	if (types !== null && types !== undefined) rating.types = types;
	if (knowledge !== null) rating.knowledge = knowledge as Rating['knowledge'];
	if (comment !== null) rating.comment = comment;
	return rating;
}

const PARTICIPANT_JSON = `json_build_array(p.id, p.token_hash, p.name, p.joined_at, p.change_seq)`;
const RATING_JSON = `json_build_array(r.participant_id, r.risk_point_id, r.round, r.likelihood, r.consequence, r.knowledge, r.comment, r.at, r.change_seq, r.types)`;

/** Changes of several workshops since what each process has, in one statement (one snapshot). */
export const CHANGES_SQL = `
	SELECT w.id, w.seq, w.settings_version AS sv,
		(SELECT coalesce(json_agg(${PARTICIPANT_JSON} ORDER BY p.seq), '[]') FROM participants p WHERE p.workshop_id = w.id AND p.change_seq > s.since) AS participants,
		(SELECT coalesce(json_agg(${RATING_JSON} ORDER BY r.change_seq, r.seq), '[]') FROM ratings r WHERE r.workshop_id = w.id AND r.change_seq > s.since) AS ratings
	FROM unnest($1::text[], $2::bigint[]) AS s(id, since) JOIN workshops w ON w.id = s.id`;

/** A whole workshop with its change numbers, in one statement. */
export const RECORD_SQL = `
	SELECT w.settings, w.seq, w.settings_version AS sv,
		(SELECT coalesce(json_agg(${PARTICIPANT_JSON} ORDER BY p.seq), '[]') FROM participants p WHERE p.workshop_id = w.id) AS participants,
		(SELECT coalesce(json_agg(${RATING_JSON} ORDER BY r.seq), '[]') FROM ratings r WHERE r.workshop_id = w.id) AS ratings
	FROM workshops w WHERE w.id = $1`;

/** Members as unnest() arguments: workshop, id, token hash, name, joined at. */
export function memberColumns(members: { workshopId: string; member: ParticipantRecord }[]): string[][] {
	return [
		members.map((m) => m.workshopId),
		members.map((m) => m.member.id),
		members.map((m) => m.member.tokenHash),
		members.map((m) => m.member.name),
		members.map((m) => m.member.joinedAt)
	];
}

/** Ratings as unnest() arguments: workshop, member, point, round, likelihood, consequence, knowledge, comment, time, the answers per type (JSON). */
export function ratingColumns(ratings: { workshopId: string; rating: Rating }[]): unknown[][] {
	const column = <K extends keyof Rating>(key: K) => ratings.map(({ rating }) => rating[key] ?? null);
	return [
		ratings.map((r) => r.workshopId),
		column('participantId'),
		column('riskPointId'),
		column('round'),
		column('likelihood'),
		column('consequence'),
		column('knowledge'),
		column('comment'),
		column('at'),
		ratings.map(({ rating }) => (rating.types ? JSON.stringify(rating.types) : null))
	];
}

/**
 * Inserts the members given as memberColumns() from parameter $first on, stamped with change
 * number `seq` (an SQL expression; `join` may bring it in); a member already there is kept.
 */
export const insertMembersSql = (first: number, seq: string, join = '') => `
	INSERT INTO participants (workshop_id, id, token_hash, name, joined_at, change_seq)
	SELECT m.workshop_id, m.id, m.token_hash, m.name, m.joined_at, ${seq}
	FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::text[], $${first + 4}::text[])
		AS m(workshop_id, id, token_hash, name, joined_at) ${join}
	ON CONFLICT (workshop_id, id) DO NOTHING`;

/** Inserts the ratings given as ratingColumns() from $first on, stamped with `seq`; an answer given again replaces the one stored. */
export const upsertRatingsSql = (first: number, seq: string, join = '') => `
	INSERT INTO ratings (workshop_id, participant_id, risk_point_id, round, likelihood, consequence, knowledge, comment, at, types, change_seq)
	SELECT r.workshop_id, r.participant_id, r.risk_point_id, r.round, r.likelihood, r.consequence, r.knowledge, r.comment, r.at, r.types::jsonb, ${seq}
	FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::int[], $${first + 4}::int[], $${first + 5}::int[], $${first + 6}::text[], $${first + 7}::text[], $${first + 8}::text[], $${first + 9}::text[])
		AS r(workshop_id, participant_id, risk_point_id, round, likelihood, consequence, knowledge, comment, at, types) ${join}
	ON CONFLICT (workshop_id, participant_id, risk_point_id, round) DO UPDATE SET
	  likelihood = EXCLUDED.likelihood, consequence = EXCLUDED.consequence, types = EXCLUDED.types, knowledge = EXCLUDED.knowledge,
	  comment = EXCLUDED.comment, at = EXCLUDED.at, change_seq = EXCLUDED.change_seq`;
