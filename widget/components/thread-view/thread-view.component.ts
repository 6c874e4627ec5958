import { html, LitElement, nothing } from 'lit';
import type { MemberSummary, PostView, SiteView } from '../../../server/protocol.js';
import type { ForumController, OpenThread } from '../../controllers/forum.controller.js';
import { errorMessage, relativeTime, type Messages, type ShownError } from '../../i18n.js';
import { emit, lengthError, textLength } from '../../lib/emit.js';
import type { OutboxItem } from '../../lib/outbox.js';
import { renderText } from '../../lib/render-text.js';
import { authorOf } from '../../lib/thread-data.js';
import baseStyles from '../../styles/base.styles.js';
import type { AnswerTools } from '../answer/answer-tools.js';
import '../answer/answer.js';
import { renderFollowUpChip } from '../follow-up/follow-up-chip.js';
import { renderAuthor } from '../member/author.js';
import styles from './thread-view.styles.js';

/** The parts of each `<osg-answer>`, forwarded by the thread view (and on by `<osg-konsultasi>`). */
export const ANSWER_PARTS =
  'level,badge-officer,badge-verified,official,endorsed,accepted,rating-up,rating-down,score,accept,flag,flag-reason,edit,edited,hidden-note,answer-error';

/**
 * @summary One open thread: the question, who is viewing, the answers in order and the answer box.
 *
 * @event osg-back - Back to the list.
 * @event osg-draft - `string`, the answer text on every edit.
 * @event osg-submit - `{ threadId, body }` for an answer within the limits.
 * @event osg-retry - Loading failed and the visitor wants another try.
 * @event osg-vote / osg-accept / osg-flag / osg-edit / osg-profile - Forwarded from each `<osg-answer>`;
 *   `osg-profile` also comes from the asker's name.
 *
 * @csspart back - The back button.
 * @csspart heading - The question's title.
 * @csspart question - The question.
 * @csspart viewers - "3 orang melihat".
 * @csspart answer-list - The list of answers.
 * @csspart answer - One answer (also on answers still being sent, with `pending`).
 * @csspart pending - An answer still in the outbox.
 * @csspart compose - The answer textarea.
 * @csspart counter - The character counter.
 * @csspart submit - The send button.
 * @csspart error - A loading or validation message.
 * @csspart level / badge-officer / badge-verified - Next to the asker's name; the answers' parts are forwarded
 *   from `<osg-answer>` (see there).
 * @csspart follow-up-chip - "Ditangani petugas" / "Selesai" once the thread is in the officers' follow-up queue.
 * @csspart follow-up-request / follow-up-status - The asker's "Minta jawaban petugas" button, and then the
 *   tracking number and status (`<osg-follow-up>`, on-demand module).
 */
export class OsgThreadView extends LitElement {
  static styles = [baseStyles, styles];
  static properties = {
    t: { attribute: false },
    site: { attribute: false },
    thread: { attribute: false },
    pending: { attribute: false },
    draft: {},
    serverError: { attribute: false },
    online: { type: Boolean },
    now: { type: Number },
    members: { attribute: false },
    me: {},
    errors: { attribute: false },
    busy: { attribute: false },
    loadTools: { attribute: false },
    error: { state: true },
  };

  t!: Messages;
  site?: SiteView;
  thread!: OpenThread;
  pending: readonly OutboxItem[] = [];
  draft = '';
  /** An error the server gave for the answer in the box, shown until the visitor edits. */
  serverError?: ShownError;
  online = false;
  now = Date.now();
  members: ReadonlyMap<string, MemberSummary> = new Map();
  /** The visitor's member id. */
  me = '';
  /** Refused actions by post id, and posts with an action on its way (ForumController.trust). */
  errors: Record<string, ShownError> = {};
  busy: ReadonlySet<string> = new Set();
  /** Loads the answers' edit form and report menu (the on-demand module). */
  loadTools?: () => Promise<AnswerTools>;
  /** For the asker's `<osg-follow-up>`, which sends the request and shows its answer at once. */
  forum?: ForumController;

  private error?: ShownError;
  /** The rating or accept control the visitor pressed, kept focused while its action is on its way (followFocus). */
  #keep?: { postId: string; part: string };

  focusHeading(): void {
    this.renderRoot.querySelector('h2')?.focus();
  }

  #handleInput(event: Event): void {
    this.error = undefined;
    // Kept here too: the host's copy comes back only on its next render.
    this.draft = (event.target as HTMLTextAreaElement).value;
    emit(this, 'osg-draft', this.draft);
  }

  #handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const max = this.site?.limits.answerMax ?? 5000;
    const length = textLength(this.draft);
    // The protocol has no answerMin; the server's rule is "not empty".
    this.error = lengthError('body', length, 1, max);
    if (this.error) {
      this.renderRoot.querySelector('textarea')?.focus();
      return;
    }
    emit(this, 'osg-submit', { threadId: this.thread.id, body: this.draft });
    // Cleared here, in the box too: typed and sent before a render, the '' to bind may equal the value rendered
    // last, and then Lit writes nothing. (The host's '' comes back only on its next render.)
    (event.target as HTMLFormElement).reset();
    this.draft = '';
  }

  protected updated(): void {
    // The asker's follow-up button and status (<osg-follow-up>) come with the on-demand module.
    if (this.thread.data?.thread.authorId === this.me) void this.loadTools?.();
    const keep = this.#keep;
    if (!keep) return;
    if (!this.busy.has(keep.postId)) this.#keep = undefined;
    // Votes and acceptance need the on-demand module, so it is there (cached) by now; so is the code for this.
    void this.loadTools?.().then((tools) => tools.followFocus(this.renderRoot, keep));
  }

  #forward(event: CustomEvent): void {
    const pressed = (event.target as Element).shadowRoot?.activeElement?.getAttribute('part');
    if (pressed && (event.type === 'osg-vote' || event.type === 'osg-accept')) {
      this.#keep = { postId: event.detail.answerId ?? event.detail.postId, part: pressed };
    }
    emit(this, event.type, event.detail);
  }

  #renderAnswer(post: PostView) {
    const data = this.thread.data!;
    const forward = (event: CustomEvent) => this.#forward(event);
    return html`<li part="answer" data-post-id=${post.id}>
      <osg-answer exportparts=${ANSWER_PARTS} .t=${this.t} .post=${post} .author=${authorOf(this.members, post)}
        .myVote=${data.myVotes?.[post.id] ?? 0} ?flagged=${!!data.myFlags?.includes(post.id)}
        ?own=${post.authorId === this.me} ?asker=${data.thread.authorId === this.me}
        ?accepted=${data.thread.acceptedPostId === post.id} ?busy=${this.busy.has(post.id)}
        .error=${this.errors[post.id]} .now=${this.now} .loadTools=${this.loadTools} @osg-vote=${forward} @osg-accept=${forward}
        @osg-flag=${forward} @osg-edit=${forward} @osg-profile=${forward}
        >${post.hidden && post.authorId !== this.me ? nothing : html`<p class="text">${renderText(post.body)}</p>`}</osg-answer>
    </li>`;
  }

  #renderPending(item: OutboxItem) {
    return html`<li part="answer pending" class="pending" data-client-id=${item.clientId}>
      <p class="muted meta">${this.t.you} · ${this.online ? this.t.sending : this.t.waiting}</p>
      <p class="text">${renderText(item.body)}</p>
    </li>`;
  }

  #renderCompose() {
    const t = this.t;
    const max = this.site?.limits.answerMax ?? 5000;
    const length = textLength(this.draft);
    // Said while typing, not only on sending: a box that takes 6,000 characters and then refuses them wastes work.
    const error = this.error ?? this.serverError ?? lengthError('body', length, 0, max);
    return html`<form part="compose-form" novalidate @submit=${this.#handleSubmit}>
      <label for="compose">${t.answerLabel}</label>
      <textarea id="compose" part="compose" rows="4" .value=${this.draft} aria-invalid=${!!error}
        aria-describedby="compose-info" @input=${this.#handleInput}></textarea>
      <div class="field-info" id="compose-info">
        <span class="muted">
          ${error ? html`<span part="error" class="error">${errorMessage(t, error, t.answerLabel)}</span>` : t.maxHint(max)}
        </span>
        <span part="counter" class="muted ${length > max ? 'over' : ''}" aria-hidden="true">${length}/${max}</span>
      </div>
      <div><button part="submit" class="primary" type="submit">${t.sendAnswer}</button></div>
    </form>`;
  }

  render() {
    const { t, thread } = this;
    const data = thread.data;
    const question = data?.thread;
    const pending = this.pending.filter((item) => item.kind === 'answer' && item.threadId === thread.id);
    const category = this.site?.categories.find((known) => known.id === question?.category)?.label[t.locale];
    return html`
      <button part="back" class="link" @click=${() => emit(this, 'osg-back')}><span aria-hidden="true">←</span> ${t.back}</button>
      <article part="question" aria-busy=${thread.loading}>
        <h2 part="heading" tabindex="-1">${question ? question.title : thread.error ? t.heading : t.loading}</h2>
        ${question
          ? html`<p class="muted meta">${category ?? question.category} · ${t.by}
                ${renderAuthor(t, authorOf(this.members, question), (memberId) => emit(this, 'osg-profile', { memberId }))} ·
                <time datetime=${question.createdAt}>${relativeTime(t, question.createdAt, this.now)}</time>
                ${renderFollowUpChip(t, question.followUp)}</p>
              <p class="text">${renderText(question.body)}</p>
              <osg-follow-up .t=${t} .thread=${question} .forum=${this.forum} me=${this.me}></osg-follow-up>`
          : nothing}
        ${thread.error
          ? html`<p part="error" class="error" role="alert">
              ${errorMessage(t, thread.error)} <button @click=${() => emit(this, 'osg-retry')}>${t.retry}</button>
            </p>`
          : nothing}
      </article>
      ${question
        ? html`<p part="viewers" class="muted">${t.viewers(Math.max(1, thread.viewers))}</p>
            <h3>${t.answersHeading} (${question.answerCount})</h3>
            ${data!.posts.length || pending.length ? nothing : html`<p class="muted">${t.noAnswers}</p>`}
            <ol part="answer-list">${data!.posts.map((post) => this.#renderAnswer(post))} ${pending.map((item) => this.#renderPending(item))}</ol>
            ${this.#renderCompose()}`
        : nothing}
    `;
  }
}
