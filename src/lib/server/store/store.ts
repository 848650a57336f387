/**
 * Where workshops, assessments and templates are kept: one interface, so the embedded lowdb files
 * (store/lowdb/) and a database can take turns behind the services. Records are read on first use,
 * not at start; what the services need to find a record without reading it (a join code, a
 * template's owner) is its summary, kept in memory for every stored record.
 */
import type { AssessmentRecord, ParticipantRecord, ReportVersionRecord, TemplateRecord, WorkshopRecord } from './records';
import type { Rating } from '../../domain/types';

/** A change that is cheaper to store on its own than by rewriting the record (see the journal). */
export type RecordEntry = { r: Rating } | { p: ParticipantRecord };

/**
 * What another process committed to a record this one keeps in memory (PostgreSQL with several
 * processes): the whole record read again (its settings changed), or the entries added since.
 */
export type RemoteUpdate<T> = { record: T; previous: T } | { entries: RecordEntry[] };

/** One record in memory and the way to make it durable. */
export interface RecordHandle<T> {
	readonly data: T;
	/** Resolves once the whole record as it is in memory is stored; rejects if that failed. */
	persist(): Promise<void>;
	/**
	 * Runs `change` on the record as stored now and stores the result. Where several processes
	 * share the store, changes of one record run one at a time across all of them, each on the
	 * record as the one before left it (a reveal on one process and "next point" on another).
	 * A change that throws stores nothing.
	 */
	update(change: () => void): Promise<void>;
	/** Brings the record in memory up to what is stored (another process may have changed it). */
	refresh(): Promise<void>;
	/**
	 * Told what other processes changed (set by whoever keeps the record): the whole record read
	 * again, already in `data` (`previous`: what was there), or entries for the listener to add.
	 */
	onRemote: ((update: RemoteUpdate<T>) => void) | null;
	/**
	 * Whether someone here follows the record live (set by whoever keeps it): only then are other
	 * processes' changes applied as they come; otherwise the record is brought up to date when it is
	 * next opened (refresh). Unset: always.
	 */
	watched: (() => boolean) | null;
	/** The record's change number: grows with every stored change, from any process (0 where one process owns the files). */
	readonly seq: number;
	/** Resolves once a change already made in memory (a rating, a new member) is stored. */
	persistEntry(entry: RecordEntry): Promise<void>;
	/** Resolves when no write is under way or waiting. */
	settled(): Promise<void>;
	/** Called after a failed write has put the data back to what is stored. */
	onRevert: (() => void) | null;
	/** Lets go of what the handle keeps open (the record left memory); it may be opened again. */
	close(): void;
}

/** Records of one kind. */
export interface Collection<T, S> {
	/** The summary of every stored record, by id; kept in memory, no record is read for it. */
	readonly summaries: ReadonlyMap<string, S>;
	/** Records found stored but unusable (id → why): they are left as they are, and open() says so. */
	readonly unreadable: ReadonlyMap<string, string>;
	/** Reads a stored record; throws a RecordUnreadable when it cannot be used (it is left as it is). */
	open(id: string): Promise<RecordHandle<T>>;
	/** Stores a new record; resolves once it is durable. */
	create(record: T): Promise<RecordHandle<T>>;
	/** Deletes a record for good. */
	remove(id: string): Promise<void>;
	/**
	 * Looks for a record this process has no summary of (another process may have made it a moment
	 * ago, before its notice arrived): true, with the summary kept, when the store has it.
	 */
	discover(id: string): Promise<boolean>;
	/** Told when another process made, changed or deleted a record (its summary is up to date by then). */
	onRemote: ((event: { id: string; deleted: boolean }) => void) | null;
}

/** Messages between the processes that share a store (PostgreSQL: LISTEN/NOTIFY), for what is not stored (presence). */
export interface Bus {
	/** This process, as the others know it. */
	readonly processId: string;
	/** Sends to every other process (not to this one); small messages only (under 7,000 bytes as JSON). */
	publish(message: object): void;
	/** `from` is the sending process; `resync` is called when messages may have been missed (a lost connection). */
	subscribe(listener: { message: (from: string, message: unknown) => void; resync: () => void }): () => void;
}

/** Workshops are also found by join code. */
export interface WorkshopCollection extends Collection<WorkshopRecord, WorkshopSummary> {
	/** Like discover(), by join code (as stored): the workshop's id, or null. */
	discoverJoinCode(joinCode: string): Promise<string | null>;
}

export interface WorkshopSummary {
	joinCode: string;
	assessmentId: string | null;
	kind: WorkshopRecord['workshop']['kind'];
	status: WorkshopRecord['workshop']['status'];
	updatedAt: string;
}
export interface AssessmentSummary {
	updatedAt: string;
}
export interface ReportVersionSummary {
	assessmentId: string;
	number: number;
	finalAt: string;
	state: string;
}
export interface TemplateSummary {
	title: string;
	points: number;
	createdAt: string;
	/** the hash of the key that saved it: it is listed, used and deleted with that key only */
	ownerKeyHash: string | null;
	/** saved from an assessment by consequence type (absent in summaries kept before: one consequence) */
	perType?: boolean;
}

export const workshopSummary = ({ workshop }: WorkshopRecord): WorkshopSummary => ({
	joinCode: workshop.joinCode,
	assessmentId: workshop.assessmentId,
	kind: workshop.kind,
	status: workshop.status,
	updatedAt: workshop.updatedAt
});
export const assessmentSummary = ({ assessment }: AssessmentRecord): AssessmentSummary => ({ updatedAt: assessment.updatedAt });
export const reportVersionSummary = ({ report }: ReportVersionRecord): ReportVersionSummary => ({
	assessmentId: report.assessmentId,
	number: report.number,
	finalAt: report.finalAt,
	state: report.state
});
export const templateSummary = ({ template }: TemplateRecord): TemplateSummary => ({
	title: template.title,
	points: template.riskPoints.length,
	createdAt: template.createdAt,
	ownerKeyHash: template.ownerKeyHash,
	perType: template.consequenceTypes !== null
});

export interface Store {
	readonly workshops: WorkshopCollection;
	readonly assessments: Collection<AssessmentRecord, AssessmentSummary>;
	readonly templates: Collection<TemplateRecord, TemplateSummary>;
	/** final versions of assessments' reports, kept unchanged */
	readonly reports: Collection<ReportVersionRecord, ReportVersionSummary>;
	/** Bytes stored now (an estimate kept up to date as records are written). */
	bytesUsed(): number;
	/** Where the records are, for messages to the operator. */
	readonly location: string;
	/** Resolves when the store can take writes now (readiness); rejects saying why not. */
	ping(): Promise<void>;
	/** Lets go of connections (after the last write, at shutdown). */
	close(): Promise<void>;
	/** Between processes sharing this store; null where one process owns it (lowdb). */
	readonly bus: Bus | null;
}

/** A stored record that cannot be used: it is left as it is, and the reason is given. */
export class RecordUnreadable extends Error {
	constructor(
		readonly id: string,
		message: string
	) {
		super(message);
		this.name = 'RecordUnreadable';
	}
}

/** What the store could not read at start (reported, left untouched). */
export interface LoadProblem {
	file: string;
	message: string;
}
