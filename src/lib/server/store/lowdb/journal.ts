import { Worker } from 'node:worker_threads';
import { copyFile, open, readFile } from 'node:fs/promises';
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
 * The thread that writes journals. Each write is open, write, fdatasync and close in one go off
 * the main thread: done as asynchronous fs calls on the main thread instead, every step waits for
 * the main thread's turn, and under load that made the slowest acknowledgements take about ten
 * times as long as the disk did (`npm run bench:load`). The writes of a batch (all asked for in
 * one turn of the main thread) run at once, each file's steps in order, and each is answered as
 * soon as its own file is on disk: one workshop's acknowledgements never wait for another's sync.
 * Written as plain JavaScript for `eval`, so it needs no file of its own in the build.
 */
const WRITER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { open } = require('node:fs/promises');
const { constants } = require('node:fs');
async function write({ id, path, text, at, truncate }) {
	let handle;
	try {
		const bytes = Buffer.from(text, 'utf8');
		handle = await open(path, constants.O_WRONLY | constants.O_CREAT, 0o644);
		const { bytesWritten } = await handle.write(bytes, 0, bytes.length, at);
		if (bytesWritten !== bytes.length) {
			throw Object.assign(new Error('Only ' + bytesWritten + ' of ' + bytes.length + ' bytes written to ' + path + ' (disk full?)'), { code: 'ENOSPC' });
		}
		if (truncate) await handle.truncate(at + bytes.length);
		await handle.datasync();
		return { id, end: at + bytes.length };
	} catch (error) {
		return { id, error: { message: String(error && error.message), code: error && error.code } };
	} finally {
		if (handle) await handle.close().catch(() => {});
	}
}
// answers that are ready together go back in one message
let ready = [];
function answer(reply) {
	if (ready.length === 0) setImmediate(() => { const replies = ready; ready = []; parentPort.postMessage(replies); });
	ready.push(reply);
}
parentPort.on('message', (batch) => { for (const request of batch) write(request).then(answer); });
`;

interface WriteRequest {
	id: number;
	path: string;
	text: string;
	at: number;
	truncate: boolean;
}

interface WriteReply {
	id: number;
	end?: number;
	error?: { message: string; code?: string };
}

/** A few writer threads; a journal always goes to the same one, so its writes keep their order. */
class JournalWriters {
	readonly #size: number;
	#workers: (Worker | null)[];
	#waiting = new Map<number, { resolve: (end: number) => void; reject: (error: Error) => void; worker: number }>();
	/** writes under way per writer: a writer with none lets the process exit */
	#busy: number[];
	/** writes asked for in this turn of the event loop, per writer, sent together when it ends */
	#outbox: WriteRequest[][];
	#sendQueued = false;
	#nextId = 1;

	constructor(size: number) {
		this.#size = size;
		this.#workers = Array.from({ length: size }, () => null);
		this.#busy = Array.from({ length: size }, () => 0);
		this.#outbox = Array.from({ length: size }, () => []);
	}

	/**
	 * One message per writer for all the writes asked for in one task: posting a message costs the
	 * main thread about as much as a small write did, so under load they go in batches
	 * (RecordFile flushes every waiting file in one task).
	 */
	#send(): void {
		this.#sendQueued = false;
		this.#outbox.forEach((batch, index) => {
			if (batch.length === 0) return;
			this.#outbox[index] = [];
			this.#worker(index).postMessage(batch);
		});
	}

	#worker(index: number): Worker {
		const existing = this.#workers[index];
		if (existing) return existing;
		const worker = new Worker(WRITER_SOURCE, { eval: true });
		worker.unref(); // an idle writer never keeps the process alive
		worker.on('message', (replies: WriteReply[]) => {
			for (const reply of replies) {
				const waiting = this.#waiting.get(reply.id);
				if (!waiting) continue;
				this.#waiting.delete(reply.id);
				if (reply.error) waiting.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
				else waiting.resolve(reply.end!);
			}
		});
		const fail = (error: Error) => {
			if (this.#workers[index] !== worker) return;
			this.#workers[index] = null;
			for (const [id, waiting] of this.#waiting) {
				if (waiting.worker !== index) continue;
				this.#waiting.delete(id);
				waiting.reject(error);
			}
		};
		worker.on('error', fail);
		worker.on('exit', (code) => fail(new Error(`The journal writer stopped (exit code ${code})`)));
		this.#workers[index] = worker;
		return worker;
	}

	write(path: string, text: string, at: number, truncate: boolean): Promise<number> {
		let hash = 0;
		for (let i = 0; i < path.length; i++) hash = (hash * 31 + path.charCodeAt(i)) >>> 0;
		const index = hash % this.#size;
		const worker = this.#worker(index);
		const id = this.#nextId++;
		if (this.#busy[index]!++ === 0) worker.ref(); // a write under way keeps the process alive until it is on disk
		return new Promise<number>((resolve, reject) => {
			this.#waiting.set(id, { resolve, reject, worker: index });
			this.#outbox[index]!.push({ id, path, text, at, truncate });
			if (!this.#sendQueued) {
				this.#sendQueued = true;
				queueMicrotask(() => this.#send());
			}
		}).finally(() => {
			if (--this.#busy[index]! === 0) this.#workers[index]?.unref();
		});
	}
}

/**
 * One thread: its writes run at once on libuv's pool (UV_THREADPOOL_SIZE, raised in src/server.ts),
 * so more threads would only cost memory and messages.
 */
const writers = new JournalWriters(1);

/**
 * Writes text into a journal at `at` (the end of what it holds intact) and fsyncs it; resolves
 * with the new end. Writing at a known offset rather than appending means a line torn by an
 * earlier failed write (a full disk) is written over, never left in the middle of the journal;
 * `truncate` cuts off whatever is beyond the new end. The file is opened for each write rather
 * than kept open, so a write fails as soon as the file can no longer be written (full disk,
 * read-only or moved directory). The caller fsyncs the directory once, after the file is created.
 */
export function writeJournalAt(path: string, text: string, at: number, truncate: boolean): Promise<number> {
	return writers.write(path, text, at, truncate);
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

/** A workshop as stored: the snapshot with its journal replayed (for tools and tests). */
export async function readWorkshopRecord(snapshotPath: string): Promise<WorkshopRecord> {
	const record = JSON.parse(await readFile(snapshotPath, 'utf8')) as WorkshopRecord;
	record.journalSeq ??= 0;
	replayWorkshop(record, (await readJournal(journalPath(snapshotPath))).lines);
	return record;
}
