import { Low } from 'lowdb';
import { dirname } from 'node:path';
import { AtomicJsonFile, syncDirectory } from './json-file';
import { JOURNAL_LIMIT, closeJournal, emptyJournal, journalLineText, writeJournalAt, type Journal, type JournalEntry, type JournalLine } from './journal';
import type { RecordEntry, RecordHandle } from '../store';

interface Deferred {
	promise: Promise<void>;
	resolve: () => void;
	reject: (error: unknown) => void;
}

function deferred(): Deferred {
	let resolve!: () => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<void>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/**
 * Files with a write waiting, flushed together in one task: their journal writes then reach the
 * writer threads as one message per thread (see journal.ts) instead of one each.
 */
const waitingFlushes = new Set<() => void>();
let flushQueued = false;
function flushSoon(flush: () => void): void {
	waitingFlushes.add(flush);
	if (flushQueued) return;
	flushQueued = true;
	setImmediate(() => {
		flushQueued = false;
		const flushes = [...waitingFlushes];
		waitingFlushes.clear();
		for (const one of flushes) one();
	});
}

/**
 * One record's lowdb file (a workshop, an assessment). Changes made in the same turn of the event loop, or while a write is
 * under way, are coalesced into one write; persist() resolves when the write holding the caller's
 * change is on disk. If a write fails, the data goes back to what is on disk and every caller whose
 * change was not written is told, so memory never claims more than the disk holds.
 */
export class RecordFile<T> implements RecordHandle<T> {
	readonly db: Low<T>;
	readonly #adapter: AtomicJsonFile<T>;
	readonly #journal: Journal<T> | undefined;
	#next: Deferred | null = null;
	#writing = false;
	/** journal lines waiting for the next write */
	#pendingLines: JournalLine[] = [];
	/**
	 * the journal lines on disk newer than the snapshot, kept for a failed write's rollback: their
	 * entries and sequence numbers side by side, not a line object each (one per rating: 40 bytes
	 * less each, a tenth of what a rating keeps in memory)
	 */
	#diskEntries: JournalEntry[] = [];
	#diskSeqs: number[] = [];
	#seq = 0;
	#snapshotWanted = false;
	#journalSynced = false;
	/**
	 * Where the journal's intact lines end: the next lines are written there. Whatever lies beyond
	 * (lines a snapshot already holds, a line torn by a failed write) is cut off by the next write
	 * when #journalTruncate says there may be some; at start the journal holds only lines the
	 * snapshot has (LowdbCollection.open folds the others in first).
	 */
	#journalBytes = 0;
	#journalTruncate = true;
	/** called after a failed write has put the data back to what is on disk */
	onRevert: (() => void) | null = null;
	/** told how many bytes the files grew (or shrank) by after each write, for the store's total */
	onBytes: ((delta: number) => void) | null = null;
	/** told after each snapshot, so the collection can update the record's summary */
	onSnapshot: ((record: T) => void) | null = null;

	readonly #revive: (raw: unknown) => T;

	/**
	 * `revive` turns the JSON on disk back into a record (the schema's parse), used when a failed
	 * write puts the data back; `diskLines` are journal lines newer than the snapshot.
	 */
	constructor(
		adapter: AtomicJsonFile<T>,
		record: T,
		options: { journal?: Journal<T>; diskLines?: JournalLine[]; revive?: (raw: unknown) => T } = {}
	) {
		const { journal, diskLines = [] } = options;
		this.#adapter = adapter;
		this.db = new Low(adapter, record);
		this.#journal = journal;
		this.#revive = options.revive ?? ((raw) => raw as T);
		if (journal) this.#seq = journal.seqOf(record);
		// a loop, not Math.max(...seqs): a big workshop's journal may hold more lines than a call takes arguments
		for (const line of diskLines) {
			this.#keepOnDisk(line);
			this.#seq = Math.max(this.#seq, line.seq);
		}
	}

	get data(): T {
		return this.db.data;
	}

	#keepOnDisk(line: JournalLine): void {
		this.#diskEntries.push(line.entry);
		this.#diskSeqs.push(line.seq);
	}

	/** Closes the journal's file if it is kept open (the record left memory). */
	close(): void {
		if (this.#journal) closeJournal(this.#journal.path);
	}

	/** The size of the snapshot as last written or read. */
	get storedBytes(): number {
		return this.#adapter.onDiskText?.length ?? 0;
	}

	/** One process owns the files: a change is made here and written like any other. */
	update(change: () => void): Promise<void> {
		change();
		return this.persist();
	}

	/** Nobody else writes these files: memory is what is stored. */
	refresh(): Promise<void> {
		return Promise.resolve();
	}

	/** never called: no other process writes these files */
	onRemote = null;
	watched = null;
	readonly seq = 0;

	/** Resolves once the current data is on disk (a fresh snapshot); rejects if that write failed. */
	persist(): Promise<void> {
		this.#snapshotWanted = true;
		return this.#request();
	}

	/**
	 * Resolves once a change already made in memory is on disk as a journal line (a rating, a new
	 * member): O(change) instead of O(file). Without a journal, the same as persist().
	 */
	persistEntry(entry: RecordEntry): Promise<void> {
		if (!this.#journal) return this.persist();
		this.#pendingLines.push({ seq: ++this.#seq, entry });
		return this.#request();
	}

	/**
	 * Resolves when no write is under way or waiting, without asking for one (before the files are
	 * deleted, so a late write does not bring them back).
	 */
	async settled(): Promise<void> {
		while (this.#writing || this.#next) await (this.#next?.promise ?? this.#writeDone).catch(() => {});
	}
	#writeDone: Promise<void> = Promise.resolve();

	readonly #flushNow = () => void this.#flush();

	#request(): Promise<void> {
		if (!this.#next) {
			this.#next = deferred();
			if (!this.#writing) flushSoon(this.#flushNow);
		}
		return this.#next.promise;
	}

	async #flush(): Promise<void> {
		const batch = this.#next;
		if (!batch) return;
		this.#next = null;
		this.#writing = true;
		const written = deferred();
		this.#writeDone = written.promise;
		const journal = this.#journal;
		const lines = this.#pendingLines;
		this.#pendingLines = [];
		// fold the journal into a new snapshot once it holds about a third of the snapshot's size or
		// more (at least JOURNAL_LIMIT lines): rewriting a big file stays rare, so its cost per
		// rating stays constant however big the workshop grows
		const limit = Math.max(JOURNAL_LIMIT, Math.floor((this.#adapter.onDiskText?.length ?? 0) / 50));
		const snapshot = !journal || this.#snapshotWanted || this.#diskEntries.length + lines.length > limit;
		this.#snapshotWanted = false;
		try {
			if (snapshot) {
				// the snapshot holds everything in memory, journal lines up to #seq included
				journal?.setSeq(this.db.data, this.#seq);
				const before = this.#adapter.onDiskText?.length ?? 0;
				await this.db.write();
				this.onBytes?.((this.#adapter.onDiskText?.length ?? 0) - before - this.#journalBytes);
				this.onSnapshot?.(this.db.data);
				this.#diskEntries = [];
				this.#diskSeqs = [];
				if (journal) {
					// the lines are in the snapshot now: the journal starts again from its beginning
					this.#journalBytes = 0;
					this.#journalTruncate = false;
					await emptyJournal(journal.path).catch((error: Error) => {
						this.#journalTruncate = true;
						console.error(`Could not empty ${journal.path}:`, error.message);
					});
				}
			} else if (journal && lines.length > 0) {
				const text = lines.map(journalLineText).join('');
				try {
					const before = this.#journalBytes;
					this.#journalBytes = await writeJournalAt(journal.path, text, this.#journalBytes, this.#journalTruncate);
					this.onBytes?.(this.#journalBytes - before);
					this.#journalTruncate = false;
				} catch (error) {
					this.#journalTruncate = true; // part of the text may be there: the next write goes over it
					throw error;
				}
				if (!this.#journalSynced) {
					await syncDirectory(dirname(journal.path));
					this.#journalSynced = true;
				}
				for (const line of lines) this.#keepOnDisk(line);
			}
			batch.resolve();
		} catch (error) {
			const later = this.#next as Deferred | null;
			this.#next = null;
			this.#pendingLines = [];
			this.#snapshotWanted = false;
			// back to what the disk holds: the snapshot, and the journal lines written since
			this.db.data = this.#revive(JSON.parse(this.#adapter.onDiskText ?? 'null'));
			const seqs = this.#diskSeqs;
			journal?.replay(this.db.data, this.#diskEntries.map((entry, index) => ({ seq: seqs[index]!, entry })));
			this.onRevert?.();
			batch.reject(error);
			later?.reject(error);
		} finally {
			this.#writing = false;
			written.resolve();
			if (this.#next) flushSoon(this.#flushNow);
		}
	}
}
