import { describe, expect, it } from 'vitest';
import { replayWorkshop, type JournalLine } from '../../src/lib/server/journal';
import type { WorkshopRecord } from '../../src/lib/server/records';

const rating = (participantId: string, riskPointId: string, likelihood: number) => ({
	participantId,
	riskPointId,
	round: 1,
	likelihood,
	consequence: 3,
	at: '2026-11-22T00:00:00.000Z'
});

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
