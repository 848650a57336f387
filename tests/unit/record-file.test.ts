import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicJsonFile } from '../../src/lib/server/store/lowdb/json-file';
import { WORKSHOP_JOURNAL, journalPath, readJournal, replayWorkshop, type Journal, type JournalLine } from '../../src/lib/server/store/lowdb/journal';
import { RecordFile } from '../../src/lib/server/store/lowdb/record-file';
import type { WorkshopRecord } from '../../src/lib/server/store/records';
import { storedRating as rating } from '../helpers/records';

function emptyRecord(): WorkshopRecord {
	return { version: 1, workshop: {} as WorkshopRecord['workshop'], participants: [], ratings: [], journalSeq: 0 };
}

/** the journal of a workshop file at `path`, as the store gives it */
const journalAt = (path: string): Journal<WorkshopRecord> => ({ ...WORKSHOP_JOURNAL, path: journalPath(path) });

describe('a workshop file with its journal', () => {
	it('opens with more journal lines than a function call takes arguments (a big workshop after a crash), and numbers the next line after the last', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'record-file-'));
		try {
			const path = join(dir, 'w.json');
			const lines: JournalLine[] = Array.from({ length: 200_000 }, (_, i) => ({ seq: i + 1, entry: { r: rating(`m${i % 1000}`, `P${Math.floor(i / 1000)}`, (i % 5) + 1) } }));
			const record = emptyRecord();
			replayWorkshop(record, lines);
			const file = new RecordFile(new AtomicJsonFile<WorkshopRecord>(path), record, { journal: journalAt(path), diskLines: lines });
			expect(file.data.ratings).toHaveLength(200_000);
			// the next line goes after the last one read: on disk as 200,001
			const next = rating('m1', 'P0', 2);
			file.data.ratings.push(next);
			await file.persistEntry({ r: next });
			// 200,001 lines are over the limit for this small snapshot: folded into a fresh one
			const stored = JSON.parse(await readFile(path, 'utf8')) as WorkshopRecord;
			expect(stored.journalSeq).toBe(200_001);
			expect(stored.ratings).toHaveLength(200_001);
			file.close();
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('after a failed write, holds what the disk holds: the snapshot and the journal lines written since, in order', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'record-file-'));
		try {
			const path = join(dir, 'w.json');
			const adapter = new AtomicJsonFile<WorkshopRecord>(path);
			const file = new RecordFile(adapter, emptyRecord(), { journal: journalAt(path), revive: (raw) => raw as WorkshopRecord });
			await file.db.write();
			// three ratings as journal lines (the second replaces the first)
			for (const [member, likelihood] of [
				['m1', 1],
				['m1', 4],
				['m2', 5]
			] as const) {
				const given = rating(member, 'A', likelihood);
				const ratings = file.data.ratings;
				const index = ratings.findIndex((r) => r.participantId === member);
				if (index >= 0) ratings[index] = given;
				else ratings.push(given);
				await file.persistEntry({ r: given });
			}
			expect((await readJournal(journalPath(path))).lines.map((line) => line.seq)).toEqual([1, 2, 3]);
			// a rating in memory whose write fails: the directory is gone
			file.data.ratings.push(rating('m3', 'A', 2));
			await rm(dir, { recursive: true, force: true });
			await expect(file.persistEntry({ r: rating('m3', 'A', 2) })).rejects.toThrow();
			expect(file.data.ratings.map((r) => [r.participantId, r.likelihood])).toEqual([
				['m1', 4],
				['m2', 5]
			]);
			file.close();
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});
