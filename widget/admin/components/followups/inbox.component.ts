import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { OfficerMeView, QueueItem, QueueResponse, ServerMessage } from '../../../../server/protocol.js';
import type { AdminError } from '../../i18n.js';
import { recentlyActive } from '../../lib/activity.js';
import { announce } from '../../lib/events.js';
import { compareItems, matchesFilters } from '../../lib/follow-up-format.js';
import { LoadController } from '../../lib/load.controller.js';
import { NO_FILTERS, toAdminError, type QueueFilters } from '../../lib/officer-api.js';
import type { OfficerLiveController } from '../../lib/officer-live.controller.js';
import { errorLine, loadStatus } from '../parts.js';
import { AdminSection } from '../section.js';
import followUpStyles from './followups.styles.js';
import { queueFilters } from './queue-filters.js';
import { queueRow } from './queue-row.js';

const PAGE = 20;
/** The most rows one read may bring (WIRE_LIMITS.maxPageSize). */
const MAX_PAGE = 50;
/** "sisa 2 jam kerja" is the server's figure at the time of the read: the rows shown are read again this often. */
const REFRESH_MS = 60_000;

/**
 * @summary The follow-up inbox: one list over every site of the officer, soonest due first, with filters,
 * counts per status and SLA state, "Muat lagi" paging and live changes from the officers' WebSocket.
 *
 * @event osg-admin-open-follow-up - A row's title was pressed.
 * @event osg-admin-announce - A follow-up arrived live.
 * @csspart queue-row - One follow-up. @csspart load-more - The paging button.
 */
export class OsgAdminInbox extends AdminSection {
  static styles = [...AdminSection.styles, followUpStyles];

  private readonly page = new LoadController<QueueResponse>(this);

  @property({ attribute: false }) me?: OfficerMeView;
  @property({ attribute: false }) live?: OfficerLiveController;
  @property({ attribute: false }) unread: ReadonlySet<string> = new Set();

  @state() private filters: QueueFilters = { ...NO_FILTERS };
  @state() private words = '';
  @state() private items: QueueItem[] = [];
  @state() private nextCursor?: string;
  @state() private counts?: QueueResponse['counts'];
  @state() private loadingMore = false;
  @state() private moreError?: AdminError;
  private unlisten?: () => void;
  private countsTimer?: ReturnType<typeof setTimeout>;
  private refreshTimer?: ReturnType<typeof setInterval>;

  connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
    this.refreshTimer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
    this.unlisten = undefined;
    clearTimeout(this.countsTimer);
    clearInterval(this.refreshTimer);
  }

  /** Reads the rows shown again, quietly (no "Memuat…"), so that time left and SLA states stay current. */
  private async refresh(): Promise<void> {
    const api = this.api;
    if (!api || !recentlyActive() || this.page.state.status !== 'done' || this.loadingMore || this.items.length > MAX_PAGE) return;
    const filters = this.filters;
    try {
      const fresh = await api.queue(filters, undefined, Math.max(PAGE, this.items.length));
      if (filters !== this.filters || this.loadingMore) return;
      this.items = fresh.items;
      this.nextCursor = fresh.nextCursor;
      this.counts = fresh.counts;
    } catch {
      // The next refresh, change or reload brings them.
    }
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('live') || !this.unlisten) {
      this.unlisten?.();
      this.unlisten = this.live?.listen((message) => this.onLive(message));
    }
  }

  /** Loads the first page for the filters, replacing the list. */
  async reload(): Promise<void> {
    const api = this.api;
    if (!api) return;
    const filters = this.filters;
    await this.page.load(() => api.queue(filters, undefined, PAGE));
    const value = this.page.value;
    if (this.page.state.status === 'done' && value) {
      this.items = value.items;
      this.nextCursor = value.nextCursor;
      this.counts = value.counts;
      this.moreError = undefined;
    }
  }

  /** Moves the focus to a row's title (after going back from its thread). */
  focusRow(threadId: string): void {
    const button = this.renderRoot.querySelector<HTMLElement>(`button.thread-title[data-thread="${CSS.escape(threadId)}"]`);
    (button ?? this.heading)?.focus();
  }

  private async loadMore(): Promise<void> {
    const api = this.api;
    const cursor = this.nextCursor;
    if (!api || !cursor || this.loadingMore) return;
    this.loadingMore = true;
    this.moreError = undefined;
    try {
      const next = await api.queue(this.filters, cursor, PAGE);
      const known = new Set(this.items.map((item) => item.thread.id));
      const fresh = next.items.filter((item) => !known.has(item.thread.id));
      this.items = [...this.items, ...fresh];
      this.nextCursor = next.nextCursor;
      this.counts = next.counts;
      await this.updateComplete;
      // Keyboard users continue where the new rows begin.
      if (fresh[0]) this.focusRow(fresh[0].thread.id);
    } catch (error) {
      this.moreError = toAdminError(error);
    } finally {
      this.loadingMore = false;
    }
  }

  private onFilters(change: Partial<QueueFilters>): void {
    this.filters = { ...this.filters, ...change };
    void this.reload();
  }

  private onSearch(event: Event): void {
    event.preventDefault();
    this.onFilters({ q: this.words.trim() });
  }

  private onLive(message: ServerMessage): void {
    // After a reconnect (or a change of sites) frames may have been missed: the list is read again.
    if (message.type === 'officer-welcome' && this.page.state.status !== 'idle') return void this.reload();
    if (message.type !== 'queue') return;
    this.upsert(message.item);
    this.scheduleCounts();
  }

  private upsert(item: QueueItem): void {
    const id = item.thread.id;
    const index = this.items.findIndex((each) => each.thread.id === id);
    const current = this.items[index];
    if (current && current.followUp.version > item.followUp.version) return;
    const fits = matchesFilters(item, this.filters, this.me?.officer.id) || (index >= 0 && matchesFilters(item, { ...this.filters, q: '' }, this.me?.officer.id));
    const rest = this.items.filter((each) => each.thread.id !== id);
    if (!fits) {
      if (index >= 0) this.items = rest;
      return;
    }
    // Kept in due order even past the loaded pages (a new follow-up is usually due last): an arrival must be
    // seen at once, and "Muat lagi" later fills in the rows before it (deduplicated).
    this.items = [...rest, item].sort(compareItems);
    if (index < 0) announce(this, this.t.fu.arrived(item.followUp.tracking, item.thread.title));
  }

  /**
   * Counts come from the server (they cover every follow-up, not only the loaded rows); one read per burst, and
   * only while the officer is active (lib/activity.ts).
   */
  private scheduleCounts(): void {
    clearTimeout(this.countsTimer);
    if (!recentlyActive()) return;
    this.countsTimer = setTimeout(async () => {
      const api = this.api;
      if (!api) return;
      try {
        this.counts = (await api.queue({ ...NO_FILTERS, site: this.filters.site }, undefined, 1)).counts;
      } catch {
        // The next change or reload brings them.
      }
    }, 300);
  }

  render() {
    const t = this.t;
    const me = this.me;
    if (!me) return nothing;
    const siteNames = new Map(me.sites.map((site) => [site.id, site.name]));
    const state = this.page.state;
    return html`
      ${queueFilters(t, {
        me,
        filters: this.filters,
        words: this.words,
        counts: this.counts,
        onChange: (change) => this.onFilters(change),
        onWords: (words) => (this.words = words),
        onSearch: (event) => this.onSearch(event),
      })}
      ${loadStatus(t, state, () => void this.reload())}
      ${state.status === 'idle' || (state.status === 'loading' && this.items.length === 0)
        ? nothing
        : this.items.length === 0
          ? html`<p class="muted state empty">${t.fu.empty}</p>`
          : html`<p class="muted" aria-live="off">${t.fu.shown(this.items.length)}</p>
              <ul class="cards queue" aria-label=${t.sections.followups}>
                ${repeat(
                  this.items,
                  (item) => item.thread.id,
                  (item) => queueRow(t, item, { unread: this.unread.has(item.thread.id), siteName: siteNames.get(item.followUp.site) ?? item.followUp.site }),
                )}
              </ul>`}
      ${this.nextCursor
        ? html`<button type="button" part="load-more" class="load-more" ?disabled=${this.loadingMore} @click=${this.loadMore}>
            ${this.loadingMore ? t.loading : t.fu.loadMore}
          </button>`
        : nothing}
      ${errorLine(t, this.moreError, () => void this.loadMore())}
    `;
  }
}
