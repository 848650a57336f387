import { describe, expect, it } from 'vitest';
import { sharedPrefix, withoutPrefix } from '../../src/lib/domain/titles';

describe('the words workshop names share', () => {
	it('are the whole words every title starts with, said once so the table can print the rest', () => {
		const titles = ['Statsforvalteren i Agder', 'Statsforvalteren i Vestland', 'Statsforvalteren i Østfold, Buskerud, Oslo og Akershus'];
		expect(sharedPrefix(titles)).toBe('Statsforvalteren i ');
		expect(titles.map((title) => withoutPrefix(title, 'Statsforvalteren i '))).toEqual(['Agder', 'Vestland', 'Østfold, Buskerud, Oslo og Akershus']);
	});
	it('never cut a word, and are none with fewer than two titles', () => {
		expect(sharedPrefix(['Statsforvalteren i Nordland', 'Statsforvalteren i Nord-Trøndelag'])).toBe('Statsforvalteren i ');
		expect(sharedPrefix(['Nasjonalt fagpanel'])).toBe('');
		expect(sharedPrefix(['Agder', 'Akershus'])).toBe('');
		expect(withoutPrefix('Nasjonalt fagpanel', 'Statsforvalteren i ')).toBe('Nasjonalt fagpanel');
	});
});
