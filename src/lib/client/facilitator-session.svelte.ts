import { LightSocket } from './light-socket';
import type { WorkshopResults } from '../domain/results';
import { applyResultsDelta, receivedResults } from '../domain/results-delta';
import type { Language, RiskPoint, RiskPointInput } from '../domain/types';
import type {
	ClientToServerEvents,
	FacilitatorWorkshopView,
	Presence,
	ServerToClientEvents,
	WorkshopPatch, MemberSummary } from '../protocol';
import { callApi, type ApiResult } from './api';
import { local } from './storage';

type Connection = 'connecting' | 'connected' | 'offline' | 'refused';

/** The media type to send a list file as: Excel workbooks by their extension, else CSV. */
export function uploadType(file: File): string {
	return /\.xlsx$/i.test(file.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
}

const facilitatorKeyName = (workshopId: string) => `risikoverksted:facilitator:${workshopId}`;

/** The key of a workshop kept by this browser, so the facilitator link works once and then from bookmarks. */
export function storedFacilitatorKey(workshopId: string): string | null {
	return local.get<string>(facilitatorKeyName(workshopId));
}

export function storeFacilitatorKey(workshopId: string, key: string): void {
	local.set(facilitatorKeyName(workshopId), key);
}

/** The workshop is gone (deleted, a rehearsal ended): this browser forgets its key. */
export function forgetFacilitatorKey(workshopId: string): void {
	local.remove(facilitatorKeyName(workshopId));
}

/** The facilitator's live view of a workshop and the calls that change it. */
export class FacilitatorSession {
	view = $state.raw<FacilitatorWorkshopView | null>(null);
	results = $state.raw<WorkshopResults | null>(null);
	presence = $state.raw<Presence>({ connected: 0, joined: 0, names: [], notAnswered: null, membersDone: 0, answers: 0 });
	connection = $state<Connection>('connecting');
	refusal = $state<string | null>(null);
	/** the projector link, with its own key ('' until loaded) */
	projectorUrl = $state('');

	readonly workshopId: string;
	readonly key: string;
	readonly #language: () => Language;
	readonly #networkError: () => string;
	#socket: LightSocket<ServerToClientEvents, ClientToServerEvents> | null = null;

	constructor(workshopId: string, key: string, language: () => Language, networkError: () => string) {
		this.workshopId = workshopId;
		this.key = key;
		this.#language = language;
		this.#networkError = networkError;
	}

	connect(): void {
		// socket.io's protocol over a WebSocket, socket.io's client only where a WebSocket cannot open (light-socket.ts)
		const socket = new LightSocket<ServerToClientEvents, ClientToServerEvents>({
			// the same key as the members' (their join code): a balancer keeps the workshop's sockets together (docs/scaling.md)
			query: { room: this.view?.joinCode ?? this.workshopId },
			auth: (send) => send({ workshopId: this.workshopId, facilitatorKey: this.key, language: this.#language() })
		});
		this.#socket = socket;
		socket.on('workshop', (view) => (this.view = view as FacilitatorWorkshopView));
		socket.on('results', (results) => (this.results = receivedResults(results)));
		// during a burst of ratings only what changed comes
		socket.on('resultsDelta', (delta) => {
			if (this.results) this.results = applyResultsDelta(this.results, delta);
			// after ratings, presence comes with the results
			if (delta.presence) this.presence = delta.presence;
		});
		socket.on('presence', (presence) => (this.presence = presence));
		socket.on('connect', () => {
			this.connection = 'connected';
			this.refusal = null;
		});
		socket.on('disconnect', () => (this.connection = 'offline'));
		socket.on('connect_error', (error) => {
			this.connection = socket.active ? 'offline' : 'refused';
			if (!socket.active) this.refusal = error.message;
		});
	}

	close(): void {
		this.#socket?.disconnect();
	}

	#call<T>(path: string, options: { method?: string; body?: BodyInit; contentType?: string } = {}): Promise<ApiResult<T>> {
		return callApi<T>(`/api/workshops/${this.workshopId}${path}`, {
			...options,
			key: this.key,
			language: this.#language(),
			networkError: this.#networkError()
		});
	}

	/** Loads the workshop over HTTP (also checks the key before the socket connects). */
	async load(): Promise<ApiResult<FacilitatorWorkshopView>> {
		const result = await this.#call<FacilitatorWorkshopView>('');
		if (result.ok) {
			this.view = result.value;
			const link = await this.#call<{ projectorUrl: string }>('/projector');
			if (link.ok) this.projectorUrl = link.value.projectorUrl;
		}
		return result;
	}

	/** A new projector link: screens with the old one are disconnected. */
	async revokeProjector(): Promise<ApiResult<{ projectorUrl: string }>> {
		const result = await this.#call<{ projectorUrl: string }>('/projector', { method: 'POST' });
		if (result.ok) this.projectorUrl = result.value.projectorUrl;
		return result;
	}

	/** A rehearsal of this workshop with simulated members; its console's link. */
	rehearse() {
		return this.#call<{ id: string; facilitatorUrl: string }>('/rehearsal', { method: 'POST' });
	}

	/** A new facilitator key (a workshop on its own): the old one stops working; open a session with the new one. */
	rotateKey(): Promise<ApiResult<{ facilitatorUrl: string }>> {
		return this.#call<{ facilitatorUrl: string }>('/key', { method: 'POST' });
	}

	async update(patch: WorkshopPatch): Promise<ApiResult<FacilitatorWorkshopView>> {
		const result = await this.#call<FacilitatorWorkshopView>('', {
			method: 'PATCH',
			body: JSON.stringify(patch),
			contentType: 'application/json'
		});
		if (result.ok) this.view = result.value;
		return result;
	}

	saveRiskPoints(riskPoints: (RiskPointInput & { id?: string })[]) {
		return this.#call<{ riskPoints: RiskPoint[] }>('/risk-points', {
			method: 'PUT',
			body: JSON.stringify({ riskPoints }),
			contentType: 'application/json'
		});
	}

	/** Fixes one point's wording (kept with the old text and the time). */
	async editPointText(riskPointId: string, text: string): Promise<ApiResult<FacilitatorWorkshopView>> {
		const result = await this.#call<FacilitatorWorkshopView>(`/risk-points/${encodeURIComponent(riskPointId)}`, {
			method: 'PATCH',
			body: JSON.stringify({ text }),
			contentType: 'application/json'
		});
		if (result.ok) this.view = result.value;
		return result;
	}

	uploadRiskPoints(file: File) {
		return this.#call<{ riskPoints: RiskPoint[] }>('/risk-points', { method: 'PUT', body: file, contentType: uploadType(file) });
	}

	members() {
		return this.#call<{ members: MemberSummary[] }>('/members');
	}

	removeMember(memberId: string) {
		return this.#call<null>(`/members/${encodeURIComponent(memberId)}`, { method: 'DELETE' });
	}

	async delete() {
		const result = await this.#call<Blob>('', { method: 'DELETE' });
		if (result.ok) this.close();
		return result;
	}

	download(path: string) {
		return this.#call<Blob>(path);
	}
}
