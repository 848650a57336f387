import { describe, expect, it } from 'vitest';
import { constants } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeJournal, journalLineText, keepDamagedJournal, readJournal, replayWorkshop, writeJournalAt, type JournalLine } from '../../src/lib/server/store/lowdb/journal';
import type { WorkshopRecord } from '../../src/lib/server/store/records';
import { storedRating as rating } from '../helpers/records';

function record(journalSeq: number): WorkshopRecord {
	return {
		version: 1,
		workshop: {} as WorkshopRecord['workshop'],
		participants: [{ id: 'm1', tokenHash: 'x', name: '', joinedAt: '' }],
		ratings: [rating('m1', 'A', 5)],
		journalSeq
	};
}

describe('journal replay', () => {
	it('applies only lines newer than the snapshot, so a crash between snapshot and emptying the journal replays nothing twice', () => {
		const stored = record(5);
		const lines: JournalLine[] = [
			{ seq: 4, entry: { r: rating('m1', 'A', 1) } }, // already in the snapshot, with an older answer
			{ seq: 6, entry: { p: { id: 'm2', tokenHash: 'y', name: '', joinedAt: '' } } },
			{ seq: 7, entry: { r: rating('m2', 'A', 2) } },
			{ seq: 8, entry: { r: rating('m2', 'A', 4) } } // replaces the one before
		];
		expect(replayWorkshop(stored, lines)).toBe(8);
		expect(stored.ratings.map((r) => [r.participantId, r.likelihood])).toEqual([
			['m1', 5],
			['m2', 4]
		]);
		expect(stored.participants.map((p) => p.id)).toEqual(['m1', 'm2']);
	});

	it('does not add a member twice', () => {
		const stored = record(0);
		replayWorkshop(stored, [{ seq: 1, entry: { p: { id: 'm1', tokenHash: 'x', name: '', joinedAt: '' } } }]);
		expect(stored.participants).toHaveLength(1);
	});
});

describe('journal writes', () => {
	const line = (seq: number) => journalLineText({ seq, entry: { r: rating('m1', `P${seq}`, 3) } });

	it('writes at the end of the intact lines, over a line torn by a failed write, so no torn line is left in the middle', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'journal-'));
		const path = join(dir, 'w.journal');
		let end = await writeJournalAt(path, line(1) + line(2), 0, true);
		expect(end).toBe(Buffer.byteLength(line(1) + line(2)));
		// a write that failed half way (a full disk) left part of a line behind
		await appendFile(path, line(3).slice(0, 20));
		expect((await readJournal(path)).lines.map((l) => l.seq)).toEqual([1, 2]);
		expect((await readJournal(path)).tornTail).toBe(true);
		// the next write starts where the intact lines end and cuts off what is beyond
		end = await writeJournalAt(path, line(4), end, true);
		expect(await readJournal(path)).toMatchObject({ damaged: [], tornTail: false });
		expect((await readJournal(path)).lines.map((l) => l.seq)).toEqual([1, 2, 4]);
		expect((await readFile(path, 'utf8')).length).toBe(end);
		await rm(dir, { recursive: true });
	});

	it('fails with the system error when the file cannot be written', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'journal-'));
		await writeFile(join(dir, 'not-a-directory'), '');
		await expect(writeJournalAt(join(dir, 'not-a-directory', 'w.journal'), line(1), 0, false)).rejects.toMatchObject({ code: 'ENOTDIR' });
		await rm(dir, { recursive: true });
	});

	// an acknowledgement means on disk: without fdatasync after each write, the descriptor itself must sync
	it.runIf(process.platform === 'linux')('keeps the journal open with O_DSYNC, so each write is on disk when it resolves', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'journal-'));
		const path = join(dir, 'w.journal');
		await writeJournalAt(path, line(1), 0, false);
		const flags: number[] = [];
		for (const fd of await readdir('/proc/self/fd')) {
			const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
			if (target !== path) continue;
			const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8');
			flags.push(parseInt(/^flags:\s*([0-7]+)/m.exec(info)![1]!, 8));
		}
		expect(flags).toHaveLength(1);
		expect(flags[0]! & constants.O_DSYNC).toBe(constants.O_DSYNC);
		closeJournal(path);
		await rm(dir, { recursive: true });
	});
});

describe('journal checksums', () => {
	const line = (seq: number) => journalLineText({ seq, entry: { r: rating('m1', `P${seq}`, 3) } });

	it('skips only a line with one changed byte, reports its number, and keeps every line after it', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'journal-'));
		const path = join(dir, 'w.journal');
		const text = Array.from({ length: 15 }, (_, i) => line(i + 1)).join('');
		const bytes = Buffer.from(text);
		const inSecondLine = Buffer.byteLength(line(1)) + 30;
		bytes[inSecondLine] = bytes[inSecondLine] === 0x33 ? 0x34 : 0x33;
		await writeFile(path, bytes);
		const contents = await readJournal(path);
		expect(contents.lines.map((l) => l.seq)).toEqual([1, ...Array.from({ length: 13 }, (_, i) => i + 3)]);
		expect(contents.damaged).toEqual([{ line: 2, reason: expect.stringMatching(/checksum|JSON/) }]);
		expect(contents.tornTail).toBe(false);
		// the damaged journal is kept as it was beside the data
		const copy = await keepDamagedJournal(path);
		expect(await readFile(copy)).toEqual(bytes);
		await rm(dir, { recursive: true });
	});

	it('reads journals written before lines had checksums', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'journal-'));
		const path = join(dir, 'w.journal');
		await writeFile(path, [1, 2].map((seq) => JSON.stringify({ seq, entry: { r: rating('m1', 'A', seq) } }) + '\n').join(''));
		expect((await readJournal(path)).lines.map((l) => l.seq)).toEqual([1, 2]);
		await rm(dir, { recursive: true });
	});
});
