import type { Server, Socket } from 'socket.io';
import { UserError } from '../../domain/errors';
import { translate } from '../../i18n/translate';
import type { Language } from '../../domain/types';
import { describeZodError, quickRating, rateSchema, type Ack, type ClientToServerEvents, type RateInput, type ServerToClientEvents } from '../../protocol';
import { authenticate, connectError, readerLanguage, type SocketData } from './socket-auth';
import { ProjectorCaps, dropSlowReaders, strikeCounter } from './socket-guards';
import { ProjectorFeed } from './projector-feed';
import { KeyedThrottle } from './throttle';
import { RawJson } from './socket-parser';
import { ResultsFeed } from './results-feed';
import type { WorkshopResults } from '../../domain/results';
import { SOCKET_LIMITS, TokenBucket } from '../guards/rate-limit';
import { clientAddress } from '../guards/address';
import { PresenceSync, connectedMembers, connectionsIn, forgetConnections } from './connections';
import { facilitatorView, memberView, memberViewJson, presence as presenceOf, projectorView } from '../workshops/views';
import type { LiveWorkshop } from '../workshops/live-workshop';
import type { WorkshopChange, WorkshopService } from '../workshops/workshop-service';
import type { Bus } from '../store/store';

/** What a process sends a socket first. */
type FirstEvents = { [E in keyof ServerToClientEvents]: [E, ...Parameters<ServerToClientEvents[E]>] }[keyof ServerToClientEvents][];

/** What decides the rooms a socket is in. */
type RoomsOf = { role: SocketData['role']; workshopId: string; participantId?: string };

type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** How often, at most, presence and the projector are updated during a burst of ratings. */
export const RESULTS_INTERVAL_MS = 100;
/** How often, at most, a facilitator gets what changed in the results: deltas are small, so often. */
export const FACILITATOR_INTERVAL_MS = 50;

const membersRoom = (workshopId: string) => `members:${workshopId}`;
const facilitatorsRoom = (workshopId: string) => `facilitators:${workshopId}`;
const participantRoom = (participantId: string) => `participant:${participantId}`;
const projectorsRoom = (workshopId: string) => `projectors:${workshopId}`;

function roomsFor({ role, workshopId, participantId }: RoomsOf): string[] {
	if (role === 'projector') return [projectorsRoom(workshopId)];
	if (role === 'facilitator') return [facilitatorsRoom(workshopId)];
	return [membersRoom(workshopId), participantRoom(participantId ?? '')];
}

function failedAck(error: unknown, language: Language): Ack {
	if (error instanceof UserError) return { ok: false, error: translate(language, error.key, error.params), code: error.key };
	console.error('Rating failed:', error);
	return { ok: false, error: translate(language, 'error.internal'), code: 'error.internal' };
}

/**
 * Wires the workshop service to socket.io: auth, rooms, ratings with acks, live updates. Every
 * process sends only to its own sockets: with several processes on one database, each keeps the
 * workshops its sockets use up to date from the others' commits (store/postgres/workshops.ts),
 * and the workshop service tells this layer of those changes like of its own. `bus` (several
 * processes): presence between them.
 */
export function attachSocketServer(io: AppServer, service: WorkshopService, bus: Bus | null = null): { stop: () => void } {
	const connectedIn = connectionsIn;
	const connectedIds = connectedMembers;
	const to = (room: string) => io.local.to(room);

	const presenceUpdates = new KeyedThrottle(RESULTS_INTERVAL_MS, (workshopId) => {
		const workshop = service.get(workshopId);
		to(facilitatorsRoom(workshopId)).emit('presence', presenceOf(workshop, connectedIds(workshopId)));
	});
	/** members connected to other processes come and go: facilitators and the projector here are told */
	const presence = bus
		? new PresenceSync(bus, (workshopId) => {
				if (!service.has(workshopId)) return;
				try {
					service.get(workshopId);
				} catch {
					return; // not in memory here: nobody here watches it
				}
				presenceUpdates.schedule(workshopId);
				projector.schedule(workshopId);
			})
		: null;

	/** JSON made here, sent as it is (RawJson) to a room's sockets in this process. */
	const sendJson = (room: string, event: keyof ServerToClientEvents, json: string) => (io.local.to(room).emit as (event: string, data: unknown) => boolean)(event, new RawJson(json));
	/** An update kept as JSON between changes (member views), sent as that JSON; nothing is built for a room nobody is in. */
	const sendKept = (room: string, event: 'results' | 'workshop', json: () => string) => {
		if (io.sockets.adapter.rooms.get(room)?.size) sendJson(room, event, json());
	};

	/**
	 * Workshops whose facilitators are owed presence after a rating: it rides in the results update
	 * that the same rating brings (ResultsDelta's `presence`), one message where there were two. In
	 * a burst of ratings that was 10 of each facilitator's 30 messages a second (docs/scaling.md).
	 */
	const presenceRiding = new Set<string>();

	/** per workshop, the results as its facilitators were last sent them */
	const feeds = new Map<string, ResultsFeed>();
	const feedOf = (workshopId: string) => {
		let feed = feeds.get(workshopId);
		if (!feed) feeds.set(workshopId, (feed = new ResultsFeed()));
		return feed;
	};

	/**
	 * Facilitators get what changed: the points whose result moved and the ranking when it did
	 * (resultsDelta), the whole results only when the workshop itself changed. Sent as JSON kept
	 * between changes.
	 */
	const results = new KeyedThrottle(FACILITATOR_INTERVAL_MS, (workshopId) => {
		const owed = presenceRiding.delete(workshopId);
		const room = facilitatorsRoom(workshopId);
		const workshop = service.get(workshopId);
		if (!io.sockets.adapter.rooms.get(room)?.size) return;
		const presence = owed ? presenceOf(workshop, connectedIds(workshopId)) : null;
		const update = feedOf(workshopId).update(workshop, presence);
		if (update) sendJson(room, update.event, update.json);
		// no delta to ride in (nothing changed, or the results went whole)
		if (presence && update?.event !== 'resultsDelta') to(room).emit('presence', presence);
	});

	/** per workshop, the projector view as its screens were last sent it: updates are what changed */
	const projectorFeeds = new Map<string, ProjectorFeed>();
	const projectorFeedOf = (workshopId: string) => {
		let feed = projectorFeeds.get(workshopId);
		if (!feed) projectorFeeds.set(workshopId, (feed = new ProjectorFeed()));
		return feed;
	};
	const projector = new KeyedThrottle(RESULTS_INTERVAL_MS, (workshopId) => {
		const room = projectorsRoom(workshopId);
		if (!io.sockets.adapter.rooms.get(room)?.size) return;
		const delta = projectorFeedOf(workshopId).update(projectorView(service.get(workshopId), connectedIds(workshopId).size));
		if (delta) to(room).emit('projectorDelta', delta);
	});
	const projectorCaps = new ProjectorCaps();
	const stopDropping = dropSlowReaders(io);

	const sendMemberView = (workshop: LiveWorkshop, participantId: string) =>
		sendKept(participantRoom(participantId), 'workshop', () => memberViewJson(workshop, participantId));

	const sendWorkshopToMembers = (workshopId: string) => {
		const workshop = service.get(workshopId);
		for (const participantId of connectedIn(workshopId).keys()) sendMemberView(workshop, participantId);
	};

	/** Auto-reveal, checked after the rating that may be the last one (once it is applied, not inside the change). */
	const autoReveal = (workshopId: string) =>
		Promise.resolve()
			.then(() => service.revealIfAllAnswered(service.get(workshopId), connectedIds(workshopId)))
			.catch((error) => console.error(`Auto-reveal of workshop ${workshopId} failed:`, error));

	service.onChange((change: WorkshopChange) => {
		const { workshopId } = change;
		if (change.type === 'deleted') {
			for (const room of [membersRoom(workshopId), facilitatorsRoom(workshopId), projectorsRoom(workshopId)]) io.local.in(room).disconnectSockets(true);
			forgetConnections(workshopId);
			feeds.delete(workshopId);
			projectorFeeds.delete(workshopId);
			return;
		}
		if (change.type === 'rekeyed') {
			io.local.in(facilitatorsRoom(workshopId)).disconnectSockets(true);
			return;
		}
		if (change.type === 'projectorRekeyed') {
			io.local.in(projectorsRoom(workshopId)).disconnectSockets(true);
			return;
		}
		if (change.type === 'removed') {
			io.local.in(participantRoom(change.participantId)).disconnectSockets(true);
			connectedIn(workshopId).delete(change.participantId);
			return;
		}
		const workshop = service.get(workshopId);
		if (change.type === 'locked') {
			to(facilitatorsRoom(workshopId)).emit('workshop', facilitatorView(workshop));
			return;
		}
		if (change.type === 'workshop') {
			sendWorkshopToMembers(workshopId);
			to(facilitatorsRoom(workshopId)).emit('workshop', facilitatorView(workshop));
			results.schedule(workshopId);
			presenceUpdates.schedule(workshopId);
		} else if (change.type === 'rating') {
			// who (or in anonymous workshops how many) has not answered, and how many are done, change with
			// each rating: told with the results update (owed first: the update may go at once)
			presenceRiding.add(workshopId);
			results.schedule(workshopId);
			// made through another process: this member's connections here hear of it like of one made here
			if (change.answer && io.sockets.adapter.rooms.get(participantRoom(change.participantId))?.size) {
				to(participantRoom(change.participantId)).emit('answer', change.answer);
			}
			if (workshop.settings.pacing === 'facilitator' && workshop.settings.autoReveal && change.added) autoReveal(workshopId);
		} else {
			presenceUpdates.schedule(workshopId);
		}
		projector.schedule(workshopId);
	});

	/** The events a new connection gets first; a member also counts as connected from here on. */
	function firstEvents(data: SocketData): FirstEvents {
		const workshop = service.get(data.workshopId);
		if (data.role === 'projector') {
			// the view as the other screens were last sent it, so the next delta fits; it follows at once
			const snapshot = projectorFeedOf(data.workshopId).snapshot(() => projectorView(workshop, connectedIds(data.workshopId).size));
			// after the snapshot is out (a throttle may fire at once): the delta must follow it, not come before
			queueMicrotask(() => projector.schedule(data.workshopId));
			return [['projector', snapshot]];
		}
		if (data.role === 'facilitator') {
			// the results as the other facilitators were last sent them, so the next delta fits; it follows at once
			const snapshot = new RawJson(feedOf(data.workshopId).snapshot(workshop)) as unknown as WorkshopResults;
			queueMicrotask(() => results.schedule(data.workshopId));
			return [
				['workshop', facilitatorView(workshop)],
				['results', snapshot],
				['presence', presenceOf(workshop, connectedIds(data.workshopId))]
			];
		}
		const { participantId, workshopId } = data;
		const counts = connectedIn(workshopId);
		const before = counts.get(participantId) ?? 0;
		counts.set(participantId, before + 1);
		if (before === 0) presence?.tell(workshopId, participantId, true);
		presenceUpdates.schedule(workshopId);
		projector.schedule(workshopId);
		return [['workshop', memberView(workshop, participantId)]];
	}

	/**
	 * Who the member is, first of all. A new member is stored and counted only once its client
	 * says it has the token (the acknowledgement of this event): a handshake that fails on the way
	 * leaves no member behind.
	 */
	function sendParticipant(socket: AppSocket, data: Extract<SocketData, { role: 'member' }>): void {
		const { participantId, participantToken, name, pending, workshopId } = data;
		const who = { participantId, participantToken, name };
		if (!pending) {
			socket.emit('participant', who);
			return;
		}
		socket.emit('participant', who, () => {
			service.confirmMember(service.get(workshopId), pending).catch((error) => {
				console.error(`Could not store a new member of workshop ${workshopId}:`, (error as Error).message);
				socket.disconnect(true);
			});
		});
	}

	function memberLeft(workshopId: string, participantId: string): void {
		const counts = connectedIn(workshopId);
		const left = (counts.get(participantId) ?? 1) - 1;
		if (left > 0) counts.set(participantId, left);
		else {
			counts.delete(participantId);
			presence?.tell(workshopId, participantId, false);
		}
		presenceUpdates.schedule(workshopId);
		projector.schedule(workshopId);
	}

	/** Stores a checked rating for a member of a workshop this process holds. */
	async function rateHere(workshopId: string, participantId: string, input: RateInput, language: Language): Promise<Ack> {
		try {
			const answer = await service.rate(service.get(workshopId), participantId, input);
			return { ok: true, answer };
		} catch (error) {
			return failedAck(error, language);
		}
	}

	io.use(async (socket, next) => {
		const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
		const language = readerLanguage(socket);
		const address = clientAddress(socket.handshake);
		try {
			const data = await authenticate(service, auth, address, language);
			// a projector link may have leaked: screens per address and per workshop are capped
			if (data.role === 'projector') projectorCaps.take(address, data.workshopId);
			socket.data = data;
			next();
		} catch (error) {
			next(connectError(error, language));
		}
	});

	io.on('connection', (socket: AppSocket) => {
		try {
			onConnection(socket);
		} catch (error) {
			// one connection's failure is logged and that connection closed; the process goes on
			console.error('A connection failed:', error);
			socket.disconnect(true);
		}
	});

	function onConnection(socket: AppSocket): void {
		const data = socket.data;
		const { workshopId } = data;
		const who: RoomsOf = { role: data.role, workshopId, participantId: data.role === 'member' ? data.participantId : undefined };
		void socket.join(roomsFor(who));
		// the workshop stays in memory while a connection uses it
		service.retain(workshopId);
		socket.on('disconnect', () => service.release(workshopId));
		if (data.role === 'member') sendParticipant(socket, data);
		for (const [event, ...args] of firstEvents(data)) {
			(socket.emit as (event: string, ...args: unknown[]) => boolean)(event, ...args);
		}
		if (data.role === 'projector') socket.on('disconnect', () => projectorCaps.release(data.address, workshopId));
		// A flood from one connection must not slow the others: every role's unexpected messages are
		// strikes (projectors and facilitators send none), and a member's ratings have a token bucket.
		const strikes = strikeCounter(socket, data.role === 'member' ? ['rate'] : []);
		if (data.role !== 'member') return;
		const { participantId } = data;
		const bucket = new TokenBucket(SOCKET_LIMITS.perSecond, SOCKET_LIMITS.burst);
		const strike = strikes.strike;

		socket.on('rate', async (payload, ack) => {
			const reply = typeof ack === 'function' ? ack : () => {};
			try {
				if (!bucket.take()) {
					strike();
					reply(failedAck(new UserError('error.rate.tooFast', {}, 429), data.language));
					return;
				}
				const rating = quickRating(payload);
				if (!rating) {
					strike();
					const parsed = rateSchema.safeParse(payload);
					const detail = parsed.success ? 'invalid rating' : describeZodError(parsed.error);
					reply(failedAck(new UserError('error.invalidInput', { detail }), data.language));
					return;
				}
				const answer = await rateHere(workshopId, participantId, rating, data.language);
				if (answer.ok) {
					strikes.clear();
					// what changed, not the whole view: the answer as stored comes with the ack, and goes to the
					// member's other connections (another tab, another device), if there are any
					const own = participantRoom(participantId);
					if (answer.answer && (io.sockets.adapter.rooms.get(own)?.size ?? 0) > 1) socket.to(own).emit('answer', answer.answer);
				}
				reply(answer);
			} catch (error) {
				reply(failedAck(error, data.language));
			}
		});

		socket.on('disconnect', () => memberLeft(workshopId, participantId));
	}

	return {
		stop: () => {
			presence?.stop();
			stopDropping();
		}
	};
}

const attached = new WeakSet<object>();

/** Attaches once per socket.io server (dev reloads may call this again). */
export function attachOnce(io: AppServer, service: WorkshopService, bus: Bus | null): void {
	if (attached.has(io)) return;
	attached.add(io);
	const { stop } = attachSocketServer(io, service, bus);
	(globalThis as Record<symbol, unknown>)[STOP_PRESENCE_KEY] = stop;
}

/** Where the graceful shutdown (server.ts) finds how to tell the other processes this one's members are gone. */
export const STOP_PRESENCE_KEY = Symbol.for('risikoverksted.stopPresence');
