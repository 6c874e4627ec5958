import type { ThreadView } from '../../server/protocol.js';
import type { ShownError } from '../i18n.js';
import { ApiError, type ApiClient } from '../lib/api.js';

export type ListFilter = 'all' | 'unanswered';

export interface ListState {
  threads: ThreadView[];
  nextCursor?: string;
  loading: boolean;
  loadingMore: boolean;
  error?: ShownError;
  q: string;
  status: ListFilter;
}

export const emptyList = (): ListState => ({ threads: [], loading: true, loadingMore: false, q: '', status: 'all' });
export const toShown = (error: unknown): ShownError =>
  error instanceof ApiError ? error.error : { code: 'internal' };

/**
 * The thread list of one site: search, filter, pages and threads that arrive live. Owned by the
 * ForumController, which tells it the API and hears about each page's `seq` and store generation.
 */
export class ThreadListLoader {
  state: ListState = emptyList();

  #request = 0;
  /** Threads added live since the current list request started, newest first. */
  #arrived: ThreadView[] = [];

  constructor(
    private readonly source: () => { api?: ApiClient; site: string },
    private readonly changed: (pageSeq?: number, generation?: string) => void,
  ) {}

  reset(): void {
    this.state = emptyList();
  }

  search(q: string): void {
    if (q === this.state.q) return;
    this.state = { ...this.state, q };
    void this.reload();
  }

  filter(status: ListFilter): void {
    if (status === this.state.status) return;
    this.state = { ...this.state, status };
    void this.reload();
  }

  async reload(): Promise<void> {
    const { api, site } = this.source();
    if (!api) return;
    const request = ++this.#request;
    this.#arrived = [];
    this.state = { ...this.state, loading: true, error: undefined };
    this.changed();
    try {
      const page = await api.threads(site, this.#query());
      if (request !== this.#request) return;
      // Threads that arrived live while the page was on its way may be newer than the page: keep them.
      const inPage = new Set(page.threads.map((thread) => thread.id));
      const threads = [...this.#arrived.filter((thread) => !inPage.has(thread.id)), ...page.threads];
      this.state = { ...this.state, threads, nextCursor: page.nextCursor, loading: false };
      this.changed(page.seq, page.generation);
    } catch (error) {
      if (request !== this.#request) return;
      this.state = { ...this.state, loading: false, error: toShown(error) };
      this.changed();
    }
  }

  async loadMore(): Promise<void> {
    const { api, site } = this.source();
    const { nextCursor, loadingMore } = this.state;
    if (!api || !nextCursor || loadingMore) return;
    const request = this.#request;
    this.state = { ...this.state, loadingMore: true, error: undefined };
    this.changed();
    try {
      const page = await api.threads(site, this.#query(nextCursor));
      if (request !== this.#request) return;
      const known = new Set(this.state.threads.map((thread) => thread.id));
      const threads = [...this.state.threads, ...page.threads.filter((thread) => !known.has(thread.id))];
      this.state = { ...this.state, threads, nextCursor: page.nextCursor, loadingMore: false };
    } catch (error) {
      if (request !== this.#request) return;
      this.state = { ...this.state, loadingMore: false, error: toShown(error) };
    }
    this.changed();
  }

  /** Adds a thread to the top of the list if it belongs there; true if it was new. */
  /** The list's search and filter as the API takes them. */
  #query(cursor?: string) {
    const { q, status } = this.state;
    return { q: q.trim(), status: status === 'all' ? '' : status, cursor };
  }

  add(thread: ThreadView): boolean {
    if (thread.site !== this.source().site || this.state.threads.some((known) => known.id === thread.id)) return false;
    const { q, status } = this.state;
    if (status === 'unanswered' && thread.status !== 'unanswered') return false;
    const text = `${thread.title} ${thread.body}`.toLowerCase();
    if (!q.toLowerCase().split(/\s+/).every((word) => text.includes(word))) return false;
    this.state = { ...this.state, threads: [thread, ...this.state.threads] };
    this.#arrived = [thread, ...this.#arrived];
    return true;
  }

  /** Merges new fields into a listed thread. */
  patch(change: Partial<ThreadView> & { id: string }): void {
    const threads = this.state.threads.map((thread) => (thread.id === change.id ? { ...thread, ...change } : thread));
    this.state = { ...this.state, threads };
  }
}
