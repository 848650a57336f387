import { translate, type MessageKey, type MessageParams } from '../i18n/translate';

/**
 * A problem the user can fix. Carries a catalogue key so each reader gets it in their language;
 * `message` is the English text for logs and API clients that ask for nothing else.
 */
export class UserError extends Error {
	constructor(
		readonly key: MessageKey,
		readonly params: MessageParams = {},
		readonly status = 400
	) {
		super(translate('en', key, params));
		this.name = 'UserError';
	}
}
