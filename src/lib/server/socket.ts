import type { Server, Socket } from 'socket.io';
import { UserError } from '../domain/errors';
import { languageFromHeader, translate } from '../i18n/translate';
import type { Language } from '../domain/types';
import {
	describeZodError,
	facilitatorAuthSchema,
	languageSchema,
	memberAuthSchema,
	projectorAuthSchema,
	rateSchema,
	type Ack,
	type ClientToServerEvents,
	type ServerToClientEvents
} from '../protocol';
import { KeyedThrottle } from './throttle';
import { SOCKET_LIMITS, TokenBucket } from './rate-limit';
import { facilitatorView, memberView, presence, projectorView } from './views';
import type { WorkshopChange, WorkshopService } from './workshop-service';

type SocketData =
	| { role: 'member'; workshopId: string; participantId: string; participantToken: string; name: string; language: Language }
	| { role: 'facilitator'; workshopId: string; language: Language }
	| { role: 'projector'; workshopId: string; language: Language };

type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const NAIVE = process.env.RISIKOVERKSTED_NAIVE === '1';

/** How often, at most, a facilitator gets fresh results during a burst of ratings. */
export const RESULTS_INTERVAL_MS = 100;

const membersRoom = (workshopId: string) => `members:${workshopId}`;
const facilitatorsRoom = (workshopId: string) => `facilitators:${workshopId}`;
const participantRoom = (participantId: string) => `participant:${participantId}`;
const projectorsRoom = (workshopId: string) => `projectors:${workshopId}`;

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
export function attachSocketServer(io: AppServer, service: WorkshopService): void {
	/** connected sockets per participant, per workshop: the presence a facilitator sees */
	const connected = new Map<string, Map<string, number>>();

	const connectedIn = (workshopId: string) => {
		let counts = connected.get(workshopId);
		if (!counts) connected.set(workshopId, (counts = new Map()));
		return counts;
	};

	const connectedIds = (workshopId: string) => new Set(connectedIn(workshopId).keys());

	const presenceUpdates = new KeyedThrottle(RESULTS_INTERVAL_MS, (workshopId) => {
		io.to(facilitatorsRoom(workshopId)).emit('presence', presence(service.get(workshopId), connectedIds(workshopId)));
	});

	const results = new KeyedThrottle(RESULTS_INTERVAL_MS, (workshopId) => {
		io.to(facilitatorsRoom(workshopId)).emit('results', service.get(workshopId).results());
	});

	const projector = new KeyedThrottle(RESULTS_INTERVAL_MS, (workshopId) => {
		const room = projectorsRoom(workshopId);
		if (io.sockets.adapter.rooms.get(room)?.size) {
			io.to(room).emit('projector', projectorView(service.get(workshopId), connectedIn(workshopId).size));
		}
	});

	const sendWorkshopToMembers = (workshopId: string) => {
		const workshop = service.get(workshopId);
		for (const participantId of connectedIn(workshopId).keys()) {
			io.to(participantRoom(participantId)).emit('workshop', memberView(workshop, participantId));
		}
	};

	service.onChange((change: WorkshopChange) => {
		const { workshopId } = change;
		if (change.type === 'deleted') {
			for (const room of [membersRoom(workshopId), facilitatorsRoom(workshopId), projectorsRoom(workshopId)]) {
				io.in(room).disconnectSockets(true);
			}
			connected.delete(workshopId);
			return;
		}
		const workshop = service.get(workshopId);
		if (change.type === 'locked') {
			io.to(facilitatorsRoom(workshopId)).emit('workshop', facilitatorView(workshop));
			return;
		}
		if (change.type === 'workshop') {
			sendWorkshopToMembers(workshopId);
			io.to(facilitatorsRoom(workshopId)).emit('workshop', facilitatorView(workshop));
			results.schedule(workshopId);
			presenceUpdates.schedule(workshopId);
		} else if (change.type === 'rating') {
			io.to(participantRoom(change.participantId)).emit('workshop', memberView(workshop, change.participantId));
			// naive baseline for benchmarks: a full recompute and an update for every rating
			if (NAIVE) io.to(facilitatorsRoom(workshopId)).emit('results', workshop.resultsFromScratch());
			else results.schedule(workshopId);
			// who has not answered yet changes with each rating, in named workshops only
			if (!workshop.settings.anonymous) presenceUpdates.schedule(workshopId);
		} else {
			presenceUpdates.schedule(workshopId);
		}
		projector.schedule(workshopId);
	});

	io.use(async (socket, next) => {
		const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
		const language = readerLanguage(socket);
		try {
			if ('projectorFor' in auth) {
				const parsed = projectorAuthSchema.safeParse(auth);
				if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
				service.get(parsed.data.projectorFor);
				socket.data = { role: 'projector', workshopId: parsed.data.projectorFor, language };
			} else if ('workshopId' in auth || 'facilitatorKey' in auth) {
				const parsed = facilitatorAuthSchema.safeParse(auth);
				if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
				service.authenticate(parsed.data.workshopId, parsed.data.facilitatorKey);
				socket.data = { role: 'facilitator', workshopId: parsed.data.workshopId, language };
			} else {
				if (typeof auth.joinCode !== 'string' || auth.joinCode.trim() === '') throw new UserError('error.join.missingCode');
				const parsed = memberAuthSchema.safeParse(auth);
				if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
				const { joinCode, participantToken, name } = parsed.data;
				const joined = await service.join(joinCode, participantToken, name, socket.handshake.address);
				socket.data = {
					role: 'member',
					workshopId: joined.workshop.settings.id,
					participantId: joined.participantId,
					participantToken: joined.participantToken,
					name: joined.name,
					language
				};
			}
			next();
		} catch (error) {
			next(connectError(error, language));
		}
	});

	io.on('connection', (socket: AppSocket) => {
		const data = socket.data;
		const workshop = service.get(data.workshopId);
		if (data.role === 'projector') {
			void socket.join(projectorsRoom(data.workshopId));
			socket.emit('projector', projectorView(workshop, connectedIn(data.workshopId).size));
			return;
		}
		if (data.role === 'facilitator') {
			void socket.join(facilitatorsRoom(data.workshopId));
			socket.emit('workshop', facilitatorView(workshop));
			socket.emit('results', workshop.results());
			socket.emit('presence', presence(workshop, connectedIds(data.workshopId)));
			return;
		}
		const { participantId, workshopId, participantToken, name } = data;
		void socket.join([membersRoom(workshopId), participantRoom(participantId)]);
		socket.emit('participant', { participantId, participantToken, name });
		const counts = connectedIn(workshopId);
		counts.set(participantId, (counts.get(participantId) ?? 0) + 1);
		socket.emit('workshop', memberView(workshop, participantId));
		presenceUpdates.schedule(workshopId);
		projector.schedule(workshopId);

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
			if (!bucket.take()) {
				strike();
				reply(failedAck(new UserError('error.rate.tooFast', {}, 429), data.language));
				return;
			}
			const parsed = rateSchema.safeParse(payload);
			if (!parsed.success) {
				strike();
				reply(failedAck(new UserError('error.invalidInput', { detail: describeZodError(parsed.error) }), data.language));
				return;
			}
			try {
				await service.rate(service.get(workshopId), participantId, parsed.data);
				strikes = 0;
				reply({ ok: true });
			} catch (error) {
				reply(failedAck(error, data.language));
			}
		});

		socket.on('disconnect', () => {
			const left = (counts.get(participantId) ?? 1) - 1;
			if (left > 0) counts.set(participantId, left);
			else counts.delete(participantId);
			presenceUpdates.schedule(workshopId);
			projector.schedule(workshopId);
		});
	});
}

const attached = new WeakSet<object>();

/** Attaches once per socket.io server (dev reloads may call this again). */
export function attachOnce(io: AppServer, service: WorkshopService): void {
	if (attached.has(io)) return;
	attached.add(io);
	attachSocketServer(io, service);
}
