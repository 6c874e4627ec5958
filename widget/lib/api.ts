import type {
  CreateVisitorResponse,
  ErrorBody,
  ListThreadsResponse,
  SiteView,
  ThreadWithPosts,
  VisitorView,
} from '../../server/protocol.js';
import type { ShownError } from '../i18n.js';
import { readJson, STORAGE_PREFIX, writeJson } from './storage.js';

/** A refused or failed request; `error.code` is a protocol ErrorCode or `network`. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly error: ShownError) {
    super(error.code);
  }
}

export interface Identity {
  token: string;
  visitor: VisitorView;
  expiresAt: string;
}

// Widgets of one page share one identity per server, and one request to create it.
const pendingIdentity = new Map<string, Promise<Identity>>();
// A token this close to expiry is renewed before use rather than refused mid-post.
const EXPIRY_MARGIN_MS = 60_000;

/** The server's address, path prefix included, without a trailing slash; throws on a URL that does not parse. */
export function serverBase(serverUrl: string): string {
  const url = new URL(serverUrl);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** REST calls to one server. Holds no view state; the ForumController decides what to do with the answers. */
export class ApiClient {
  readonly origin: string;
  /** The server's address, path prefix included, without a trailing slash. */
  readonly base: string;

  /** Throws on a base URL that does not parse. A path prefix (https://host/osg/) is kept. */
  constructor(baseUrl: string) {
    this.base = serverBase(baseUrl);
    this.origin = new URL(this.base).origin;
  }

  /** The WebSocket address beside the REST API. */
  get socketUrl(): string {
    return `${this.base.replace(/^http/, 'ws')}/ws`;
  }

  get identityKey(): string {
    return `${STORAGE_PREFIX}${this.origin}`;
  }

  site(site: string): Promise<SiteView> {
    return this.request(`/api/sites/${encodeURIComponent(site)}`);
  }

  threads(site: string, query: { q?: string; status?: string; cursor?: string; limit?: number }): Promise<ListThreadsResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value) params.set(key, String(value));
    const search = params.size ? `?${params}` : '';
    return this.request(`/api/sites/${encodeURIComponent(site)}/threads${search}`);
  }

  /** With the visitor's token when there is one: then `myVotes`, `myFlags` and their own hidden answers. */
  thread(id: string): Promise<ThreadWithPosts> {
    const path = `/api/threads/${encodeURIComponent(id)}`;
    const token = readJson<Identity>(this.identityKey)?.token;
    // A refused token must not hide the thread: it is readable without one.
    return this.request<ThreadWithPosts>(path, { token }).catch((error) =>
      token && error instanceof ApiError && error.status === 401 ? this.request(path) : Promise.reject(error),
    );
  }

  /** The stored identity if still valid, else a new one from the server. */
  identity(): Promise<Identity> {
    const stored = readJson<Identity>(this.identityKey);
    if (stored?.token && Date.parse(stored.expiresAt) - EXPIRY_MARGIN_MS > Date.now()) return Promise.resolve(stored);
    let pending = pendingIdentity.get(this.origin);
    if (!pending) {
      pending = this.request<CreateVisitorResponse>('/api/visitors', { method: 'POST', body: {} })
        .then((identity) => {
          writeJson(this.identityKey, identity);
          return identity;
        })
        .finally(() => pendingIdentity.delete(this.origin));
      pendingIdentity.set(this.origin, pending);
    }
    return pending;
  }

  /** Forgets a token the server refused, so the next identity() asks for a new one. */
  forgetIdentity(token?: string): void {
    const stored = readJson<Identity>(this.identityKey);
    if (!token || stored?.token === token) writeJson(this.identityKey, undefined);
  }

  /** A request to the server; with `token`, as that visitor. A public GET needs only the path. */
  async request<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch {
      throw new ApiError(0, { code: 'network' });
    }
    const json = await response.json().catch(() => undefined);
    if (!response.ok) {
      const body = (json as { error?: ErrorBody } | undefined)?.error;
      throw new ApiError(response.status, body?.code ? body : { code: response.status >= 500 ? 'internal' : 'bad_request' });
    }
    return json as T;
  }
}
