import type { MessageKey } from '../i18n/messages';
import type { MatrixLevel } from './types';

/** The catalogue key of a risk level's name. */
export function levelKey(level: MatrixLevel): MessageKey {
	return level === 'high' ? 'matrix.level.high' : level === 'medium' ? 'matrix.level.medium' : 'matrix.level.low';
}
