import type { Server, Socket } from 'socket.io';
import { UserError } from '../../domain/errors';
import { languageFromHeader, translate } from '../../i18n/translate';
import type { Language } from '../../domain/types';
import {
	describeZodError,
	facilitatorAuthSchema,
	languageSchema,
	memberAuthSchema,
	projectorAuthSchema,
	quickRating,
	rateSchema,
	type Ack,
	type ClientToServerEvents,
	type RateInput,
	type ServerToClientEvents
} from '../../protocol';
import { KeyedThrottle } from './throttle';
import { RawJson } from './socket-parser';
import { ResultsFeed } from './results-feed';
import type { WorkshopResults } from '../../domain/results';
import { SOCKET_LIMITS, TokenBucket } from '../guards/rate-limit';
import { clientAddress } from '../guards/address';
import { connectedMembers, connectionsIn, forgetConnections } from './connections';
import { facilitatorView, memberView, memberViewJson, presence, projectorView } from '../workshops/views';
import type { LiveWorkshop } from '../workshops/live-workshop';
import type { WorkshopChange, WorkshopService } from '../workshops/workshop-service';
import { askOthers, holds } from '../http/cluster';

type SocketData = (
	| { role: 'member'; workshopId: string; participantId: string; participantToken: string; name: string }
	| { role: 'facilitator'; workshopId: string }
	| { role: 'projector'; workshopId: string }
) & {
	language: Language;
	/** with several processes (REDIS_URL): the workshop lives in another process, which does the work */
	remote?: boolean;
};

/** What a process sends a socket first; for a socket on another process, sent back to it to pass on. */
type FirstEvents = { [E in keyof ServerToClientEvents]: [E, ...Parameters<ServerToClientEvents[E]>] }[keyof ServerToClientEvents][];

type RemoteError = { key: UserError['key']; params: UserError['params']; status: number };
type RemoteAuth = { auth: Record<string, unknown>; address: string; language: Language };

/**
 * Between processes sharing a Redis adapter (docs/scaling.md): a socket may reach a process that
 * does not hold its workshop; that process asks the others, and the one holding it (its owner)
 * checks the key or join code, takes the ratings and sends the updates, which the adapter delivers.
 * Every process answers; those without the workshop answer null.
 */
export interface ClusterEvents {
	'remote:auth': (request: RemoteAuth, reply: (answer: { data: SocketData; first: FirstEvents } | { error: RemoteError } | null) => void) => void;
	'remote:rate': (request: { workshopId: string; participantId: string; rating: unknown; language: Language }, reply: (ack: Ack | null) => void) => void;
	'remote:left': (request: RoomsOf) => void;
}

/** What decides the rooms a socket is in. */
type RoomsOf = { role: SocketData['role']; workshopId: string; participantId?: string };

type AppServer = Server<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;

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

/** The language the client asked for in its auth, else its Accept-Language, else English. */
function readerLanguage(socket: Socket): Language {
	const asked = languageSchema.safeParse((socket.handshake.auth as { language?: unknown } | undefined)?.language);
	if (asked.success) return asked.data;
	return languageFromHeader(socket.handshake.headers['accept-language'] ?? null) ?? 'en';
}

/** An Error for socket.io's connect_error: message in the reader's language, data.code to branch on. */
function connectError(error: unknown, language: Language): Error {
	if (error instanceof UserError) {
		const failure = new Error(translate(language, error.key, error.params)) as Error & { data: unknown };
		failure.data = { code: error.key, status: error.status };
		return failure;
	}
	console.error('Socket connection failed:', error);
	return new Error(translate(language, 'error.internal'));
}

function failedAck(error: unknown, language: Language): Ack {
	if (error instanceof UserError) return { ok: false, error: translate(language, error.key, error.params), code: error.key };
	console.error('Rating failed:', error);
	return { ok: false, error: translate(language, 'error.internal'), code: 'error.internal' };
}

/** Wires the workshop service to socket.io: auth, rooms, ratings with acks, live updates. */
export function attachSocketServer(io: AppServer, service: WorkshopService, cluster = Boolean(process.env.REDIS_URL)): void {
	const connectedIn = connectionsIn;
	const connectedIds = connectedMembers;

	/**
	 * Sockets in each room that are connected to other processes. An update for a room with none
	 * goes to this process's sockets only (io.local), not through Redis to every process: with
	 * connections routed to the process holding their workshop, the adapter then costs nothing,
	 * and a member on another process costs only its own updates.
	 */
	const remoteInRoom = new Map<string, number>();
	const to = (room: string) => (remoteInRoom.get(room) ? io : io.local).to(room);
	const countRemote = (rooms: string[], change: 1 | -1) => {
		for (const room of rooms) {
			const count = (remoteInRoom.get(room) ?? 0) + change;
			if (count > 0) remoteInRoom.set(room, count);
			else remoteInRoom.delete(room);
		}
	};

	const presenceUpdates = new KeyedThrottle(RESULTS_INTERVAL_MS, (workshopId) => {
		to(facilitatorsRoom(workshopId)).emit('presence', presence(service.get(workshopId), connectedIds(workshopId)));
	});

	/**
	 * An update kept as JSON between changes (results, member views): sent as that JSON to this
	 * process's sockets (RawJson), or as the object when a socket in the room is on another process
	 * (the Redis adapter encodes on its own). Nothing is built for a room nobody is in.
	 */
	const sendKept = (room: string, event: 'results' | 'workshop', object: () => unknown, json: () => string) => {
		const send = (target: typeof io.local, data: unknown) => (target.emit as (event: string, data: unknown) => boolean)(event, data);
		if (remoteInRoom.get(room)) send(io.to(room), object());
		else if (io.sockets.adapter.rooms.get(room)?.size) send(io.local.to(room), new RawJson(json()));
	};

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
	 * between changes; as the object when a facilitator is on another process.
	 */
	const results = new KeyedThrottle(FACILITATOR_INTERVAL_MS, (workshopId) => {
		const room = facilitatorsRoom(workshopId);
		const workshop = service.get(workshopId);
		if (remoteInRoom.get(room)) {
			io.to(room).emit('results', workshop.results());
			return;
		}
		if (!io.sockets.adapter.rooms.get(room)?.size) return;
		const update = feedOf(workshopId).update(workshop);
		if (update) (io.local.to(room).emit as (event: string, data: unknown) => boolean)(update.event, new RawJson(update.json));
	});

	const projector = new KeyedThrottle(RESULTS_INTERVAL_MS, (workshopId) => {
		const room = projectorsRoom(workshopId);
		if (remoteInRoom.get(room) || io.sockets.adapter.rooms.get(room)?.size) {
			to(room).emit('projector', projectorView(service.get(workshopId), connectedIn(workshopId).size));
		}
	});

	const sendMemberView = (workshop: LiveWorkshop, participantId: string) =>
		sendKept(
			participantRoom(participantId),
			'workshop',
			() => memberView(workshop, participantId),
			() => memberViewJson(workshop, participantId)
		);

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
			for (const room of [membersRoom(workshopId), facilitatorsRoom(workshopId), projectorsRoom(workshopId)]) {
				io.in(room).disconnectSockets(true);
				remoteInRoom.delete(room);
			}
			for (const participantId of connectedIn(workshopId).keys()) remoteInRoom.delete(participantRoom(participantId));
			forgetConnections(workshopId);
			feeds.delete(workshopId);
			return;
		}
		if (change.type === 'rekeyed') {
			io.in(facilitatorsRoom(workshopId)).disconnectSockets(true);
			return;
		}
		if (change.type === 'removed') {
			io.in(participantRoom(change.participantId)).disconnectSockets(true);
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
			results.schedule(workshopId);
			// who (or in anonymous workshops how many) has not answered the current point changes with each rating
			if (workshop.settings.pacing === 'facilitator') {
				presenceUpdates.schedule(workshopId);
				if (workshop.settings.autoReveal && change.added) autoReveal(workshopId);
			}
		} else {
			presenceUpdates.schedule(workshopId);
		}
		projector.schedule(workshopId);
	});

	/** Who a handshake's auth says the socket is, checked against the workshops this process holds. */
	async function authenticate(auth: Record<string, unknown>, address: string, language: Language): Promise<SocketData> {
		if ('projectorFor' in auth) {
			const parsed = projectorAuthSchema.safeParse(auth);
			if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
			await service.open(parsed.data.projectorFor);
			return { role: 'projector', workshopId: parsed.data.projectorFor, language };
		}
		if ('workshopId' in auth || 'facilitatorKey' in auth) {
			const parsed = facilitatorAuthSchema.safeParse(auth);
			if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
			await service.authenticate(parsed.data.workshopId, parsed.data.facilitatorKey);
			return { role: 'facilitator', workshopId: parsed.data.workshopId, language };
		}
		if (typeof auth.joinCode !== 'string' || auth.joinCode.trim() === '') throw new UserError('error.join.missingCode');
		const parsed = memberAuthSchema.safeParse(auth);
		if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
		const { joinCode, participantToken, name } = parsed.data;
		const joined = await service.join(joinCode, participantToken, name, address);
		return {
			role: 'member',
			workshopId: joined.workshop.settings.id,
			participantId: joined.participantId,
			participantToken: joined.participantToken,
			name: joined.name,
			language
		};
	}

	/** The events a new connection gets first; a member also counts as connected from here on. */
	function firstEvents(data: SocketData, forRemote = false): FirstEvents {
		const workshop = service.get(data.workshopId);
		if (data.role === 'projector') return [['projector', projectorView(workshop, connectedIn(data.workshopId).size)]];
		if (data.role === 'facilitator') {
			// the results as the other facilitators were last sent them, so the next delta fits; it follows at once
			const snapshot = forRemote ? workshop.results() : (new RawJson(feedOf(data.workshopId).snapshot(workshop)) as unknown as WorkshopResults);
			results.schedule(data.workshopId);
			return [
				['workshop', facilitatorView(workshop)],
				['results', snapshot],
				['presence', presence(workshop, connectedIds(data.workshopId))]
			];
		}
		const { participantId, participantToken, name, workshopId } = data;
		const counts = connectedIn(workshopId);
		counts.set(participantId, (counts.get(participantId) ?? 0) + 1);
		presenceUpdates.schedule(workshopId);
		projector.schedule(workshopId);
		return [
			['participant', { participantId, participantToken, name }],
			['workshop', memberView(workshop, participantId)]
		];
	}

	function memberLeft(workshopId: string, participantId: string): void {
		const counts = connectedIn(workshopId);
		const left = (counts.get(participantId) ?? 1) - 1;
		if (left > 0) counts.set(participantId, left);
		else counts.delete(participantId);
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

	const remoteFirst = new WeakMap<AppSocket, FirstEvents>();

	/**
	 * Whether this process holds the workshop a handshake is about. Malformed auth counts as here,
	 * so it is refused here with the reason; an unknown join code is asked about before it counts
	 * as a guess (the join guard), so a code held by another process never does.
	 */
	function heldHere(auth: Record<string, unknown>): boolean {
		if (typeof auth.projectorFor === 'string') return holds({ service }, { workshopId: auth.projectorFor });
		if (typeof auth.workshopId === 'string') return holds({ service }, { workshopId: auth.workshopId });
		if (typeof auth.joinCode === 'string' && auth.joinCode.trim() !== '') return holds({ service }, { joinCode: auth.joinCode });
		return true;
	}

	io.use(async (socket, next) => {
		const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
		const language = readerLanguage(socket);
		const address = clientAddress(socket.handshake);
		try {
			if (cluster && !heldHere(auth)) {
				if ('joinCode' in auth) service.joinGuard.checkAddress(address);
				const answer = await askOthers(() => io.serverSideEmitWithAck('remote:auth', { auth, address, language }));
				if (answer && 'error' in answer) throw new UserError(answer.error.key, answer.error.params, answer.error.status);
				if (answer) {
					socket.data = { ...answer.data, language, remote: true };
					remoteFirst.set(socket, answer.first);
					return next();
				}
			}
			// here, or held by no process: refused here (an unknown code counts as a guess)
			socket.data = await authenticate(auth, address, language);
			next();
		} catch (error) {
			next(connectError(error, language));
		}
	});

	if (cluster) {
		io.on('remote:auth', async ({ auth, address, language }, reply) => {
			if (!heldHere(auth)) return reply(null);
			try {
				const data = await authenticate(auth, address, language);
				countRemote(roomsFor(data), 1);
				service.retain(data.workshopId);
				reply({ data, first: firstEvents(data, true) });
			} catch (error) {
				if (error instanceof UserError) return reply({ error: { key: error.key, params: error.params, status: error.status } });
				console.error('Forwarded connection failed:', error);
				reply({ error: { key: 'error.internal', params: {}, status: 500 } });
			}
		});
		io.on('remote:rate', async ({ workshopId, participantId, rating, language }, reply) => {
			if (!service.has(workshopId)) return reply(null);
			const parsed = rateSchema.safeParse(rating);
			if (!parsed.success) return reply(failedAck(new UserError('error.invalidInput', { detail: describeZodError(parsed.error) }), language));
			const ack = await rateHere(workshopId, participantId, parsed.data, language);
			if (ack.ok && ack.answer) to(participantRoom(participantId)).emit('answer', ack.answer);
			reply(ack);
		});
		io.on('remote:left', (left) => {
			if (!service.has(left.workshopId)) return;
			countRemote(roomsFor(left), -1);
			service.release(left.workshopId);
			if (left.role === 'member' && left.participantId) memberLeft(left.workshopId, left.participantId);
		});
	}

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
		if (data.remote) socket.on('disconnect', () => io.serverSideEmit('remote:left', who));
		else {
			// the workshop stays in memory while a connection uses it
			service.retain(workshopId);
			socket.on('disconnect', () => service.release(workshopId));
		}
		for (const [event, ...args] of remoteFirst.get(socket) ?? firstEvents(data)) {
			(socket.emit as (event: string, ...args: unknown[]) => boolean)(event, ...args);
		}
		if (data.role !== 'member') return;
		const { participantId } = data;

		// A flood from one connection must not slow the others: a token bucket per connection, and
		// a connection that keeps sending what is refused (too fast or malformed) is closed.
		const bucket = new TokenBucket(SOCKET_LIMITS.perSecond, SOCKET_LIMITS.burst);
		let strikes = 0;
		const strike = () => {
			if (++strikes >= SOCKET_LIMITS.strikes) socket.disconnect(true);
		};
		socket.onAny((event: string) => {
			if (event !== 'rate') strike();
		});

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
				const forward = () => io.serverSideEmitWithAck('remote:rate', { workshopId, participantId, rating, language: data.language });
				const answer = data.remote
					? ((await askOthers(forward)) ?? failedAck(new UserError('error.storage', {}, 503), data.language))
					: await rateHere(workshopId, participantId, rating, data.language);
				if (answer.ok) {
					strikes = 0;
					// what changed, not the whole view: the answer as stored comes with the ack, and goes to the
					// member's other connections (another tab, another device), if there are any
					const own = participantRoom(participantId);
					if (!data.remote && answer.answer && (io.sockets.adapter.rooms.get(own)?.size ?? 0) > 1) socket.to(own).emit('answer', answer.answer);
				}
				reply(answer);
			} catch (error) {
				reply(failedAck(error, data.language));
			}
		});

		socket.on('disconnect', () => {
			if (!data.remote) memberLeft(workshopId, participantId);
		});
	}
}

const attached = new WeakSet<object>();

/** Attaches once per socket.io server (dev reloads may call this again). */
export function attachOnce(io: AppServer, service: WorkshopService): void {
	if (attached.has(io)) return;
	attached.add(io);
	attachSocketServer(io, service);
}
