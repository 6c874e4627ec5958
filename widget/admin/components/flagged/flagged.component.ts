import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { FlaggedPostView } from '../../../../server/protocol.js';
import { errorMessage, formatTime, type FlagStatus } from '../../i18n.js';
import { ActionController } from '../../lib/action.controller.js';
import { announce } from '../../lib/events.js';
import { LoadController } from '../../lib/load.controller.js';
import { loadedList, loadStatus, memberLine, sectionFrame, statusToolbar } from '../parts.js';
import { AdminSection } from '../section.js';

const STATUSES: FlagStatus[] = ['pending', 'removed'];

/**
 * @summary "Laporan": answers hidden by members' flags, with the thread title, the answer as plain text and
 * every flag; "Pulihkan" restores an answer, "Hapus" keeps it hidden for good.
 *
 * @event osg-admin-announce - The result of a review, for the page's live region.
 * @event osg-admin-open-member - The officer wants to see the author or a flagger.
 * @csspart flagged - One flagged answer. @csspart answer-text - Its text. @csspart restore / remove - Its actions.
 */
export class OsgAdminFlagged extends AdminSection {
  private readonly list = new LoadController<FlaggedPostView[]>(this);
  private readonly actions = new ActionController(this);

  @property() status: FlagStatus = 'pending';

  connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  private onStatus(status: FlagStatus): void {
    this.status = status;
    void this.reload();
  }

  private async review(item: FlaggedPostView, action: 'restore' | 'remove'): Promise<void> {
    const api = this.api;
    if (!api) return;
    await this.actions.run(item.post.id, async () => {
      if (action === 'restore') await api.restorePost(item.post.id);
      else await api.removePost(item.post.id);
      this.list.set((this.list.value ?? []).filter((each) => each.post.id !== item.post.id));
      announce(this, action === 'restore' ? this.t.restored : this.t.removedDone);
      this.heading?.focus();
    });
  }

  reload(): Promise<void> {
    const api = this.api;
    if (!api) return Promise.resolve();
    return this.list.load(() => api.flagged(this.status));
  }

  private renderItem(item: FlaggedPostView) {
    const t = this.t;
    const { post, thread, flags } = item;
    const error = this.actions.errorFor(post.id);
    const busy = this.actions.busy !== undefined;
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
        <button type="button" class="primary" part="restore" ?disabled=${busy} @click=${() => this.review(item, 'restore')}>
          ${t.restore}<span class="sr-only">: ${thread.title}</span>
        </button>
        ${this.status === 'pending'
          ? html`<button type="button" class="danger" part="remove" ?disabled=${busy} @click=${() => this.review(item, 'remove')}>
              ${t.remove}<span class="sr-only">: ${thread.title}</span>
            </button>`
          : nothing}
      </div>
      ${error ? html`<p class="error" role="alert">${errorMessage(t, error)}</p>` : nothing}
    </li>`;
  }

  render() {
    const t = this.t;
    return sectionFrame(t, 'flagged', html`
      ${statusToolbar(t, {
        statuses: STATUSES,
        labels: t.flagStatus,
        current: this.status,
        onChange: (status) => this.onStatus(status),
        onRefresh: () => this.reload(),
      })}
      ${loadStatus(t, this.list.state, () => this.reload())}
      ${loadedList(this.list.state, t.flaggedEmpty[this.status], (items) =>
        html`<ul class="cards" aria-label=${t.sections.flagged}>${items.map((item) => this.renderItem(item))}</ul>`)}
    `);
  }
}
