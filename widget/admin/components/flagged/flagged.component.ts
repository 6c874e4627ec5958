import { html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { FlaggedPostView } from '../../../../server/protocol.js';
import baseStyles from '../../../styles/base.styles.js';
import { adminMessages, errorMessage, formatTime, type AdminError, type FlagStatus } from '../../i18n.js';
import { announce } from '../../lib/events.js';
import { LoadController } from '../../lib/load.controller.js';
import { toAdminError, type OfficerApiLike } from '../../lib/officer-api.js';
import { sectionStyles } from '../../styles/admin.styles.js';
import { errorLine, loadingLine, memberLine } from '../parts.js';

const STATUSES: FlagStatus[] = ['pending', 'removed'];

/**
 * @summary "Laporan": answers hidden by members' flags, with the thread title, the answer as plain text and
 * every flag; "Pulihkan" restores an answer, "Hapus" keeps it hidden for good.
 *
 * @event osg-admin-announce - The result of a review, for the page's live region.
 * @event osg-admin-open-member - The officer wants to see the author or a flagger.
 * @csspart flagged - One flagged answer. @csspart answer-text - Its text. @csspart restore / remove - Its actions.
 */
export class OsgAdminFlagged extends LitElement {
  static styles = [baseStyles, sectionStyles];

  private readonly list = new LoadController<FlaggedPostView[]>(this);

  @query('h2') private heading?: HTMLElement;

  @property({ attribute: false }) api?: OfficerApiLike;
  @property({ attribute: false }) t = adminMessages('id');
  @property() status: FlagStatus = 'pending';

  @state() private busy?: string;
  @state() private actionError?: { postId: string; error: AdminError };

  connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  private onStatus(event: Event): void {
    this.status = (event.target as HTMLSelectElement).value as FlagStatus;
    void this.reload();
  }

  private async review(item: FlaggedPostView, action: 'restore' | 'remove'): Promise<void> {
    const api = this.api;
    if (!api || this.busy) return;
    this.busy = item.post.id;
    this.actionError = undefined;
    try {
      if (action === 'restore') await api.restorePost(item.post.id);
      else await api.removePost(item.post.id);
      this.list.set((this.list.value ?? []).filter((each) => each.post.id !== item.post.id));
      announce(this, action === 'restore' ? this.t.restored : this.t.removedDone);
      this.heading?.focus();
    } catch (error) {
      this.actionError = { postId: item.post.id, error: toAdminError(error) };
    } finally {
      this.busy = undefined;
    }
  }

  reload(): Promise<void> {
    const api = this.api;
    if (!api) return Promise.resolve();
    return this.list.load(() => api.flagged(this.status));
  }

  focusHeading(): void {
    this.heading?.focus();
  }

  private renderItem(item: FlaggedPostView) {
    const t = this.t;
    const { post, thread, flags } = item;
    const error = this.actionError?.postId === post.id ? this.actionError.error : undefined;
    const headingId = `flagged-${post.id}`;
    return html`<li class="card" part="flagged" data-post=${post.id} aria-labelledby=${headingId}>
      <h3 id=${headingId} class="thread-title">${thread.title}</h3>
      <p class="muted"><span class="code">${thread.site}</span> · ${formatTime(t, post.createdAt)}</p>
      <div>${post.author ? memberLine(t, post.author) : html`<span class="name">${post.authorName}</span>`}</div>
      <p class="text answer-text" part="answer-text">${post.body}</p>
      <h4>${t.flags} (${flags.length})</h4>
      <ul>
        ${flags.map(
          (flag) => html`<li>
            <strong>${t.reasons[flag.reason] ?? flag.reason}</strong> · ${t.weight(flag.weight)} · ${formatTime(t, flag.at)} ·
            ${memberLine(t, flag.member)}
          </li>`,
        )}
      </ul>
      <div class="actions">
        <button type="button" class="primary" part="restore" ?disabled=${this.busy !== undefined} @click=${() => this.review(item, 'restore')}>
          ${t.restore}<span class="sr-only">: ${thread.title}</span>
        </button>
        ${this.status === 'pending'
          ? html`<button type="button" class="danger" part="remove" ?disabled=${this.busy !== undefined} @click=${() => this.review(item, 'remove')}>
              ${t.remove}<span class="sr-only">: ${thread.title}</span>
            </button>`
          : nothing}
      </div>
      ${error ? html`<p class="error" role="alert">${errorMessage(t, error)}</p>` : nothing}
    </li>`;
  }

  render() {
    const t = this.t;
    const state = this.list.state;
    const items = this.list.value;
    return html`<section aria-labelledby="flagged-heading">
      <h2 id="flagged-heading" tabindex="-1">${t.sections.flagged}</h2>
      <div class="toolbar">
        <div>
          <label for="status">${t.show}</label>
          <select id="status" @change=${this.onStatus}>
            ${STATUSES.map((status) => html`<option value=${status} ?selected=${status === this.status}>${t.flagStatus[status]}</option>`)}
          </select>
        </div>
        <button type="button" @click=${() => this.reload()}>${t.refresh}</button>
      </div>
      ${loadingLine(t, state.status === 'loading')}
      ${state.status === 'error' ? errorLine(t, state.error, () => this.reload()) : nothing}
      ${items && state.status !== 'error'
        ? items.length === 0
          ? html`<p class="muted state empty">${t.flaggedEmpty[this.status]}</p>`
          : html`<ul class="cards" aria-label=${t.sections.flagged}>${items.map((item) => this.renderItem(item))}</ul>`
        : nothing}
    </section>`;
  }
}
