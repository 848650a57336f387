/**
 * The county governors' offices (statsforvaltere), one regional workshop each, as they have been
 * since 1 January 2024, when Statsforvalteren i Oslo og Viken became Statsforvalteren i Østfold,
 * Buskerud, Oslo og Akershus (source: ../shared/DOMAIN.md; regjeringen.no's list of the
 * statsforvalterembeter). Check it again when the regions change.
 */
export const COUNTY_GOVERNORS = [
	'Østfold, Buskerud, Oslo og Akershus',
	'Innlandet',
	'Vestfold og Telemark',
	'Agder',
	'Rogaland',
	'Vestland',
	'Møre og Romsdal',
	'Trøndelag',
	'Nordland',
	'Troms og Finnmark'
] as const;

/** Earlier names of an office: an assessment that has a workshop under one of them already has that office's workshop. */
export const FORMER_COUNTY_GOVERNOR_NAMES: ReadonlyMap<string, readonly string[]> = new Map([['Østfold, Buskerud, Oslo og Akershus', ['Oslo og Viken']]]);
