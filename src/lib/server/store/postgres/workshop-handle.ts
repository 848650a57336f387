/**
 * One workshop in a process's memory, on PostgreSQL: what it has applied (its change number), its
 * own entries on their way to the database, and what it takes from other processes' commits. The
 * collection (workshops.ts) reads and writes; the handle keeps the workshop in step.
 */
import type { WorkshopRecord } from '../records';
import type { RecordEntry, RecordHandle, RemoteUpdate } from '../store';
import type { EntryBatcher } from './entries';
import { Healer, WriteQueue, type Queryable } from './shared';
import { entryKey, int, participantOf, ratingKey, ratingOf, type ChangeRow } from './rows';

/** What a handle asks of the collection that keeps it (workshops.ts). */
export interface HandleHost {
	readonly batcher: EntryBatcher;
	readonly bytes: (delta: number) => void;
	update(handle: WorkshopHandle, change: () => void): Promise<void>;
	read(id: string, client?: Queryable): Promise<{ record: WorkshopRecord; seq: number; settingsVersion: number }>;
	catchUp(handles: WorkshopHandle[], client?: Queryable, inline?: boolean): Promise<void>;
	catchUpSoon(handle: WorkshopHandle): void;
	announce(handle: WorkshopHandle): void;
	forget(handle: WorkshopHandle): void;
}

/** Puts entries into a record's data (where nobody keeps indexes over it: a whole record read again). */
function addEntries(record: WorkshopRecord, entries: Iterable<RecordEntry>): void {
	const ratingAt = new Map(record.ratings.map((rating, index) => [ratingKey(rating), index]));
	const members = new Set(record.participants.map((p) => p.id));
	for (const entry of entries) {
		if ('p' in entry) {
			if (!members.has(entry.p.id)) record.participants.push(entry.p), members.add(entry.p.id);
			continue;
		}
		const at = ratingAt.get(ratingKey(entry.r));
		if (at === undefined) ratingAt.set(ratingKey(entry.r), record.ratings.push(entry.r) - 1);
		else record.ratings[at] = entry.r;
	}
}

/**
 * One workshop in this process's memory. `seq`: every change numbered up to it is in memory
 * (those of this process still being committed too). Changes this process committed past a gap
 * (another process's commit not yet read) wait in #own until the gap is read.
 */
export class WorkshopHandle implements RecordHandle<WorkshopRecord> {
	onRevert: (() => void) | null = null;
	onRemote: ((update: RemoteUpdate<WorkshopRecord>) => void) | null = null;
	watched: (() => boolean) | null = null;
	seq: number;
	settingsVersion: number;
	readonly #own = new Map<number, RecordEntry[]>();
	/** entries of this process not yet committed, by what they are about: a catch-up never overwrites them */
	readonly #pending = new Map<string, { entry: RecordEntry; count: number }>();
	readonly queue = new WriteQueue();
	readonly #healer: Healer;

	constructor(
		public data: WorkshopRecord,
		seq: number,
		settingsVersion: number,
		private readonly collection: HandleHost
	) {
		this.seq = seq;
		this.settingsVersion = settingsVersion;
		this.#healer = new Healer(() => this.queue.run(() => this.reloadNow()));
	}

	get id(): string {
		return this.data.workshop.id;
	}

	persist(): Promise<void> {
		return this.update(() => {});
	}

	update(change: () => void): Promise<void> {
		let changed = false;
		return this.queue
			.run(() =>
				this.collection.update(this, () => {
					change();
					changed = true;
				})
			)
			.catch((error) => (changed ? this.#healer.afterFailure(error) : Promise.reject(error)));
	}

	persistEntry(entry: RecordEntry): Promise<void> {
		const key = entryKey(entry);
		const pending = this.#pending.get(key);
		if (pending) {
			pending.count++;
			pending.entry = entry;
		} else this.#pending.set(key, { entry, count: 1 });
		const unpend = () => {
			const left = this.#pending.get(key);
			if (left && --left.count === 0) this.#pending.delete(key);
		};
		this.collection.bytes(200);
		return this.collection.batcher.add(this.id, entry).then(
			(seq) => {
				unpend();
				this.committed(seq, [entry]);
			},
			(error) => {
				unpend();
				return this.#healer.afterFailure(error);
			}
		);
	}

	/** This process committed change `seq` (its entries are in memory already). */
	committed(seq: number, entries: RecordEntry[] = []): void {
		if (seq <= this.seq) return;
		if (seq === this.seq + 1) this.#advance(seq);
		else {
			this.#own.set(seq, [...(this.#own.get(seq) ?? []), ...entries]);
			this.collection.catchUpSoon(this);
		}
	}

	#advance(seq: number): void {
		this.seq = Math.max(this.seq, seq);
		while (this.#own.has(this.seq + 1)) this.seq++;
		for (const own of this.#own.keys()) if (own <= this.seq) this.#own.delete(own);
	}

	/** Applies what another process committed (a row of CHANGES_SQL); false when the whole record must be read again. */
	applyChanges(row: ChangeRow): boolean {
		if (int(row.sv) > this.settingsVersion) return false;
		const seq = int(row.seq);
		if (seq <= this.seq) return true;
		const since = this.seq;
		const fresh = (changeSeq: number, key: string) => changeSeq > since && !this.#own.has(changeSeq) && !this.#pending.has(key);
		const entries: RecordEntry[] = [];
		for (const p of row.participants) if (fresh(p[4], `\u0001${p[0]}`)) entries.push({ p: participantOf(p) });
		for (const r of row.ratings) {
			const rating = ratingOf(r);
			if (fresh(r[8], ratingKey(rating))) entries.push({ r: rating });
		}
		this.#advance(seq);
		if (entries.length) {
			if (this.onRemote) this.onRemote({ entries });
			else addEntries(this.data, entries);
		}
		return true;
	}

	/** Takes the whole record as read (settings changed elsewhere, or a failed write): this process's uncommitted and unread entries stay. */
	applyRecord(record: WorkshopRecord, seq: number, settingsVersion: number): void {
		const previous = { ...this.data };
		addEntries(record, [...[...this.#own].filter(([own]) => own > seq).flatMap(([, entries]) => entries), ...[...this.#pending.values()].map((p) => p.entry)]);
		Object.assign(this.data, record);
		this.settingsVersion = Math.max(this.settingsVersion, settingsVersion);
		this.#advance(seq);
		if (this.onRemote) this.onRemote({ record: this.data, previous });
		else this.onRevert?.();
	}

	/** Reads the whole record again and takes it (on the queue). */
	async reloadNow(client?: Queryable): Promise<void> {
		const read = await this.collection.read(this.id, client);
		this.applyRecord(read.record, read.seq, read.settingsVersion);
	}

	refresh(): Promise<void> {
		// opened for a connection here: the others tell this process of its changes from now on (said
		// first; a change committed before they hear it is told when they do, see the 'f' notice)
		this.collection.announce(this);
		// a read that has not begun yet sees all this caller must see: shared (a reconnect storm
		// brings a hundred members at once, who would otherwise read one after the other)
		if (this.#nextRead) return this.#nextRead;
		const read: Promise<void> = this.queue.run(() => {
			if (this.#nextRead === read) this.#nextRead = null;
			return this.collection.catchUp([this], undefined, true);
		});
		this.#nextRead = read;
		return read;
	}

	/** the catch-up waiting on the queue, not begun yet: who asks now shares it */
	#nextRead: Promise<void> | null = null;

	settled(): Promise<void> {
		return this.queue.settled();
	}

	close(): void {
		this.#healer.close();
		this.collection.forget(this);
	}
}
