import { UserError } from '../../domain/errors';

/** What a failed disk operation means to the person who asked for it: which problem, not a raw system error. */
export function storageFailure(error: unknown): UserError {
	if (error instanceof UserError) return error;
	switch ((error as NodeJS.ErrnoException).code) {
		case 'ENOSPC':
		case 'EDQUOT':
		case 'EFBIG':
			return new UserError('error.storage.full', {}, 507);
		case 'EMFILE':
		case 'ENFILE':
			return new UserError('error.storage.files', {}, 503);
		case 'EACCES':
		case 'EPERM':
		case 'EROFS':
		case 'ENOTDIR':
			return new UserError('error.storage.readOnly', {}, 503);
		default:
			return new UserError('error.storage', {}, 503);
	}
}

/**
 * Runs a storage operation; a failure is logged for the operator (with what was being done) and
 * reaches the user as a storage error that says which problem it is (503 or 507: try again later).
 */
export async function onDisk<T>(what: string, operation: () => Promise<T>): Promise<T> {
	try {
		return await operation();
	} catch (error) {
		if (!(error instanceof UserError)) console.error(`Could not ${what}:`, (error as Error).message);
		throw storageFailure(error);
	}
}
