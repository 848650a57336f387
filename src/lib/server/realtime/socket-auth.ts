import type { Socket } from 'socket.io';
import { UserError } from '../../domain/errors';
import type { Language } from '../../domain/types';
import { languageFromHeader, translate } from '../../i18n/translate';
import { describeZodError, facilitatorAuthSchema, languageSchema, memberAuthSchema, projectorAuthSchema } from '../../protocol';
import type { WorkshopService } from '../workshops/workshop-service';
import type { ParticipantRecord } from '../store/records';

/** Who a socket is, from its handshake: one check per kind of key. */
export type SocketData = (
	| { role: 'member'; workshopId: string; participantId: string; participantToken: string; name: string; pending?: ParticipantRecord }
	| { role: 'facilitator'; workshopId: string }
	| { role: 'projector'; workshopId: string; address: string }
) & {
	language: Language;
};

/** The language the client asked for in its auth, else its Accept-Language, else English. */
export function readerLanguage(socket: Socket): Language {
	const asked = languageSchema.safeParse((socket.handshake.auth as { language?: unknown } | undefined)?.language);
	if (asked.success) return asked.data;
	return languageFromHeader(socket.handshake.headers['accept-language'] ?? null) ?? 'en';
}

/** An Error for socket.io's connect_error: message in the reader's language, data.code to branch on. */
export function connectError(error: unknown, language: Language): Error {
	if (error instanceof UserError) {
		const failure = new Error(translate(language, error.key, error.params)) as Error & { data: unknown };
		failure.data = { code: error.key, status: error.status };
		return failure;
	}
	console.error('Socket connection failed:', error);
	return new Error(translate(language, 'error.internal'));
}

/**
 * Who a handshake's auth says the socket is: a projector (the key of its projector link), a
 * facilitator (the workshop's key) or a member (a join code, and a token to come back with).
 */
export async function authenticate(service: WorkshopService, auth: Record<string, unknown>, address: string, language: Language): Promise<SocketData> {
	if ('projectorFor' in auth) {
		const parsed = projectorAuthSchema.safeParse(auth);
		if (!parsed.success) throw new UserError('error.invalidInput', { detail: describeZodError(parsed.error) });
		await service.authenticateProjector(parsed.data.projectorFor, parsed.data.projectorKey ?? null);
		return { role: 'projector', workshopId: parsed.data.projectorFor, address, language };
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
		pending: joined.pending,
		language
	};
}
