/**
 * Where workshops, assessments and templates are kept: one interface, so the embedded lowdb files
 * (store/lowdb/) and a database can take turns behind the services. Records are read on first use,
 * not at start; what the services need to find a record without reading it (a join code, a
 * template's owner) is its summary, kept in memory for every stored record.
 */
import type { AssessmentRecord, ParticipantRecord, TemplateRecord, WorkshopRecord } from './records';
import type { Rating } from '../../domain/types';

/** A change that is cheaper to store on its own than by rewriting the record (see the journal). */
export type RecordEntry = { r: Rating } | { p: ParticipantRecord };

/** One record in memory and the way to make it durable. */
export interface RecordHandle<T> {
	readonly data: T;
	/** Resolves once the whole record as it is in memory is stored; rejects if that failed. */
	persist(): Promise<void>;
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
export interface TemplateSummary {
	title: string;
	points: number;
	createdAt: string;
	/** the hash of the key that saved it: it is listed, used and deleted with that key only */
	ownerKeyHash: string | null;
}

export const workshopSummary = ({ workshop }: WorkshopRecord): WorkshopSummary => ({
	joinCode: workshop.joinCode,
	assessmentId: workshop.assessmentId,
	kind: workshop.kind,
	status: workshop.status,
	updatedAt: workshop.updatedAt
});
export const assessmentSummary = ({ assessment }: AssessmentRecord): AssessmentSummary => ({ updatedAt: assessment.updatedAt });
export const templateSummary = ({ template }: TemplateRecord): TemplateSummary => ({
	title: template.title,
	points: template.riskPoints.length,
	createdAt: template.createdAt,
	ownerKeyHash: template.ownerKeyHash
});

export interface Store {
	readonly workshops: Collection<WorkshopRecord, WorkshopSummary>;
	readonly assessments: Collection<AssessmentRecord, AssessmentSummary>;
	readonly templates: Collection<TemplateRecord, TemplateSummary>;
	/** Bytes stored now (an estimate kept up to date as records are written). */
	bytesUsed(): number;
	/** Where the records are, for messages to the operator. */
	readonly location: string;
	/** Resolves when the store can take writes now (readiness); rejects saying why not. */
	ping(): Promise<void>;
	/** Lets go of connections (after the last write, at shutdown). */
	close(): Promise<void>;
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
