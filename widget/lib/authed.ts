import type { ApiClient, ApiError } from './api.js';

/**
 * A request as the visitor (Bearer token); a refused token is forgotten and the request sent once more with a
 * new identity. Only the on-demand module sends such requests (votes, reports, edits, profile), so this lives
 * there; it imports nothing by value from the main bundle, which is why an ApiError is recognised by shape.
 */
export async function authed<T>(api: ApiClient, path: string, method = 'GET', body?: unknown): Promise<T> {
  const send = async () => api.request<T>(path, { method, body, token: (await api.identity()).token });
  try {
    return await send();
  } catch (error) {
    if ((error as Partial<ApiError> | undefined)?.status !== 401) throw error;
    api.forgetIdentity();
    return send();
  }
}
