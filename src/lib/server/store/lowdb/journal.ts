import { close as fsClose, constants, fdatasync as fsFdatasync, ftruncate as fsFtruncate, open as fsOpen, stat as fsStat, watch, write as fsWrite } from 'node:fs';
import { copyFile, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import type { WorkshopRecord } from '../records';
import type { RecordEntry } from '../store';

/**
 * A workshop's journal: `<id>.journal` beside its `<id>.json` snapshot. Ratings and new members
 * are appended as JSON lines (and fsynced) instead of rewriting the whole file, so a write costs
 * what changed, not the size of the workshop. Every so often, and on any other change, the
 * snapshot is rewritten (atomically) and the journal emptied. Each line carries a sequence
 * number; the snapshot records the last one it includes, so a crash between writing the snapshot
 * and emptying the journal replays nothing twice. Each line ends with a tab and the CRC-32 of its
 * JSON, so a damaged line is recognised and skipped alone instead of hiding every line after it.
 */
export type JournalEntry = RecordEntry;
export interface JournalLine {
	seq: number;
	entry: JournalEntry;
}

/** The least number of journal lines before they are folded into a fresh snapshot (more for big workshops: see RecordFile). */
export const JOURNAL_LIMIT = 5000;

export const journalPath = (snapshotPath: string) => snapshotPath.replace(/\.json$/, '.journal');

/**
 * Journal files kept open between writes: a write is then one positioned, synchronised write
 * (see DSYNC), asynchronous on libuv's pool, so the syncs of different workshops run at once and
 * each workshop is answered as soon as its own file is on disk (what bench/ceiling.mjs does; opening and closing
 * the file for every write, on a thread of its own, cost twice the CPU). So that a write still
 * fails once the file can no longer be written there (the directory moved, replaced or made
 * read-only), the folder holding the journals is watched: when it is renamed, its files are closed
 * and opened again, which then fails. Between events, the folder is also checked every 100 ms.
 * At most OPEN_LIMIT files stay open; the least recently used is closed first.
 */
const OPEN_LIMIT = 256;
const CHECK_MS = 100;

/**
 * Journals are opened with O_DSYNC where the system has it (Linux, macOS): each write then
 * returns only once its data is on disk, as write + fdatasync would, but in one request to
 * libuv's pool instead of two. Handing a request to the pool costs the main thread about as much
 * as the socket write of the acknowledgement (a fifth of its time at 2,000 ratings a second),
 * so this halves that part. Without O_DSYNC (Windows), each write is followed by fdatasync.
 */
const DSYNC: number = constants.O_DSYNC ?? 0;

interface OpenFile {
	/** the descriptor, or null while it is being opened (`waiting` then holds who waits for it) */
	fd: number | null;
	waiting: ((error: NodeJS.ErrnoException | null, file?: OpenFile) => void)[];
	inode: number;
	/** writes under way on the descriptor: it is closed only when none is (a closed number may be reused at once) */
	busy: number;
	closing: boolean;
}

/**
 * The journal files, kept open. Written with the callback calls on descriptors rather than
 * FileHandle promises: a write is one request to libuv's pool and nothing else on the hot path
 * (the promise calls made several objects and promises per write, a third of the garbage of a
 * rating at 2,000 a second).
 */
class OpenJournals {
	/** path -> its descriptor (in order of last use) and the inode of the directory it was opened in */
	readonly #open = new Map<string, OpenFile>();
	/** directory -> its inode, checked again after CHECK_MS or when the folder above it changes */
	readonly #checks = new Map<string, { inode: number | null; at: number; waiting: ((inode: number | null) => void)[] | null }>();
	readonly #watched = new Set<string>();

	/** The directory's inode (null when it is not a directory), from a stat at most CHECK_MS old. */
	#inodeOf(directory: string, then: (inode: number | null) => void): void {
		const now = Date.now();
		const check = this.#checks.get(directory);
		if (check && now - check.at < CHECK_MS) {
			if (check.waiting) check.waiting.push(then);
			else then(check.inode);
			return;
		}
		this.#watch(directory);
		const fresh = { inode: null as number | null, at: now, waiting: [then] as ((inode: number | null) => void)[] | null };
		this.#checks.set(directory, fresh);
		fsStat(directory, (error, info) => {
			fresh.inode = !error && info.isDirectory() ? info.ino : null;
			const waiting = fresh.waiting!;
			fresh.waiting = null;
			for (const one of waiting) one(fresh.inode);
		});
	}

	/** A rename in the folder above makes the next write check the directory again at once. */
	#watch(directory: string): void {
		if (this.#watched.has(directory)) return;
		this.#watched.add(directory);
		try {
			watch(dirname(directory), { persistent: false }, () => this.#checks.delete(directory)).on('error', () => {});
		} catch {
			// no watching here (some file systems): the check every CHECK_MS remains
		}
	}

	/** The file's descriptor: kept open while its directory is the one it was opened in. */
	#descriptor(path: string, then: (error: NodeJS.ErrnoException | null, file?: OpenFile) => void): void {
		this.#inodeOf(dirname(path), (inode) => {
			const open = this.#open.get(path);
			if (open && open.inode === inode) {
				// most recently used last
				this.#open.delete(path);
				this.#open.set(path, open);
				if (open.fd === null) open.waiting.push(then);
				else then(null, open);
				return;
			}
			if (open) this.close(path);
			const opening: OpenFile = { fd: null, waiting: [then], inode: inode ?? -1, busy: 0, closing: false };
			this.#open.set(path, opening);
			fsOpen(path, constants.O_WRONLY | constants.O_CREAT | DSYNC, 0o644, (error, fd) => {
				const waiting = opening.waiting;
				opening.waiting = [];
				if (error) {
					if (this.#open.get(path) === opening) this.#open.delete(path);
				} else opening.fd = fd;
				for (const one of waiting) one(error, opening);
				// closed while it was being opened, and nobody waited to write
				if (!error && opening.closing) this.#release(opening);
			});
			while (this.#open.size > OPEN_LIMIT) this.close(this.#open.keys().next().value!);
		});
	}

	write(path: string, text: string, at: number, truncate: boolean): Promise<number> {
		const bytes = Buffer.from(text, 'utf8');
		const end = at + bytes.length;
		return new Promise((resolve, reject) => {
			this.#descriptor(path, (error, file) => {
				if (error || !file || file.fd === null) {
					this.close(path);
					return reject(error ?? Object.assign(new Error(`${path} was closed`), { code: 'EBADF' }));
				}
				const fd = file.fd;
				file.busy++;
				const done = (failure: NodeJS.ErrnoException | null) => {
					file.busy--;
					if (file.closing) this.#release(file);
					if (!failure) return resolve(end);
					// the next write opens the file again, and so finds out whether it can be written now
					this.close(path);
					reject(failure);
				};
				fsWrite(fd, bytes, 0, bytes.length, at, (error, written) => {
					if (error) return done(error);
					if (written !== bytes.length) {
						return done(Object.assign(new Error(`Only ${written} of ${bytes.length} bytes written to ${path} (disk full?)`), { code: 'ENOSPC' }));
					}
					const sync = () => fsFdatasync(fd, done);
					// the new size is metadata O_DSYNC does not cover for ftruncate: synced after it
					if (truncate) fsFtruncate(fd, end, (error) => (error ? done(error) : sync()));
					else if (DSYNC === 0) sync();
					else done(null);
				});
			});
		});
	}

	/** Closes a journal kept open (deleted, or out of memory), once no write is under way on it. */
	close(path: string): void {
		const open = this.#open.get(path);
		if (!open) return;
		this.#open.delete(path);
		open.closing = true;
		this.#release(open);
	}

	#release(file: OpenFile): void {
		if (file.busy > 0 || file.fd === null) return;
		const fd = file.fd;
		file.fd = null;
		fsClose(fd, () => {});
	}
}

const journals = new OpenJournals();

/**
 * Writes text into a journal at `at` (the end of what it holds intact) and fdatasyncs it; resolves
 * with the new end. Writing at a known offset rather than appending means a line torn by an
 * earlier failed write (a full disk) is written over, never left in the middle of the journal;
 * `truncate` cuts off whatever is beyond the new end. A write fails as soon as the file can no
 * longer be written there (full disk, read-only, moved or replaced directory). The caller fsyncs
 * the directory once, after the file is created.
 */
export function writeJournalAt(path: string, text: string, at: number, truncate: boolean): Promise<number> {
	return journals.write(path, text, at, truncate);
}

/** Closes a journal's file if it is kept open (the workshop was deleted or left memory). */
export function closeJournal(path: string): void {
	journals.close(path);
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

const checksum = (json: string) => crc32(json).toString(16).padStart(8, '0');

/** A journal line as written: its JSON, a tab, the CRC-32 of the JSON in hex, a newline. */
export function journalLineText(line: JournalLine): string {
	const json = JSON.stringify(line);
	return `${json}\t${checksum(json)}\n`;
}

/** What a journal held: the intact lines in order, and what had to be left out. */
export interface JournalContents {
	lines: JournalLine[];
	/** complete lines whose checksum or JSON is wrong (1-based line numbers) */
	damaged: { line: number; reason: string }[];
	/** an unfinished last line (a write cut short by a crash or a full disk: never acknowledged) */
	tornTail: boolean;
}

function parseLine(raw: string): JournalLine | string {
	const tab = raw.lastIndexOf('\t');
	// lines written before checksums were added have none
	const json = tab >= 0 ? raw.slice(0, tab) : raw;
	if (tab >= 0 && checksum(json) !== raw.slice(tab + 1)) return 'checksum does not match';
	try {
		const line = JSON.parse(json) as JournalLine;
		if (typeof line?.seq !== 'number' || typeof line.entry !== 'object' || line.entry === null) return 'not a journal entry';
		return line;
	} catch {
		return 'not valid JSON';
	}
}

/**
 * The lines of a journal, in order. A damaged line is skipped alone (its neighbours are intact:
 * each has its own checksum) and reported; an unfinished last line is reported as a torn tail.
 * A missing journal is empty.
 */
export async function readJournal(path: string): Promise<JournalContents> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], damaged: [], tornTail: false };
		throw error;
	}
	const contents: JournalContents = { lines: [], damaged: [], tornTail: false };
	const raws = text.split('\n');
	const tail = raws.pop() ?? '';
	raws.forEach((raw, index) => {
		if (raw.trim() === '') return;
		const parsed = parseLine(raw);
		if (typeof parsed === 'string') contents.damaged.push({ line: index + 1, reason: parsed });
		else contents.lines.push(parsed);
	});
	if (tail.trim() !== '') {
		const parsed = parseLine(tail);
		// a last line that is whole but lost its newline still counts
		if (typeof parsed === 'string' || !tail.includes('\t')) contents.tornTail = true;
		else contents.lines.push(parsed);
	}
	return contents;
}

/**
 * Keeps a copy of a journal that had lines left out, beside it, before anything rewrites it:
 * stored data is never shortened without the original kept. Returns the copy's path.
 */
export async function keepDamagedJournal(path: string, now = new Date()): Promise<string> {
	const copy = `${path}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
	await copyFile(path, copy);
	return copy;
}

const ratingKey = (r: WorkshopRecord['ratings'][number]) => `${r.participantId}\u0000${r.riskPointId}\u0000${r.round}`;

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

/** How a kind of record keeps a journal beside its snapshot (workshops do; record-file.ts writes it). */
export interface Journal<T> {
	path: string;
	seqOf: (record: T) => number;
	setSeq: (record: T, seq: number) => void;
	replay: (record: T, lines: readonly JournalLine[]) => number;
}

/** How a workshop keeps its journal beside its snapshot (the collection adds each file's path). */
export const WORKSHOP_JOURNAL: Omit<Journal<WorkshopRecord>, 'path'> = {
	seqOf: (record) => record.journalSeq,
	setSeq: (record, seq) => {
		record.journalSeq = seq;
	},
	replay: replayWorkshop
};

/** A workshop as stored: the snapshot with its journal replayed (for tools and tests). */
export async function readWorkshopRecord(snapshotPath: string): Promise<WorkshopRecord> {
	const record = JSON.parse(await readFile(snapshotPath, 'utf8')) as WorkshopRecord;
	record.journalSeq ??= 0;
	replayWorkshop(record, (await readJournal(journalPath(snapshotPath))).lines);
	return record;
}
