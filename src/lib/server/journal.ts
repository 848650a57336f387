import { open, readFile } from 'node:fs/promises';
import type { Rating } from '../domain/types';
import type { ParticipantRecord, WorkshopRecord } from './records';

/**
 * A workshop's journal: `<id>.journal` beside its `<id>.json` snapshot. Ratings and new members
 * are appended as JSON lines (and fsynced) instead of rewriting the whole file, so a write costs
 * what changed, not the size of the workshop. Every so often, and on any other change, the
 * snapshot is rewritten (atomically) and the journal emptied. Each line carries a sequence
 * number; the snapshot records the last one it includes, so a crash between writing the snapshot
 * and emptying the journal replays nothing twice.
 */
export type JournalEntry = { r: Rating } | { p: ParticipantRecord };
export interface JournalLine {
	seq: number;
	entry: JournalEntry;
}

/** The least number of journal lines before they are folded into a fresh snapshot (more for big workshops: see RecordFile). */
export const JOURNAL_LIMIT = 5000;

export const journalPath = (snapshotPath: string) => snapshotPath.replace(/\.json$/, '.journal');

/** Appends text to a file and fsyncs it (the caller fsyncs the directory once, after the file is created). */
export async function appendDurably(path: string, text: string): Promise<void> {
	const handle = await open(path, 'a');
	try {
		await handle.writeFile(text, 'utf8');
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/** Empties a journal durably (after a snapshot holds everything in it). */
export async function emptyJournal(path: string): Promise<void> {
	const handle = await open(path, 'w');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/**
 * The lines of a journal, in order. A line cut short by a crash (the last one) is ignored: its
 * change was never acknowledged. A missing journal is empty.
 */
export async function readJournal(path: string): Promise<JournalLine[]> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const lines: JournalLine[] = [];
	for (const raw of text.split('\n')) {
		if (raw.trim() === '') continue;
		try {
			lines.push(JSON.parse(raw) as JournalLine);
		} catch {
			break; // torn tail
		}
	}
	return lines;
}

const ratingKey = (r: Rating) => `${r.participantId}\u0000${r.riskPointId}\u0000${r.round}`;

/** Applies journal lines newer than the snapshot to a workshop record (a rating replaces the one it updates). */
export function replayWorkshop(record: WorkshopRecord, lines: readonly JournalLine[]): number {
	let seq = record.journalSeq;
	const fresh = lines.filter((line) => line.seq > record.journalSeq);
	if (fresh.length === 0) return seq;
	const ratingIndex = new Map(record.ratings.map((rating, index) => [ratingKey(rating), index]));
	const participants = new Set(record.participants.map((p) => p.id));
	for (const { seq: lineSeq, entry } of fresh) {
		seq = Math.max(seq, lineSeq);
		if ('r' in entry) {
			const index = ratingIndex.get(ratingKey(entry.r));
			if (index === undefined) {
				ratingIndex.set(ratingKey(entry.r), record.ratings.length);
				record.ratings.push(entry.r);
			} else record.ratings[index] = entry.r;
		} else if (!participants.has(entry.p.id)) {
			participants.add(entry.p.id);
			record.participants.push(entry.p);
		}
	}
	return seq;
}

/** A workshop as stored: the snapshot with its journal replayed (for tools and tests). */
export async function readWorkshopRecord(snapshotPath: string): Promise<WorkshopRecord> {
	const record = JSON.parse(await readFile(snapshotPath, 'utf8')) as WorkshopRecord;
	record.journalSeq ??= 0;
	replayWorkshop(record, await readJournal(journalPath(snapshotPath)));
	return record;
}
