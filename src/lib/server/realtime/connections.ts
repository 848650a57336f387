/**
 * Who is connected, per workshop: what the facilitator sees as "connected", what auto-reveal
 * waits for and what the members endpoint reads. Counted here for this process's sockets; with
 * several processes on one database, each tells the others over the store's bus (PresenceSync),
 * so every process knows every connected member, whichever process their socket reached.
 */
import type { Bus } from '../store/store';

/** this process: workshop → member → open connections */
const connected = new Map<string, Map<string, number>>();
/** the other processes: process → workshop → members connected there */
const elsewhere = new Map<string, Map<string, Set<string>>>();

/** The counts of one workshop's members' open connections to this process (made on first use). */
export function connectionsIn(workshopId: string): Map<string, number> {
	let counts = connected.get(workshopId);
	if (!counts) connected.set(workshopId, (counts = new Map()));
	return counts;
}

/** The members of a workshop with at least one open connection, to any process. */
export function connectedMembers(workshopId: string): ReadonlySet<string> {
	const members = new Set(connected.get(workshopId)?.keys() ?? []);
	for (const workshops of elsewhere.values()) for (const member of workshops.get(workshopId) ?? []) members.add(member);
	return members;
}

/** Forgets a deleted workshop. */
export function forgetConnections(workshopId: string): void {
	connected.delete(workshopId);
	for (const workshops of elsewhere.values()) workshops.delete(workshopId);
}

/** How often a process says it is alive, and how long the others wait before they forget its members. */
export const ALIVE_MS = 2000;
export const GONE_MS = 7000;

type PresenceMessage =
	| { t: 'hello' }
	| { t: 'alive' }
	| { t: 'bye' }
	| { t: 'on' | 'off'; w: string; m: string }
	| { t: 'all'; w: string; ms: string[] };

/**
 * Presence between processes. A member's first connection to this process and their last one
 * leaving are told to the others; a process that starts (or lost the bus) says hello and the
 * others tell it all they have; a process that dies (kill -9) stops saying it is alive, and after
 * GONE_MS the others forget its members (who have reconnected elsewhere by then).
 */
export class PresenceSync {
	readonly #lastSeen = new Map<string, number>();
	#stopped = false;
	readonly #timers: ReturnType<typeof setInterval>[] = [];
	readonly #unsubscribe: () => void;

	constructor(
		private readonly bus: Bus,
		private readonly changed: (workshopId: string) => void
	) {
		this.#unsubscribe = bus.subscribe({
			message: (from, message) => this.#message(from, message as PresenceMessage),
			resync: () => {
				for (const process of [...elsewhere.keys()]) this.#forget(process);
				bus.publish({ t: 'hello' });
			}
		});
		bus.publish({ t: 'hello' });
		this.#timers.push(setInterval(() => bus.publish({ t: 'alive' }), ALIVE_MS));
		this.#timers.push(
			setInterval(() => {
				const now = Date.now();
				for (const [process, seen] of this.#lastSeen) if (now - seen > GONE_MS) this.#forget(process);
			}, ALIVE_MS)
		);
		for (const timer of this.#timers) timer.unref?.();
	}

	/** A member's first connection to this process in a workshop opened, or their last one closed. */
	tell(workshopId: string, memberId: string, on: boolean): void {
		// stopped (shutting down): 'bye' said it for every member, and the closing sockets need not each say it again
		if (this.#stopped) return;
		this.bus.publish({ t: on ? 'on' : 'off', w: workshopId, m: memberId });
	}

	#message(from: string, message: PresenceMessage): void {
		this.#lastSeen.set(from, Date.now());
		if (message.t === 'hello') this.#tellAll();
		else if (message.t === 'bye') this.#forget(from);
		else if (message.t === 'on' || message.t === 'off' || message.t === 'all') {
			let workshops = elsewhere.get(from);
			if (!workshops) elsewhere.set(from, (workshops = new Map()));
			let members = workshops.get(message.w);
			if (!members) workshops.set(message.w, (members = new Set()));
			if (message.t === 'all') for (const member of message.ms) members.add(member);
			else if (message.t === 'on') members.add(message.m);
			else members.delete(message.m);
			this.changed(message.w);
		}
	}

	/** Everything this process has, for a process that just said hello (in messages the bus can carry). */
	#tellAll(): void {
		for (const [workshopId, counts] of connected) {
			const members = [...counts.keys()];
			for (let start = 0; start < members.length; start += 150) this.bus.publish({ t: 'all', w: workshopId, ms: members.slice(start, start + 150) });
		}
	}

	#forget(process: string): void {
		const workshops = elsewhere.get(process);
		elsewhere.delete(process);
		this.#lastSeen.delete(process);
		for (const workshopId of workshops?.keys() ?? []) this.changed(workshopId);
	}

	/** At shutdown: the others forget this process's members at once. */
	stop(): void {
		this.#stopped = true;
		this.bus.publish({ t: 'bye' });
		for (const timer of this.#timers) clearInterval(timer);
		this.#unsubscribe();
	}
}
