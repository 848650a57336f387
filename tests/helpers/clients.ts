import { io, type Socket } from 'socket.io-client';
import type { WorkshopResults } from '../../src/lib/domain/results';
import { applyResultsDelta, receivedResults, type SentResults } from '../../src/lib/domain/results-delta';
import { applyViewDelta } from '../../src/lib/domain/view-delta';
import { RECONNECTION } from '../../src/lib/client/transports';
import type {
	ClientToServerEvents,
	FacilitatorWorkshopView,
	MemberWorkshopView,
	Presence,
	ProjectorView,
	ServerToClientEvents
} from '../../src/lib/protocol';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface CreatedWorkshop {
	id: string;
	joinCode: string;
	facilitatorKey: string;
	joinUrl: string;
	facilitatorUrl: string;
}

/** Calls the HTTP API; returns status and parsed JSON (or text). */
export async function call(
	url: string,
	path: string,
	options: { method?: string; key?: string; json?: unknown; body?: BodyInit; type?: string; headers?: Record<string, string> } = {}
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.key) headers.authorization = `Bearer ${options.key}`;
	let body = options.body;
	if (options.json !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(options.json);
	} else if (options.type) headers['content-type'] = options.type;
	const response = await fetch(url + path, { method: options.method ?? 'GET', headers, body });
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON: keep the text
	}
	return { status: response.status, body: parsed, text, headers: response.headers };
}

/** A workshop with the given points (one per line), opened unless told otherwise. */
export async function createWorkshop(
	url: string,
	points: string[],
	options: { open?: boolean; title?: string; language?: string; anonymous?: boolean; pacing?: 'self' | 'facilitator'; method?: 'single' | 'perType' } = {}
): Promise<CreatedWorkshop & { riskPointIds: string[] }> {
	const created = await call(url, '/api/workshops', {
		method: 'POST',
		json: { title: options.title ?? 'Test', language: options.language ?? 'nb', anonymous: options.anonymous, ...(options.method ? { method: options.method } : {}) }
	});
	if (created.status !== 201) throw new Error(`create failed: ${created.text}`);
	const workshop = created.body as CreatedWorkshop;
	const list = await call(url, `/api/workshops/${workshop.id}/risk-points`, {
		method: 'PUT',
		key: workshop.facilitatorKey,
		type: 'text/plain',
		body: points.join('\n')
	});
	if (list.status !== 200) throw new Error(`list failed: ${list.text}`);
	if (options.open !== false) {
		await call(url, `/api/workshops/${workshop.id}`, {
			method: 'PATCH',
			key: workshop.facilitatorKey,
			json: { status: 'open', pacing: options.pacing ?? 'self' }
		});
	}
	return { ...workshop, riskPointIds: list.body.riskPoints.map((p: { id: string }) => p.id) };
}

/** Resolves with the next event of that name. */
export function next<T>(socket: ClientSocket, event: keyof ServerToClientEvents): Promise<T> {
	return new Promise((done) => socket.once(event as 'workshop', (payload: unknown) => done(payload as T)));
}

/** Resolves with the first event payload that satisfies the test. */
export function until<T>(socket: ClientSocket, event: keyof ServerToClientEvents, test: (payload: T) => boolean): Promise<T> {
	return new Promise((done) => {
		const listener = (payload: unknown) => {
			if (test(payload as T)) {
				socket.off(event as 'workshop', listener);
				done(payload as T);
			}
		};
		socket.on(event as 'workshop', listener);
	});
}

/**
 * Presence as the facilitator's page takes it: on its own (`presence`) or, after ratings, riding
 * in the results update (`resultsDelta`'s `presence`). Returns a function that stops listening.
 */
export function followPresence(socket: ClientSocket, listener: (presence: Presence) => void): () => void {
	const own = (presence: Presence) => listener(presence);
	const riding = (delta: { presence?: Presence }) => delta.presence && listener(delta.presence);
	socket.on('presence', own);
	socket.on('resultsDelta', riding);
	return () => {
		socket.off('presence', own);
		socket.off('resultsDelta', riding);
	};
}

/** Resolves with the first value a follow… helper gives that satisfies the test, and stops following. */
function firstPassing<T>(follow: (listener: (value: T) => void) => () => void, test: (value: T) => boolean): Promise<T> {
	return new Promise((done) => {
		const stop = follow((value) => {
			if (test(value)) {
				stop();
				done(value);
			}
		});
	});
}

/** Resolves with the facilitator's presence once it satisfies the test (see followPresence). */
export function untilPresence(socket: ClientSocket, test: (presence: Presence) => boolean): Promise<Presence> {
	return firstPassing((listener) => followPresence(socket, listener), test);
}

export interface Member {
	socket: ClientSocket;
	participantId: string;
	participantToken: string;
	view: MemberWorkshopView;
}

/** A member connected with the code (and a token to resume); resolves once the first workshop view is in. */
export async function joinAsMember(url: string, joinCode: string, auth: { participantToken?: string; name?: string } = {}): Promise<Member> {
	const socket: ClientSocket = io(url, { auth: { joinCode, ...auth }, transports: ['websocket'], forceNew: true, ...RECONNECTION });
	// as the member's page does: say the token has arrived, so the server counts the member
	socket.on('participant', (_who, received) => received?.());
	const participant = next<{ participantId: string; participantToken: string }>(socket, 'participant');
	const view = next<MemberWorkshopView>(socket, 'workshop');
	const failed = new Promise<never>((_, fail) => socket.once('connect_error', (error) => fail(error)));
	const [who, first] = await Promise.race([Promise.all([participant, view]), failed]);
	// as the member's page does: a reconnect (a missed ping on a busy machine) comes back as the same
	// member, not as a new one who has answered nothing (which held an auto-reveal back for good)
	socket.auth = { joinCode, ...auth, participantToken: who.participantToken };
	return { socket, ...who, view: first };
}

export interface Facilitator {
	socket: ClientSocket;
	view: FacilitatorWorkshopView;
	results: WorkshopResults;
	presence: Presence;
}

/** The results from what was sent whole; as they are when they have no rounds (bench/ceiling.mjs sends each point's count only). */
const receivedWhole = (results: SentResults): WorkshopResults =>
	results.riskPoints.every((point) => Array.isArray(point.rounds)) ? receivedResults(results) : (results as unknown as WorkshopResults);

const followed = new WeakMap<ClientSocket, { current: WorkshopResults | null; listeners: Set<(results: WorkshopResults) => void> }>();

/**
 * The facilitator's results after every update, whole (`results`) or what changed (`resultsDelta`,
 * merged into the results before): one merged state per socket, shared by every listener.
 */
export function followResults(socket: ClientSocket, listener: (results: WorkshopResults) => void): () => void {
	let state = followed.get(socket);
	if (!state) {
		const fresh = { current: null as WorkshopResults | null, listeners: new Set<(results: WorkshopResults) => void>() };
		followed.set(socket, (state = fresh));
		const tell = () => fresh.current && fresh.listeners.forEach((one) => one(fresh.current!));
		socket.on('results', (results) => {
			fresh.current = receivedWhole(results);
			tell();
		});
		socket.on('resultsDelta', (delta) => {
			if (!fresh.current) return;
			fresh.current = applyResultsDelta(fresh.current, delta);
			tell();
		});
	}
	state.listeners.add(listener);
	return () => state.listeners.delete(listener);
}

/** Resolves with the facilitator's results once they satisfy the test (deltas merged). */
export function untilResults(socket: ClientSocket, test: (results: WorkshopResults) => boolean): Promise<WorkshopResults> {
	return firstPassing((listener) => followResults(socket, listener), test);
}

export async function joinAsFacilitator(url: string, workshopId: string, facilitatorKey: string, query: Record<string, string> = {}): Promise<Facilitator> {
	const socket: ClientSocket = io(url, { auth: { workshopId, facilitatorKey }, query, transports: ['websocket'], forceNew: true, ...RECONNECTION });
	const facilitator = { socket } as Facilitator;
	// kept up to date: whole results, then what changed
	followResults(socket, (results) => (facilitator.results = results));
	const [view, results, presence] = await Promise.all([
		next<FacilitatorWorkshopView>(socket, 'workshop'),
		next<SentResults>(socket, 'results'),
		next<Presence>(socket, 'presence')
	]);
	return Object.assign(facilitator, { view, results: facilitator.results ?? receivedWhole(results), presence });
}

const projected = new WeakMap<ClientSocket, { current: ProjectorView | null; listeners: Set<(view: ProjectorView) => void> }>();

/** The projector's view after every update, whole (`projector`) or what changed (`projectorDelta`, merged). */
export function followProjector(socket: ClientSocket, listener: (view: ProjectorView) => void): () => void {
	let state = projected.get(socket);
	if (!state) {
		const fresh = { current: null as ProjectorView | null, listeners: new Set<(view: ProjectorView) => void>() };
		projected.set(socket, (state = fresh));
		const tell = () => fresh.current && fresh.listeners.forEach((one) => one(fresh.current!));
		socket.on('projector', (view) => {
			fresh.current = view;
			tell();
		});
		socket.on('projectorDelta', (delta) => {
			if (!fresh.current) return;
			fresh.current = applyViewDelta(fresh.current, delta);
			tell();
		});
	}
	state.listeners.add(listener);
	return () => state.listeners.delete(listener);
}

/** Resolves with the projector's view once it satisfies the test (deltas merged). */
export function untilProjector(socket: ClientSocket, test: (view: ProjectorView) => boolean): Promise<ProjectorView> {
	return firstPassing((listener) => followProjector(socket, listener), test);
}

/** The key of a workshop's projector link, as the facilitator's console gets it. */
export async function projectorKeyOf(url: string, workshop: { id: string; facilitatorKey: string }): Promise<string> {
	const link = await call(url, `/api/workshops/${workshop.id}/projector`, { key: workshop.facilitatorKey });
	if (link.status !== 200) throw new Error(`projector link: ${link.text}`);
	return new URL(link.body.projectorUrl).hash.replace('#key=', '');
}

/** The path of a workshop's projector link, with its key after #, as the console links to it. */
export async function projectorPath(url: string, workshop: { id: string; facilitatorKey: string }): Promise<string> {
	return `/project/${workshop.id}#key=${await projectorKeyOf(url, workshop)}`;
}

/** The big screen's connection, with the key of the workshop's projector link. */
export async function joinAsProjector(url: string, workshop: { id: string; facilitatorKey: string }): Promise<{ socket: ClientSocket; view: ProjectorView }> {
	const projectorKey = await projectorKeyOf(url, workshop);
	const socket: ClientSocket = io(url, { auth: { projectorFor: workshop.id, projectorKey }, transports: ['websocket'], forceNew: true, ...RECONNECTION });
	const view = await untilProjector(socket, () => true);
	return { socket, view };
}

/** Every raw frame the server sends a socket from now on, as text: what really crossed the wire. */
export function recordFrames(socket: ClientSocket): string[] {
	const frames: string[] = [];
	socket.io.engine.on('packet', (packet: { data?: unknown }) => {
		if (typeof packet.data === 'string') frames.push(packet.data);
	});
	return frames;
}

/** The connect_error a refused connection gets. */
export function refusal(url: string, auth: Record<string, unknown>): Promise<Error & { data?: { code?: string } }> {
	const socket: ClientSocket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
	return new Promise((done, fail) => {
		socket.once('connect_error', (error) => {
			socket.close();
			done(error as Error & { data?: { code?: string } });
		});
		socket.once('connect', () => {
			socket.close();
			fail(new Error('the connection was accepted'));
		});
	});
}
