import { normalizeJoinCode } from '$lib/domain/join-code';
import { LightSocket } from './light-socket';
import type { Knowledge, Language, RatingValue, TypeAnswer } from '../domain/types';
import type { Ack, AnswerUpdate, ClientToServerEvents, MemberWorkshopView, OwnAnswer, RateInput, ServerToClientEvents } from '../protocol';
import { local } from './storage';
import { forgetMemberCookie, rememberMemberCookie, type EarlyAnswer } from './member-page';

/** Failures that may pass (disk full, server error): the rating is kept and sent again. */
const RETRYABLE = new Set(['error.storage', 'error.storage.full', 'error.storage.files', 'error.storage.readOnly', 'error.internal', 'error.rate.tooFast']);
const RETRY_MS = 3000;

type Connection = 'connecting' | 'connected' | 'offline' | 'refused';
export type SaveState = 'saving' | 'saved' | 'failed' | 'waiting';

interface StoredMember {
	participantToken: string;
	name: string;
}

/** A member the server recognised from this browser's cookie, with the view it rendered the page from. */
export interface ServedMember extends StoredMember {
	view: MemberWorkshopView;
}

/**
 * A panel member's live session: joins with the code, keeps the token to be recognised after a
 * reload, and keeps unacknowledged ratings (in localStorage too) until the server has them on disk.
 */
export class MemberSession {
	view = $state.raw<MemberWorkshopView | null>(null);
	connection = $state<Connection>('connecting');
	/** why the server refused the connection, in the member's language */
	refusal = $state<string | null>(null);
	saveStates = $state.raw<Record<string, SaveState>>({});
	saveErrors = $state.raw<Record<string, string>>({});
	/** ratings not yet acknowledged, by risk point id (raw: compared by identity) */
	pending = $state.raw<Record<string, RateInput>>({});
	/** one scale answered before the page's script ran (the other one not yet): shown, not sent */
	drafts = $state.raw<Record<string, EarlyAnswer>>({});
	/** the point answered before the script ran: the screen stays on it (not on the next one left) */
	startAt: string | null = null;
	name = $state('');

	readonly #joinCode: string;
	readonly #language: Language;
	#socket: LightSocket<ServerToClientEvents, ClientToServerEvents> | null = null;

	/** `served`: the member the page was rendered for (their token is then kept in this browser too) */
	constructor(joinCode: string, language: Language, served?: ServedMember | null) {
		this.#joinCode = joinCode;
		this.#language = language;
		this.pending = local.get<Record<string, RateInput>>(this.#key('pending')) ?? {};
		if (served) {
			this.view = served.view;
			local.set(this.#key('member'), { participantToken: served.participantToken, name: served.name } satisfies StoredMember);
		}
		this.name = served?.name ?? this.#stored()?.name ?? '';
	}

	/**
	 * Answers tapped on the server-rendered page before its script ran: a point with both scales
	 * answered is rated (sent once the connection is up, like any rating made offline); one with a
	 * single scale is kept as a draft on the screen.
	 */
	takeEarlyAnswers(answers: Record<string, EarlyAnswer>): void {
		const drafts: Record<string, EarlyAnswer> = {};
		for (const [riskPointId, tapped] of Object.entries(answers)) {
			this.startAt = riskPointId;
			// a tap changes one scale of what was there (an answer stored before, or nothing)
			const before = this.answer(riskPointId);
			const early: EarlyAnswer = { ...before, ...tapped };
			const byType = this.view?.consequenceTypes;
			if (byType) early.types = byType.types.map((_, index) => tapped.types?.[index] ?? before.types?.[index]);
			const complete = early.likelihood !== undefined && (byType ? early.types!.every((value) => value !== undefined) : early.consequence !== undefined);
			if (complete) {
				this.rate({
					riskPointId,
					likelihood: early.likelihood!,
					consequence: byType ? null : early.consequence!,
					...(byType ? { types: early.types as TypeAnswer[] } : {}),
					...(this.view?.askKnowledge ? { knowledge: early.knowledge ?? null } : {})
				});
			} else drafts[riskPointId] = early;
		}
		this.drafts = drafts;
	}

	#key(what: 'member' | 'pending'): string {
		return `risikoverksted:${what}:${this.#joinCode}`;
	}

	#stored(): StoredMember | null {
		return local.get<StoredMember>(this.#key('member'));
	}

	/** True when this browser has joined before: the member can go straight back in. */
	get hasJoinedBefore(): boolean {
		return this.#stored() !== null;
	}

	connect(name?: string): void {
		if (name !== undefined) this.name = name;
		// socket.io's protocol over a WebSocket, socket.io's client only where a WebSocket cannot open (light-socket.ts)
		const socket = new LightSocket<ServerToClientEvents, ClientToServerEvents>({
			// lets a load balancer keep a workshop's members on one process (docs/scaling.md); any process serves them
			query: { room: normalizeJoinCode(this.#joinCode) },
			auth: (send) =>
				send({
					joinCode: this.#joinCode,
					participantToken: this.#stored()?.participantToken,
					name: this.name.trim() || undefined,
					language: this.#language
				})
		});
		this.#socket = socket;
		socket.on('participant', ({ participantToken, name: storedName }, received) => {
			local.set(this.#key('member'), { participantToken, name: storedName } satisfies StoredMember);
			// the next visit gets its rating screen in the page itself (server-rendered)
			rememberMemberCookie(participantToken);
			// the token is kept: only now does the server count this member (no phantoms from failed handshakes)
			received?.();
		});
		socket.on('workshop', (view) => {
			const next = view as MemberWorkshopView;
			const before = this.view;
			this.view = next;
			// a new round starts each such point afresh: "saved" belonged to the round before
			if (before) {
				const moved = Object.keys(next.rounds).filter((id) => next.rounds[id] !== before.rounds[id]);
				if (moved.length) {
					const states = { ...this.saveStates };
					const errors = { ...this.saveErrors };
					for (const id of moved) {
						delete states[id];
						delete errors[id];
					}
					this.saveStates = states;
					this.saveErrors = errors;
				}
			}
		});
		// after a rating the server sends only the answer as stored (the whole view comes on join)
		socket.on('answer', (answer) => this.#applyAnswer(answer));
		socket.on('connect', () => {
			this.connection = 'connected';
			this.refusal = null;
			for (const rating of Object.values(this.pending)) this.#send(rating);
		});
		socket.on('disconnect', () => {
			this.connection = 'offline';
		});
		socket.on('connect_error', (error) => {
			if (socket.active) {
				this.connection = 'offline';
			} else {
				this.connection = 'refused';
				this.refusal = error.message;
			}
		});
	}

	/** Puts an answer the server has stored into the view, if it is for the point's current round. */
	#applyAnswer({ riskPointId, round, likelihood, consequence, types, knowledge = null, comment }: AnswerUpdate): void {
		const view = this.view;
		if (!view || (view.rounds[riskPointId] ?? 1) !== round) return;
		const own = view.ratings[riskPointId];
		const sameTypes = (own?.types ?? []).length === (types ?? []).length && (types ?? []).every((value, index) => own?.types?.[index] === value);
		if (own?.likelihood === likelihood && own?.consequence === consequence && sameTypes && (own?.knowledge ?? null) === knowledge && own?.comment === comment) return;
		const answer: OwnAnswer = { likelihood, consequence };
		if (types) answer.types = types;
		if (knowledge) answer.knowledge = knowledge;
		if (comment) answer.comment = comment;
		this.view = { ...view, ratings: { ...view.ratings, [riskPointId]: answer } };
	}

	/** The answer shown for a point: the one being saved, else the one the server has. */
	answer(riskPointId: string): { likelihood: RatingValue | undefined; consequence: RatingValue | undefined; types: (TypeAnswer | undefined)[] | undefined; knowledge: Knowledge | null; comment: string } {
		const stored = this.view?.ratings[riskPointId];
		const own = this.pending[riskPointId] ?? stored ?? this.drafts[riskPointId];
		return { likelihood: own?.likelihood, consequence: own?.consequence, types: own?.types, knowledge: own?.knowledge ?? null, comment: this.pending[riskPointId]?.comment ?? stored?.comment ?? '' };
	}

	isDone(riskPointId: string): boolean {
		return this.view?.ratings[riskPointId] !== undefined || this.pending[riskPointId] !== undefined;
	}

	/** Sends a rating; it stays pending (and is resent on reconnect) until the server acknowledges it. */
	rate(rating: RateInput): void {
		// a reason not yet sent goes with the next answer to the same point
		const waiting = this.pending[rating.riskPointId]?.comment;
		if (rating.comment === undefined && waiting !== undefined) rating = { ...rating, comment: waiting };
		this.pending = { ...this.pending, [rating.riskPointId]: rating };
		local.set(this.#key('pending'), this.pending);
		if (this.connection === 'connected') this.#send(rating);
		else this.saveStates = { ...this.saveStates, [rating.riskPointId]: 'waiting' };
	}

	#send(rating: RateInput): void {
		const id = rating.riskPointId;
		this.saveStates = { ...this.saveStates, [id]: 'saving' };
		this.#socket?.emit('rate', rating, (ack: Ack) => {
			const current = this.pending[id];
			if (ack.ok) {
				if (ack.answer) this.#applyAnswer(ack.answer);
				if (current === rating) {
					const { [id]: _, ...rest } = this.pending;
					this.pending = rest;
					local.set(this.#key('pending'), this.pending);
				}
				this.saveStates = { ...this.saveStates, [id]: 'saved' };
				const { [id]: __, ...errors } = this.saveErrors;
				this.saveErrors = errors;
			} else if (RETRYABLE.has(ack.code ?? '')) {
				// the server could not store it just now: keep it and try again shortly
				this.saveStates = { ...this.saveStates, [id]: 'failed' };
				this.saveErrors = { ...this.saveErrors, [id]: ack.error };
				setTimeout(() => {
					if (this.pending[id] === rating && this.connection === 'connected') this.#send(rating);
				}, RETRY_MS);
			} else {
				// refused for good (closed, unknown point): drop it and say why
				if (current === rating) {
					const { [id]: _, ...rest } = this.pending;
					this.pending = rest;
					local.set(this.#key('pending'), this.pending);
				}
				this.saveStates = { ...this.saveStates, [id]: 'failed' };
				this.saveErrors = { ...this.saveErrors, [id]: ack.error };
			}
		});
	}

	/** Forget this browser's membership (a new, anonymous member joins next time). */
	leave(): void {
		this.#socket?.disconnect();
		local.remove(this.#key('member'));
		local.remove(this.#key('pending'));
		forgetMemberCookie();
	}

	close(): void {
		this.#socket?.disconnect();
		this.#socket = null;
	}
}
