import type { Language } from '../domain/types';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: string; status: number };

/**
 * fetch for our JSON API: adds the facilitator key and the reader's language, and turns every
 * failure (network or `{ error }` body) into a message that can be shown as is.
 */
export async function callApi<T>(
	path: string,
	options: { method?: string; key?: string; language: Language; body?: BodyInit; contentType?: string; networkError: string }
): Promise<ApiResult<T>> {
	const headers: Record<string, string> = { 'accept-language': options.language };
	if (options.key) headers.authorization = `Bearer ${options.key}`;
	if (options.contentType) headers['content-type'] = options.contentType;
	let response: Response;
	try {
		response = await fetch(path, { method: options.method ?? 'GET', headers, body: options.body });
	} catch {
		return { ok: false, error: options.networkError, status: 0 };
	}
	if (!response.ok) {
		const body = (await response.json().catch(() => null)) as { error?: string; message?: string } | null;
		return { ok: false, error: body?.error ?? body?.message ?? `${response.status} ${response.statusText}`, status: response.status };
	}
	const type = response.headers.get('content-type') ?? '';
	const value = (type.includes('application/json') && !response.headers.has('content-disposition')
		? await response.json()
		: await response.blob()) as T;
	return { ok: true, value };
}

/** Offers a blob to the user as a file download. */
export function saveBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
