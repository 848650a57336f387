/**
 * Connected sockets per member, per workshop, in this process: what the facilitator sees as
 * "connected", kept by the socket layer and read by the members endpoint.
 */
const connected = new Map<string, Map<string, number>>();

/** The counts of one workshop's members' open connections (made on first use). */
export function connectionsIn(workshopId: string): Map<string, number> {
	let counts = connected.get(workshopId);
	if (!counts) connected.set(workshopId, (counts = new Map()));
	return counts;
}

/** The members of a workshop with at least one open connection. */
export function connectedMembers(workshopId: string): ReadonlySet<string> {
	return new Set(connected.get(workshopId)?.keys() ?? []);
}

/** Forgets a deleted workshop. */
export function forgetConnections(workshopId: string): void {
	connected.delete(workshopId);
}
