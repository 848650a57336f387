import type { Server, Socket } from 'socket.io';
import { UserError } from '../../domain/errors';
import { LIMITS } from '../guards/limits';
import { SOCKET_LIMITS } from '../guards/rate-limit';

/**
 * What one connection may cost, whatever its role: messages it should not send count as strikes
 * and a connection that keeps sending them is closed; a connection whose unsent data grows past
 * MAX_SOCKET_BACKLOG_KB (a client that stopped reading) is dropped; projector screens are capped
 * per address and per workshop.
 */

/**
 * Counts refused or unexpected messages of one connection; at SOCKET_LIMITS.strikes in a row it is
 * closed. `expected` events are the role's own (a member's ratings); any other event is a strike.
 */
export function strikeCounter(socket: Socket, expected: readonly string[]): { strike: () => void; clear: () => void } {
	let strikes = 0;
	const strike = () => {
		if (++strikes >= SOCKET_LIMITS.strikes) socket.disconnect(true);
	};
	socket.onAny((event: string) => {
		if (!expected.includes(event)) strike();
	});
	return { strike, clear: () => (strikes = 0) };
}

/** Bytes a connection has waiting to go out: queued in engine.io, and in the WebSocket's buffers. */
export function backlogBytes(socket: Socket): number {
	const connection = socket.conn as unknown as { writeBuffer?: { data?: unknown }[]; transport?: { socket?: { bufferedAmount?: number } } };
	let bytes = connection.transport?.socket?.bufferedAmount ?? 0;
	for (const packet of connection.writeBuffer ?? []) bytes += typeof packet.data === 'string' ? packet.data.length : 0;
	return bytes;
}

/** Every second, drops the connections whose backlog passed the bound (they reconnect and get the state whole). */
export function dropSlowReaders(io: Server, limit = LIMITS.socketBacklogBytes): () => void {
	const timer = setInterval(() => {
		for (const socket of io.of('/').sockets.values()) {
			if (backlogBytes(socket) > limit) {
				console.warn(`Dropped a ${(socket.data as { role?: string }).role ?? ''} connection that stopped reading (${Math.round(backlogBytes(socket) / 1024)} KB unsent).`);
				socket.disconnect(true);
			}
		}
	}, 1000);
	timer.unref?.();
	return () => clearInterval(timer);
}

/** Open projector screens per address and per workshop, within MAX_PROJECTORS_PER_ADDRESS and _PER_WORKSHOP. */
export class ProjectorCaps {
	readonly #byAddress = new Map<string, number>();
	readonly #byWorkshop = new Map<string, number>();

	/** Counts a new screen in, or throws 429 saying why; release() when it closes. */
	take(address: string, workshopId: string): void {
		if ((this.#byAddress.get(address) ?? 0) >= LIMITS.projectorsPerAddress) throw new UserError('error.projector.tooMany', {}, 429);
		if ((this.#byWorkshop.get(workshopId) ?? 0) >= LIMITS.projectorsPerWorkshop) throw new UserError('error.projector.tooMany', {}, 429);
		this.#byAddress.set(address, (this.#byAddress.get(address) ?? 0) + 1);
		this.#byWorkshop.set(workshopId, (this.#byWorkshop.get(workshopId) ?? 0) + 1);
	}

	release(address: string, workshopId: string): void {
		const less = (map: Map<string, number>, key: string) => {
			const left = (map.get(key) ?? 1) - 1;
			if (left > 0) map.set(key, left);
			else map.delete(key);
		};
		less(this.#byAddress, address);
		less(this.#byWorkshop, workshopId);
	}
}
