import { html, LitElement, nothing } from 'lit';
import type { MemberSummary, SiteView, ThreadView } from '../../../server/protocol.js';
import type { ListState } from '../../controllers/forum.controller.js';
import { errorMessage, relativeTime, type Messages } from '../../i18n.js';
import { emit } from '../../lib/emit.js';
import type { OutboxItem } from '../../lib/outbox.js';
import { authorOf } from '../../lib/thread-data.js';
import baseStyles from '../../styles/base.styles.js';
import { renderFollowUpChip } from '../follow-up/follow-up-chip.js';
import { renderAuthor } from '../member/author.js';
import styles from './thread-list.styles.js';

// Long enough that a typist's pause, not each key, sends a search.
const SEARCH_DEBOUNCE_MS = 300;

/**
 * @summary The list view: search, filter, the threads, load more and the ask button.
 *
 * @event osg-search - `{ q }` after typing stops.
 * @event osg-filter - `{ status: 'all' | 'unanswered' }`.
 * @event osg-open - `{ threadId }`.
 * @event osg-ask - The ask button was pressed.
 * @event osg-load-more - The next page is wanted.
 * @event osg-retry - Loading failed and the visitor wants another try.
 *
 * @csspart heading - The view's heading.
 * @csspart ask - Button that opens the ask form.
 * @csspart search - The search box.
 * @csspart filter - The group of filter buttons.
 * @csspart thread-list - The list of threads.
 * @csspart thread - One listed thread (also on posts still being sent, with `pending`).
 * @csspart pending - A question still in the outbox.
 * @csspart load-more - The "load more" button.
 * @csspart empty - The message shown when there is nothing to list.
 * @csspart error - A loading error with its retry button.
 * @csspart level / badge-officer / badge-verified - The asker's level chip and badges.
 * @csspart follow-up-chip - "Ditangani petugas" / "Selesai" on a thread in the officers' follow-up queue.
 */
export class OsgThreadList extends LitElement {
  static styles = [baseStyles, styles];
  static properties = {
    t: { attribute: false },
    list: { attribute: false },
    site: { attribute: false },
    pending: { attribute: false },
    online: { type: Boolean },
    now: { type: Number },
    members: { attribute: false },
  };

  t!: Messages;
  list!: ListState;
  site?: SiteView;
  pending: readonly OutboxItem[] = [];
  online = false;
  now = Date.now();
  members: ReadonlyMap<string, MemberSummary> = new Map();

  #searchTimer?: ReturnType<typeof setTimeout>;

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
  }

  #handleSearch(event: InputEvent): void {
    const q = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => emit(this, 'osg-search', { q }), SEARCH_DEBOUNCE_MS);
  }

  focusHeading(): void {
    this.renderRoot.querySelector('h2')?.focus();
  }

  #categoryLabel(id: string): string {
    return this.site?.categories.find((category) => category.id === id)?.label[this.t.locale] ?? id;
  }

  #renderThread(thread: ThreadView) {
    const t = this.t;
    return html`<li part="thread">
      <button class="open" @click=${() => emit(this, 'osg-open', { threadId: thread.id })}>
        <span class="title">${thread.title}</span>
        <span class="muted">
          ${this.#categoryLabel(thread.category)} · ${t.by} ${renderAuthor(t, authorOf(this.members, thread))} ·
          <time datetime=${thread.createdAt}>${relativeTime(t, thread.createdAt, this.now)}</time> ·
          <span class=${thread.answerCount ? 'answered' : ''}>${t.answers(thread.answerCount)}</span>
          ${renderFollowUpChip(t, thread.followUp)}
        </span>
      </button>
    </li>`;
  }

  #renderPending(item: OutboxItem) {
    if (item.kind !== 'ask') return nothing;
    return html`<li part="thread pending" class="pending" data-client-id=${item.clientId}>
      <span class="title">${item.title}</span>
      <span class="muted">${this.#categoryLabel(item.category)} · ${this.online ? this.t.sending : this.t.waiting}</span>
    </li>`;
  }

  render() {
    const { t, list } = this;
    const asks = this.pending.filter((item) => item.kind === 'ask');
    const empty = !list.loading && !list.error && !list.threads.length && !asks.length;
    return html`
      <div class="bar">
        <h2 part="heading" tabindex="-1">${this.site?.name ?? t.heading}</h2>
        <button part="ask" class="primary" @click=${() => emit(this, 'osg-ask')}>${t.ask}</button>
      </div>
      <div class="tools" role="search">
        <label class="sr-only" for="q">${t.search}</label>
        <input id="q" part="search" type="search" .value=${list.q} placeholder=${t.searchPlaceholder}
          maxlength="100" @input=${this.#handleSearch} />
        <div part="filter" role="group" aria-label=${t.filterLabel} class="row">
          <button aria-pressed=${list.status === 'all'} @click=${() => emit(this, 'osg-filter', { status: 'all' })}>
            ${t.filterLatest}
          </button>
          <button aria-pressed=${list.status === 'unanswered'}
            @click=${() => emit(this, 'osg-filter', { status: 'unanswered' })}>${t.filterUnanswered}</button>
        </div>
      </div>
      ${list.loading ? html`<p part="loading" class="muted">${t.loading}</p>` : nothing}
      ${list.error
        ? html`<p part="error" class="error" role="alert">
            ${errorMessage(t, list.error)}
            <button @click=${() => emit(this, 'osg-retry')}>${t.retry}</button>
          </p>`
        : nothing}
      ${empty ? html`<p part="empty" class="muted">${list.q.trim() ? t.emptySearch : t.emptyList}</p>` : nothing}
      <ul part="thread-list" aria-label=${t.threadsLabel} aria-busy=${list.loading}>
        ${asks.map((item) => this.#renderPending(item))} ${list.threads.map((thread) => this.#renderThread(thread))}
      </ul>
      ${list.nextCursor
        ? html`<div class="more">
            <button part="load-more" ?disabled=${list.loadingMore} @click=${() => emit(this, 'osg-load-more')}>
              ${list.loadingMore ? t.loading : t.loadMore}
            </button>
          </div>`
        : nothing}
    `;
  }
}
