import type {
  AuditEntryView,
  ErrorBody,
  FlaggedPostView,
  FollowUpStatus,
  ListThreadsResponse,
  NotificationView,
  OfficerAnswerResponse,
  OfficerMeView,
  OfficerThreadView,
  QueueItem,
  QueueResponse,
  OfficerLoginResponse,
  OfficerMemberView,
  PostView,
  ProfileView,
  SiteView,
  ThreadWithPosts,
  VerificationRequestView,
} from '../../../server/protocol.js';
import type { AdminError, FlagStatus, RequestStatus } from '../i18n.js';
import { newClientId } from './client-id.js';
import { OfficerSession } from './session.js';

/** A refused or failed request; `error.code` is a protocol ErrorCode or `network`. */
export class AdminApiError extends Error {
  constructor(readonly status: number, readonly error: AdminError) {
    super(error.code);
  }
}

/** What the sections need from the server; tests pass a stand-in with canned answers. */
export interface OfficerApiLike {
  /** The officer token for the live connection's `officer-hello`. */
  readonly token?: string;
  /** The `ws(s)://…/ws` address of the server. */
  readonly liveUrl: string;
  verificationRequests(status: RequestStatus): Promise<VerificationRequestView[]>;
  approve(requestId: string, note?: string): Promise<VerificationRequestView>;
  reject(requestId: string, note?: string): Promise<VerificationRequestView>;
  member(memberId: string): Promise<OfficerMemberView>;
  revokeVerification(memberId: string, note?: string): Promise<ProfileView>;
  reverseVotes(memberId: string): Promise<{ reversed: number }>;
  flagged(status: FlagStatus): Promise<FlaggedPostView[]>;
  restorePost(postId: string): Promise<PostView>;
  removePost(postId: string): Promise<PostView>;
  audit(memberId?: string): Promise<AuditEntryView[]>;
  site(siteId: string): Promise<SiteView>;
  threads(siteId: string): Promise<ListThreadsResponse>;
  thread(threadId: string): Promise<ThreadWithPosts>;
  answer(threadId: string, body: string, clientId?: string): Promise<PostView>;
  endorse(postId: string, endorsed: boolean): Promise<PostView>;
  me(): Promise<OfficerMeView>;
  queue(filters: QueueFilters, cursor?: string, limit?: number): Promise<QueueResponse>;
  officerThread(threadId: string): Promise<OfficerThreadView>;
  setStatus(threadId: string, status: FollowUpStatus, version: number): Promise<QueueItem>;
  assign(threadId: string, officerId: string | null, version: number): Promise<QueueItem>;
  officerAnswer(threadId: string, body: string, clientId: string, followUpVersion?: number): Promise<OfficerAnswerResponse>;
  notifications(): Promise<{ notifications: NotificationView[]; unread: number }>;
  markRead(ids: string[]): Promise<void>;
}

/** The inbox's filters as the queue route takes them; '' means "any". */
export interface QueueFilters {
  site: string;
  category: string;
  status: string;
  /** `me`, `none` or an officer id. */
  assignee: string;
  sla: string;
  q: string;
}

export const NO_FILTERS: QueueFilters = { site: '', category: '', status: '', assignee: '', sla: '', q: '' };

interface RequestInit {
  method?: string;
  body?: unknown;
  /** Send the officer token (default true). */
  auth?: boolean;
}

/**
 * The officers' REST calls to one server, with the token from the session. A 401 on an authenticated call
 * ends the session and tells the page through `onSessionEnded`, so every section signs out the same way.
 */
export class OfficerApi implements OfficerApiLike {
  readonly session: OfficerSession;
  /**
   * Called when the server refuses the token: `session_ended` (signed out elsewhere, replaced by a newer
   * sign-in, idle, password changed, account removed), `token_expired`, or `unauthorized`.
   */
  onSessionEnded?: (error: AdminError) => void;
  private readonly base: string;

  /** `baseUrl` '' means the page's own origin: the admin page is served by the server at /admin/. */
  constructor(baseUrl = '') {
    const url = new URL(baseUrl || location.origin, location.href);
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.session = new OfficerSession(url.origin);
  }

  async login(username: string, password: string): Promise<OfficerLoginResponse> {
    const login = await this.request<OfficerLoginResponse>('/api/officer/login', {
      method: 'POST',
      body: { username, password },
      auth: false,
    });
    this.session.save(login);
    return login;
  }

  /**
   * Ends the session on the server, then forgets the token whatever the answer: the page signs out even
   * offline. Resolves `false` when the server could not be told (its session then ends when idle).
   */
  async logout(): Promise<boolean> {
    const token = this.session.value?.token;
    this.session.clear();
    if (!token) return true;
    try {
      const response = await fetch(`${this.base}/api/officer/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
      // 401: the session was already over, which is what signing out wants.
      return response.ok || response.status === 401;
    } catch {
      return false;
    }
  }

  async verificationRequests(status: RequestStatus): Promise<VerificationRequestView[]> {
    const { requests } = await this.request<{ requests: VerificationRequestView[] }>(
      `/api/officer/verification-requests?status=${encodeURIComponent(status)}`,
    );
    return requests;
  }

  approve(requestId: string, note?: string): Promise<VerificationRequestView> {
    return this.request(`/api/officer/verification-requests/${enc(requestId)}/approve`, { method: 'POST', body: noteBody(note) });
  }

  reject(requestId: string, note?: string): Promise<VerificationRequestView> {
    return this.request(`/api/officer/verification-requests/${enc(requestId)}/reject`, { method: 'POST', body: noteBody(note) });
  }

  member(memberId: string): Promise<OfficerMemberView> {
    return this.request(`/api/officer/members/${enc(memberId)}`);
  }

  revokeVerification(memberId: string, note?: string): Promise<ProfileView> {
    return this.request(`/api/officer/members/${enc(memberId)}/revoke-verification`, { method: 'POST', body: noteBody(note) });
  }

  reverseVotes(memberId: string): Promise<{ reversed: number }> {
    return this.request(`/api/officer/members/${enc(memberId)}/reverse-votes`, { method: 'POST', body: {} });
  }

  async flagged(status: FlagStatus): Promise<FlaggedPostView[]> {
    const { posts } = await this.request<{ posts: FlaggedPostView[] }>(`/api/officer/flagged?status=${encodeURIComponent(status)}`);
    return posts;
  }

  restorePost(postId: string): Promise<PostView> {
    return this.request(`/api/officer/posts/${enc(postId)}/restore`, { method: 'POST', body: {} });
  }

  removePost(postId: string): Promise<PostView> {
    return this.request(`/api/officer/posts/${enc(postId)}/remove`, { method: 'POST', body: {} });
  }

  async audit(memberId?: string): Promise<AuditEntryView[]> {
    const search = memberId ? `?memberId=${encodeURIComponent(memberId)}` : '';
    const { entries } = await this.request<{ entries: AuditEntryView[] }>(`/api/officer/audit${search}`);
    // Newest first whatever order the server keeps.
    return [...entries].sort((a, b) => b.at.localeCompare(a.at));
  }

  site(siteId: string): Promise<SiteView> {
    return this.request(`/api/sites/${enc(siteId)}`, { auth: false });
  }

  threads(siteId: string): Promise<ListThreadsResponse> {
    return this.request(`/api/sites/${enc(siteId)}/threads?limit=50`, { auth: false });
  }

  thread(threadId: string): Promise<ThreadWithPosts> {
    return this.request(`/api/threads/${enc(threadId)}`);
  }

  /** An official answer: the ordinary answer route, with the officer token. */
  answer(threadId: string, body: string, clientId = newClientId()): Promise<PostView> {
    return this.request(`/api/threads/${enc(threadId)}/posts`, { method: 'POST', body: { body, clientId } });
  }

  endorse(postId: string, endorsed: boolean): Promise<PostView> {
    return this.request(`/api/officer/posts/${enc(postId)}/endorsement`, { method: 'PUT', body: { endorsed } });
  }

  me(): Promise<OfficerMeView> {
    return this.request('/api/officer/me');
  }

  queue(filters: QueueFilters, cursor?: string, limit = 20): Promise<QueueResponse> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value.trim()) search.set(key, value.trim());
    if (cursor) search.set('cursor', cursor);
    search.set('limit', String(limit));
    return this.request(`/api/officer/queue?${search}`);
  }

  officerThread(threadId: string): Promise<OfficerThreadView> {
    return this.request(`/api/officer/threads/${enc(threadId)}`);
  }

  setStatus(threadId: string, status: FollowUpStatus, version: number): Promise<QueueItem> {
    return this.request(`/api/officer/threads/${enc(threadId)}/status`, { method: 'POST', body: { status, version } });
  }

  assign(threadId: string, officerId: string | null, version: number): Promise<QueueItem> {
    return this.request(`/api/officer/threads/${enc(threadId)}/assign`, { method: 'POST', body: { officerId, version } });
  }

  /** An official answer from the queue: refused with `stale_view` when the follow-up moved past `followUpVersion`. */
  officerAnswer(threadId: string, body: string, clientId: string, followUpVersion?: number): Promise<OfficerAnswerResponse> {
    return this.request(`/api/officer/threads/${enc(threadId)}/answers`, { method: 'POST', body: { body, clientId, followUpVersion } });
  }

  notifications(): Promise<{ notifications: NotificationView[]; unread: number }> {
    return this.request('/api/officer/notifications?limit=50');
  }

  async markRead(ids: string[]): Promise<void> {
    await this.request('/api/officer/notifications/read', { method: 'POST', body: { ids } });
  }

  get token(): string | undefined {
    return this.session.value?.token;
  }

  get liveUrl(): string {
    return `${this.base.replace(/^http/, 'ws')}/ws`;
  }

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const token = init.auth === false ? undefined : this.session.value?.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        cache: 'no-store',
      });
    } catch {
      throw new AdminApiError(0, { code: 'network' });
    }
    // 204 has no body.
    const json = response.status === 204 ? undefined : await response.json().catch(() => undefined);
    if (!response.ok) {
      const body = (json as { error?: ErrorBody } | undefined)?.error;
      const error: AdminError = body?.code ? body : { code: response.status >= 500 ? 'internal' : response.status === 404 ? 'not_found' : 'bad_request' };
      if (token && response.status === 401 && this.session.value?.token === token) {
        this.session.clear();
        this.onSessionEnded?.(error);
      }
      throw new AdminApiError(response.status, error);
    }
    return json as T;
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

function noteBody(note: string | undefined): { note?: string } {
  const trimmed = note?.trim();
  return trimmed ? { note: trimmed } : {};
}

/** The shown error for anything a call threw. */
export function toAdminError(error: unknown): AdminError {
  return error instanceof AdminApiError ? error.error : { code: 'internal' };
}
