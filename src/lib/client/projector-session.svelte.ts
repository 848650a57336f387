import { LightSocket } from './light-socket';
import { takeKeyFromFragment } from './key-link';
import { local } from './storage';
import { applyViewDelta } from '../domain/view-delta';
import type { Language } from '../domain/types';
import type { ClientToServerEvents, ProjectorView, ServerToClientEvents } from '../protocol';

/** Why a projector has nothing to show: no key, a revoked one, no such workshop. */
export type ProjectorProblem = 'projector.noKey' | 'projector.revoked' | 'projector.unknown';

/** The server's refusals that end a projector link, and what the screen says of each. */
const ENDED: Partial<Record<string, ProjectorProblem>> = {
	'error.auth.wrongKey': 'projector.revoked',
	'error.auth.missingKey': 'projector.revoked',
	'error.workshop.notFound': 'projector.unknown'
};

/**
 * The big screen's connection. Its link carries a key of its own (not the workshop id every
 * member knows), kept in this browser for reloads, which the facilitator can revoke; the server
 * sends the view, then what changed in it. Over a WebSocket with socket.io's protocol
 * (light-socket.ts, socket.io's client only where a WebSocket cannot open): the projector loads
 * on a laptop on hotel Wi-Fi and must show the join code within 2 s (issue 26).
 */
export class ProjectorSession {
	view = $state.raw<ProjectorView | null>(null);
	offline = $state(false);
	problem = $state<ProjectorProblem | null>(null);
	#socket: LightSocket<ServerToClientEvents, ClientToServerEvents> | null = null;

	start(workshopId: string, language: Language): void {
		const stored = `risikoverksted:projector:${workshopId}`;
		const key = takeKeyFromFragment() ?? local.get<string>(stored);
		if (!key) {
			this.problem = 'projector.noKey';
			return;
		}
		local.set(stored, key);
		// the balancer keeps a workshop's sockets together by its join code, known from the first view on
		const room = local.get<string>(`${stored}:room`) ?? workshopId;
		const socket = new LightSocket<ServerToClientEvents, ClientToServerEvents>({
			query: { room },
			auth: (send) => send({ projectorFor: workshopId, projectorKey: key, language })
		});
		this.#socket = socket;
		socket.on('projector', (next) => {
			this.view = next;
			local.set(`${stored}:room`, next.joinCode);
		});
		socket.on('projectorDelta', (delta) => {
			if (this.view) this.view = applyViewDelta(this.view, delta);
		});
		socket.on('connect', () => (this.offline = false));
		socket.on('disconnect', (reason) => {
			this.offline = true;
			// closed by the server (a revoked link, or this screen fell behind): ask again, which says which
			if (reason === 'io server disconnect') socket.connect();
		});
		socket.on('connect_error', (error) => {
			const problem = ENDED[(error.data as { code?: string } | undefined)?.code ?? ''];
			if (problem) {
				this.problem = problem;
				local.remove(stored);
				socket.disconnect();
			} else this.offline = true;
		});
	}

	stop(): void {
		this.#socket?.disconnect();
	}
}
