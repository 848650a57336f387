/** The county governors (statsforvaltere) in 2024, as in DOMAIN.md: one regional workshop each. */
export const COUNTY_GOVERNORS = [
	'Oslo og Viken',
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
