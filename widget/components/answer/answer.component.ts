import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { PostView } from '../../../server/protocol.js';
import type { FlagReason } from '../../controllers/trust-actions.js';
import { errorMessage, relativeTime, type Messages, type ShownError } from '../../i18n.js';
import { emit } from '../../lib/emit.js';
import type { Author } from '../../lib/thread-data.js';
import baseStyles from '../../styles/base.styles.js';
import { renderAuthor } from '../member/author.js';
import type { AnswerTools } from './answer-tools.js';
import styles from './answer.styles.js';

/**
 * @summary One answer: its author with level and badges, labels (official, endorsed, best answer), the text
 * (slotted by the thread view, so the page-level text stays in the light DOM), the rating buttons with the
 * score, and the asker's, author's and reporter's controls. The edit form and the report menu come from the
 * on-demand module (`loadTools`), loaded the first time the visitor presses "Sunting" or "Laporkan".
 *
 * @slot - The answer's text; left out by the host while the answer is hidden from this visitor.
 *
 * @event osg-vote - `{ postId, value: 1 | -1 | 0 }`; 0 withdraws the vote.
 * @event osg-accept - `{ postId, answerId }`: `postId` is this answer to mark it best, null to clear it.
 * @event osg-flag - `{ postId, reason }`.
 * @event osg-edit - `{ postId, body }` from the author.
 * @event osg-profile - `{ memberId }`: the author's name was pressed.
 *
 * @csspart level / badge-officer / badge-verified - The author's level chip and badges.
 * @csspart official / endorsed / accepted - The labels "Jawaban resmi petugas", "Dibenarkan petugas", "Jawaban terbaik".
 * @csspart rating-up / rating-down - "Membantu" / "Tidak membantu" (`aria-pressed` tells the visitor's vote).
 * @csspart score - The answer's score.
 * @csspart accept - The asker's "Tandai sebagai jawaban terbaik" toggle.
 * @csspart flag - "Laporkan" (or "Dilaporkan" once reported). @csspart flag-reason - One reason button.
 * @csspart edit - The author's "Sunting". @csspart edited - "(disunting)".
 * @csspart hidden-note - Why the answer is hidden. @csspart answer-error - A refused action, in words.
 */
export class OsgAnswer extends LitElement {
  static styles = [baseStyles, styles];
  static properties = {
    t: { attribute: false },
    post: { attribute: false },
    author: { attribute: false },
    myVote: { type: Number },
    flagged: { type: Boolean },
    own: { type: Boolean },
    asker: { type: Boolean },
    accepted: { type: Boolean },
    busy: { type: Boolean },
    error: { attribute: false },
    now: { type: Number },
    loadTools: { attribute: false },
    editing: { state: true },
    flagging: { state: true },
    toolsError: { state: true },
  };

  t!: Messages;
  post!: PostView;
  author!: Author;
  myVote = 0;
  flagged = false;
  /** The visitor wrote this answer. */
  own = false;
  /** The visitor asked the question. */
  asker = false;
  accepted = false;
  busy = false;
  error?: ShownError;
  now = Date.now();
  /** Loads the edit form and the report menu (the on-demand module). */
  loadTools?: () => Promise<AnswerTools>;

  private editing = false;
  private flagging = false;
  /** The on-demand module could not be loaded (offline). */
  private toolsError?: ShownError;
  #tools?: AnswerTools;

  protected willUpdate(changed: PropertyValues<this>): void {
    // A saved edit comes back as the post with a new editedAt: that closes the editor.
    const before = changed.get('post') as PostView | undefined;
    if (before && before.editedAt !== this.post.editedAt) this.editing = false;
  }

  /** Emits a vote or acceptance; while one is on its way the controls stay focusable (aria-disabled) but idle. */
  #act(name: string, detail: unknown): void {
    if (!this.busy) emit(this, name, detail);
  }

  #vote(value: 1 | -1): void {
    this.#act('osg-vote', { postId: this.post.id, value: this.myVote === value ? 0 : value });
  }

  async #toggle(what: 'editing' | 'flagging', on: boolean): Promise<void> {
    this.toolsError = undefined;
    if (on && !this.#tools) {
      try {
        this.#tools = await this.loadTools!();
      } catch {
        this.toolsError = { code: 'network' };
        return;
      }
    }
    this[what] = on;
    await this.updateComplete;
    const target = on ? (what === 'editing' ? 'textarea' : '[part~=flag-reason]') : `[part~=${what === 'editing' ? 'edit' : 'flag'}]`;
    this.renderRoot.querySelector<HTMLElement>(target)?.focus();
  }

  #flag(reason: FlagReason): void {
    emit(this, 'osg-flag', { postId: this.post.id, reason });
    void this.#toggle('flagging', false);
  }

  #renderLabels() {
    const { t, post } = this;
    return html`${post.official ? html`<span part="official" class="label">${t.official}</span>` : nothing}
      ${post.endorsed ? html`<span part="endorsed" class="label">${t.endorsed}</span>` : nothing}
      ${this.accepted ? html`<span part="accepted" class="label"><span aria-hidden="true">✓</span> ${t.accepted}</span>` : nothing}`;
  }

  #renderBody() {
    const { t, post } = this;
    const hidden = post.hidden;
    const note = hidden
      ? this.own
        ? t.hiddenOwn(t.reasons[hidden.reason] ?? hidden.reason, hidden.status === 'removed')
        : hidden.status === 'removed' ? t.hiddenRemoved : t.hiddenPending
      : '';
    if (this.editing) {
      return this.#tools!.editForm(t, post.body, this.busy, (body) => emit(this, 'osg-edit', { postId: post.id, body }),
        () => this.#toggle('editing', false), { endorsed: !!post.endorsed, accepted: this.accepted });
    }
    return html`${note ? html`<p part="hidden-note" class="muted note">${note}</p>` : nothing}
      <slot></slot>`;
  }

  #renderActions() {
    const { t, post } = this;
    const canRate = !post.hidden;
    const ownTitle = this.own ? t.ownAnswer : '';
    return html`<div class="actions row">
      ${canRate
        ? html`<div class="row" role="group" aria-label=${t.rating}>
            <button part="rating-up" aria-pressed=${this.myVote === 1} ?disabled=${this.own} aria-disabled=${this.busy}
              title=${ownTitle} @click=${() => this.#vote(1)}><span aria-hidden="true">▲</span> ${t.helpful}</button>
            <span part="score" class="score" aria-hidden="true" title=${t.score(post.score, post.up, post.down)}>${post.score}</span>
            <span class="sr-only">${t.score(post.score, post.up, post.down)}</span>
            <button part="rating-down" aria-pressed=${this.myVote === -1} ?disabled=${this.own} aria-disabled=${this.busy}
              title=${ownTitle} @click=${() => this.#vote(-1)}><span aria-hidden="true">▼</span> ${t.unhelpful}</button>
          </div>`
        : nothing}
      ${this.asker && canRate
        ? html`<button part="accept" aria-pressed=${this.accepted} aria-disabled=${this.busy}
            @click=${() => this.#act('osg-accept', { postId: this.accepted ? null : post.id, answerId: post.id })}>${t.markAccepted}</button>`
        : nothing}
      ${this.own && !this.editing && post.hidden?.status !== 'removed'
        ? html`<button part="edit" class="link" @click=${() => this.#toggle('editing', true)}>${t.edit}</button>`
        : nothing}
      ${this.own || !canRate ? nothing : this.flagged
        ? html`<span part="flag" class="muted">${t.reported}</span>`
        : html`<button part="flag" class="link" aria-expanded=${this.flagging} ?disabled=${this.busy}
            @click=${() => this.#toggle('flagging', !this.flagging)}>${t.report}</button>`}
    </div>
    ${this.flagging ? this.#tools!.flagMenu(t, (reason) => this.#flag(reason), () => this.#toggle('flagging', false)) : nothing}`;
  }

  render() {
    const { t, post } = this;
    const error = this.error ?? this.toolsError;
    return html`<div class="head row">${this.#renderLabels()}</div>
      <p class="muted meta">
        ${t.by} ${renderAuthor(t, this.author, (memberId) => emit(this, 'osg-profile', { memberId }))} ·
        <time datetime=${post.createdAt}>${relativeTime(t, post.createdAt, this.now)}</time>
        ${post.editedAt ? html`<span part="edited">${t.edited}</span>` : nothing}
      </p>
      ${this.#renderBody()} ${this.#renderActions()}
      ${error ? html`<p part="answer-error" class="error" role="alert">${errorMessage(t, error)}</p>` : nothing}`;
  }
}
