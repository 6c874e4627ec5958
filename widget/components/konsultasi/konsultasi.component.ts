import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { ForumController, type Announcement, type ListFilter } from '../../controllers/forum.controller.js';
import type { AnswerAction, TrustActions } from '../../controllers/trust-actions.js';
import { errorMessage, messages, missingCatalogue, type ShownError } from '../../i18n.js';
import { serverBase } from '../../lib/api.js';
import { tell } from '../../lib/emit.js';
import { loadOnDemandModule, type OnDemand } from '../../lib/on-demand-module.js';
import type { OutboxItem } from '../../lib/outbox.js';
import baseStyles from '../../styles/base.styles.js';
import type { QuestionDraft } from '../ask-form/ask-form.component.js';
import '../ask-form/ask-form.js';
import '../thread-list/thread-list.js';
import { ANSWER_PARTS } from '../thread-view/thread-view.component.js';
import '../thread-view/thread-view.js';
import type { OpenDialog } from './konsultasi-tools.js';
import type { AnswerPostedDetail, ConnectionChangeDetail, QuestionAskedDetail } from './konsultasi.events.js';
import styles from './konsultasi.styles.js';

type View = 'list' | 'ask' | 'thread';
type ViewElement = HTMLElement & { focusHeading(): void; updateComplete: Promise<boolean> };

const CHIP_PARTS = 'level,badge-officer,badge-verified,follow-up-chip';
const LIST_PARTS = `heading,ask,search,filter,thread-list,thread,pending,load-more,empty,loading,error,${CHIP_PARTS}`;
const ASK_PARTS = 'heading,ask-form,title-input,category,compose,counter,submit,cancel,error';
const THREAD_PARTS = `back,heading,question,viewers,answer-list,answer,pending,compose-form,compose,counter,submit,error,follow-up-chip,follow-up-request,follow-up-status,${ANSWER_PARTS}`;
// Relative times ("2 menit yang lalu") are redrawn this often.
const CLOCK_MS = 30_000;

/**
 * @tagname osg-konsultasi
 * @summary Live civil-service consultation for a BKN regional site: visitors ask, answer and watch answers
 * arrive. Configured only by attributes; themed only by `--osg-*` properties and parts.
 *
 * @attr site - Required. The site id the server knows, e.g. `kanreg1`.
 * @attr server - Base URL of the server; defaults to the origin the script was loaded from.
 * @attr lang - `id` (default) or `en`. The English words come with the on-demand module; the element renders
 *   once they are there (or in Bahasa Indonesia if they cannot be loaded).
 * @attr category - Topic preselected in the ask form.
 * @attr theme - `light` (default), `dark` or `auto` (follows the visitor's system).
 *
 * @event {CustomEvent<QuestionAskedDetail>} osg-question-asked - The visitor's question is stored:
 *   `{ site, threadId, category }`.
 * @event {CustomEvent<AnswerPostedDetail>} osg-answer-posted - The visitor's answer is stored:
 *   `{ site, threadId, postId }`.
 * @event {CustomEvent<ConnectionChangeDetail>} osg-connection-change - The connection state changed:
 *   `{ state }`, one of `connecting`, `online`, `offline`, `unavailable`, `stopped`.
 *
 * @csspart base - The frame around everything.
 * @csspart status - The connection state (`role="status"`).
 * @csspart identity - The visitor's display name and its edit control.
 * @csspart name - The display-name input.
 * @csspart name-edit - The "Ubah" button next to the name.
 * @csspart name-save - The save button of the name form.
 * @csspart notice - A message about the whole widget (unknown site, refused origin, another protocol version, a refused post).
 * @csspart my-profile-open - The "Profil saya" button.
 * @csspart heading - The heading of the current view.
 * @csspart ask - The button that opens the ask form.
 * @csspart search - The search box of the list.
 * @csspart filter - The group of list filters.
 * @csspart thread-list - The list of threads.
 * @csspart thread - One listed thread (with `pending` while it is being sent).
 * @csspart pending - A question or answer still waiting to be sent.
 * @csspart load-more - The "Muat lebih banyak" button.
 * @csspart empty - The message of an empty list.
 * @csspart loading - The loading message of the list.
 * @csspart error - An error message (list, thread, or a field).
 * @csspart ask-form - The ask form.
 * @csspart title-input - The question's title input.
 * @csspart category - The topic select.
 * @csspart compose - The textarea of a question or an answer.
 * @csspart counter - A character counter.
 * @csspart submit - The send button of a form.
 * @csspart cancel - The cancel button of the ask form.
 * @csspart back - "Kembali ke daftar" in a thread.
 * @csspart question - The question of the open thread.
 * @csspart viewers - How many people view the thread.
 * @csspart answer-list - The list of answers.
 * @csspart answer - One answer.
 * @csspart compose-form - The answer form.
 * @csspart level - The level chip next to a name.
 * @csspart badge-officer - "Petugas BKN" next to an officer's name.
 * @csspart badge-verified - "Terverifikasi · jabatan · instansi" next to a verified member's name.
 * @csspart official - "Jawaban resmi petugas".
 * @csspart endorsed - "Dibenarkan petugas".
 * @csspart accepted - "Jawaban terbaik".
 * @csspart rating-up - "Membantu" (`aria-pressed` tells the visitor's vote).
 * @csspart rating-down - "Tidak membantu".
 * @csspart score - An answer's score.
 * @csspart accept - The asker's best-answer toggle.
 * @csspart flag - "Laporkan" (or "Dilaporkan").
 * @csspart flag-reason - One reason of the report menu (on-demand module).
 * @csspart edit - "Sunting" on the visitor's own answer.
 * @csspart edited - "(disunting)".
 * @csspart hidden-note - Why an answer is hidden.
 * @csspart answer-error - A refused vote, acceptance, report or edit.
 * @csspart profile - The profile card dialog (on-demand module).
 * @csspart activity - The 100-day activity strip of the profile card.
 * @csspart my-profile - The "Profil saya" dialog.
 * @csspart profile-form - Its profile form.
 * @csspart verification - Its "Ajukan verifikasi" section.
 * @csspart nip - The NIP input.
 * @csspart verification-status - The status of the visitor's verification request.
 * @csspart follow-up-chip - "Ditangani petugas" / "Selesai" on a thread in the officers' follow-up queue (list and thread).
 * @csspart follow-up-request - The asker's "Minta jawaban petugas" button in their own thread (on-demand module).
 * @csspart follow-up-status - The asker's tracking number and status, e.g. "KR1-2026-000012 · Diproses" (on-demand module).
 *
 * @cssproperty --osg-color-background - Background and inputs (light scheme).
 * @cssproperty --osg-color-surface - Cards, answers, plain buttons (light scheme).
 * @cssproperty --osg-color-text - Text (light scheme).
 * @cssproperty --osg-color-muted - Secondary text (light scheme).
 * @cssproperty --osg-color-border - Borders (light scheme).
 * @cssproperty --osg-color-primary - Main buttons, links, titles (light scheme).
 * @cssproperty --osg-color-on-primary - Text on primary buttons (light scheme).
 * @cssproperty --osg-color-danger - Errors, invalid fields (light scheme).
 * @cssproperty --osg-color-success - Online dot, badges (light scheme).
 * @cssproperty --osg-color-focus - The focus ring (light scheme).
 * @cssproperty --osg-dark-color-background - As --osg-color-background, for the dark scheme (theme="dark", or "auto" on a dark system); the same for each colour below.
 * @cssproperty --osg-dark-color-surface
 * @cssproperty --osg-dark-color-text
 * @cssproperty --osg-dark-color-muted
 * @cssproperty --osg-dark-color-border
 * @cssproperty --osg-dark-color-primary
 * @cssproperty --osg-dark-color-on-primary
 * @cssproperty --osg-dark-color-danger
 * @cssproperty --osg-dark-color-success
 * @cssproperty --osg-dark-color-focus
 * @cssproperty --osg-font-family - All text.
 * @cssproperty --osg-font-size - Base text size.
 * @cssproperty --osg-radius - Corner radius.
 * @cssproperty --osg-spacing - The spacing unit.
 */
export class OsgKonsultasi extends LitElement {
  static styles = [baseStyles, styles];
  static properties = {
    site: { reflect: true },
    server: {},
    lang: {},
    category: {},
    theme: { reflect: true },
    view: { state: true },
    askDraft: { state: true },
    askError: { state: true },
    answerDrafts: { state: true },
    answerError: { state: true },
    notice: { state: true },
    announcements: { state: true },
    editingName: { state: true },
    now: { state: true },
    dialog: { state: true },
    dialogError: { state: true },
    trustLoad: { state: true },
  };
  /** Where the defining script came from; the entry module sets it. */
  static defaultServer = '';

  private readonly forum = new ForumController(this, {
    announce: (announcement) => this.#announce(announcement),
    restore: (item, error) => this.#restore(item, error),
    stored: (item, { threadId, postId }) =>
      item.kind === 'ask'
        ? tell<QuestionAskedDetail>(this, 'osg-question-asked', { site: this.site, threadId, category: item.category })
        : tell<AnswerPostedDetail>(this, 'osg-answer-posted', { site: this.site, threadId, postId: postId! }),
    connectionChanged: (state) => tell<ConnectionChangeDetail>(this, 'osg-connection-change', { state }),
  });

  site = '';
  server = '';
  lang = 'id';
  category = '';
  theme: 'light' | 'dark' | 'auto' = 'light';

  private view: View = 'list';
  private askDraft: QuestionDraft = { title: '', body: '', category: '' };
  private askError?: ShownError;
  private answerDrafts: Record<string, string> = {};
  private answerError?: { threadId: string; error: ShownError };
  private notice?: ShownError;
  /**
   * Two live regions, used in turn: the same words twice in one region change nothing, and screen readers
   * read only changes. The other region is emptied.
   */
  private announcements = ['', ''];
  private editingName = false;
  private now = Date.now();
  /** The open dialog: a member's profile card, or the visitor's own "Profil saya". */
  private dialog?: OpenDialog;
  private dialogError?: ShownError;
  /** What the thread shows of the first vote, acceptance, report or edit while TrustActions is being loaded. */
  private trustLoad: Pick<TrustActions, 'errors' | 'busy'> = { errors: {}, busy: new Set() };

  /** The on-demand module, once a visitor's action has loaded it. */
  #onDemand?: OnDemand;

  #clock?: ReturnType<typeof setInterval>;
  #focusView = false;
  /** The last `lang` whose catalogue was sent for: a failed load is not retried on every update. */
  #catalogueLang?: string;

  connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => (this.now = Date.now()), CLOCK_MS);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
  }

  /** Holds each update back while the words for `lang` are on their way, so nothing shows in the wrong language. */
  protected scheduleUpdate(): void | Promise<unknown> {
    if (this.#catalogueLang === this.lang || !missingCatalogue(this.lang)) return super.scheduleUpdate();
    this.#catalogueLang = this.lang;
    // A server that cannot be reached leaves the words in Bahasa Indonesia.
    return Promise.resolve()
      .then(() => loadOnDemandModule(serverBase(this.#serverUrl)))
      .catch(() => undefined)
      .then(() => super.scheduleUpdate());
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('server') || changed.has('site')) && this.site) this.forum.configure(this.#serverUrl, this.site);
    if (changed.has('category') && !this.askDraft.category) this.askDraft = { ...this.askDraft, category: this.category };
  }

  protected updated(): void {
    const view = this.renderRoot.querySelector<ViewElement>('.view');
    if (this.#focusView && view) {
      this.#focusView = false;
      void view.updateComplete.then(() => view.focusHeading());
    }
  }

  get #serverUrl(): string {
    return this.server || OsgKonsultasi.defaultServer || location.origin;
  }

  #go(view: View, threadId?: string): void {
    if (this.view === 'thread') this.forum.closeThread();
    if (threadId) this.forum.openThread(threadId);
    this.notice = undefined;
    this.view = view;
    this.#focusView = true;
  }

  #announce(announcement: Announcement): void {
    const t = messages(this.lang);
    const words = announcement.kind === 'thread' ? t.newThread(announcement.title) : t.newAnswer(announcement.name);
    this.announcements = this.announcements[0] ? ['', words] : [words, ''];
  }


  #restore(item: OutboxItem, error: ShownError): void {
    if (item.kind === 'ask') {
      this.askDraft = { title: item.title, body: item.body, category: item.category };
      this.askError = error;
      this.#go('ask');
      return;
    }
    const current = this.answerDrafts[item.threadId];
    this.answerDrafts = { ...this.answerDrafts, [item.threadId]: current ? `${item.body}\n\n${current}` : item.body };
    this.answerError = { threadId: item.threadId, error };
    if (this.forum.thread?.id !== item.threadId) this.notice = error;
  }

  #submitQuestion(draft: QuestionDraft): void {
    this.forum.ask(draft);
    this.askDraft = { title: '', body: '', category: this.category };
    this.askError = undefined;
    this.#go('list');
  }

  #submitAnswer({ threadId, body }: { threadId: string; body: string }): void {
    this.forum.answer(threadId, body);
    this.answerDrafts = { ...this.answerDrafts, [threadId]: '' };
    this.answerError = undefined;
  }

  /** Opens the name form (`<osg-name-form>` focuses its input), or closes it and focuses "Ubah" again. */
  async #editName(editing: boolean): Promise<void> {
    if (editing && !(await this.#loadOnDemand())) return;
    this.editingName = editing;
    await this.updateComplete;
    if (!editing) this.renderRoot.querySelector<HTMLElement>('[part=name-edit]')?.focus();
  }

  /** Loads the on-demand module for a visitor's action; false (and a notice) if it cannot be had. */
  async #loadOnDemand(): Promise<boolean> {
    try {
      this.#onDemand = await loadOnDemandModule(this.forum.api!.base);
      this.dialogError = undefined;
      return true;
    } catch {
      this.dialogError = { code: 'network' };
      return false;
    }
  }

  /** Opens a profile dialog; it gives focus back to where it was when it closes. */
  async #openDialog(dialog: OpenDialog): Promise<void> {
    if (await this.#loadOnDemand()) this.dialog = dialog;
  }

  #renderIdentity() {
    const t = messages(this.lang);
    const me = this.forum.me;
    if (!this.editingName) {
      return html`<div part="identity" class="identity muted">
        ${t.nameLabel}: <strong>${me?.name ?? '…'}</strong>
        <button part="name-edit" class="link" ?disabled=${!me} @click=${() => this.#editName(true)}>${t.changeName}</button>
        <button part="my-profile-open" class="link" ?disabled=${!me} aria-haspopup="dialog"
          @click=${() => this.#openDialog({ kind: 'mine' })}>${t.myProfile}</button>
      </div>`;
    }
    return this.#onDemand!.konsultasiTools.nameForm(t, this.forum, () => this.#editName(false));
  }

  #handleProfile = (event: CustomEvent<{ memberId: string }>) => this.#openDialog({ kind: 'card', memberId: event.detail.memberId });

  #loadAnswerTools = async () => (await loadOnDemandModule(this.forum.api!.base)).answerTools;

  /**
   * Runs a vote, acceptance, report or edit from the open thread (TrustActions.handle); the first one waits for
   * TrustActions (on-demand module).
   */
  #act = async ({ detail }: CustomEvent<AnswerAction>): Promise<void> => {
    const postId = 'answerId' in detail ? detail.answerId : detail.postId;
    let trust = this.forum.trust;
    if (!trust) {
      this.trustLoad = { errors: {}, busy: new Set([postId]) };
      try {
        trust = this.forum.useTrust((await loadOnDemandModule(this.forum.api!.base)).TrustActions);
      } catch {
        // Not loaded means no connection: said under the answer like any action that could not be sent.
        this.trustLoad = { errors: { [postId]: { code: 'offline' } }, busy: new Set() };
        return;
      }
    }
    trust.handle(detail, this.forum.thread!.id);
  };

  #renderView() {
    const t = messages(this.lang);
    const { forum } = this;
    const online = forum.connection.state === 'online';
    if (this.view === 'ask') {
      return html`<osg-ask-form class="view" exportparts=${ASK_PARTS} .t=${t} .site=${forum.site}
        .draft=${this.askDraft} .serverError=${this.askError}
        @osg-draft=${(event: CustomEvent<QuestionDraft>) => ((this.askDraft = event.detail), (this.askError = undefined))}
        @osg-submit=${(event: CustomEvent<QuestionDraft>) => this.#submitQuestion(event.detail)}
        @osg-cancel=${() => this.#go('list')}></osg-ask-form>`;
    }
    if (this.view === 'thread' && forum.thread) {
      const id = forum.thread.id;
      const shown = forum.trust ?? this.trustLoad;
      const answerError = this.answerError;
      return html`<osg-thread-view class="view" exportparts=${THREAD_PARTS} .t=${t} .site=${forum.site}
        .thread=${forum.thread} .pending=${forum.pending} .draft=${this.answerDrafts[id] ?? ''} ?online=${online}
        .members=${forum.members} me=${forum.me?.id ?? ''} .errors=${shown.errors} .busy=${shown.busy}
        .loadTools=${this.#loadAnswerTools} .forum=${forum}
        @osg-vote=${this.#act} @osg-accept=${this.#act} @osg-flag=${this.#act} @osg-edit=${this.#act}
        @osg-profile=${this.#handleProfile}
        .now=${this.now} .serverError=${answerError?.threadId === id ? answerError.error : undefined}
        @osg-draft=${(event: CustomEvent<string>) => (this.answerDrafts = { ...this.answerDrafts, [id]: event.detail })}
        @osg-submit=${(event: CustomEvent<{ threadId: string; body: string }>) => this.#submitAnswer(event.detail)}
        @osg-retry=${() => forum.fetchThread()} @osg-back=${() => this.#go('list')}></osg-thread-view>`;
    }
    return html`<osg-thread-list class="view" exportparts=${LIST_PARTS} .t=${t} .site=${forum.site}
      .list=${forum.lists.state} .pending=${forum.pending} ?online=${online} .now=${this.now} .members=${forum.members}
      @osg-search=${(event: CustomEvent<{ q: string }>) => forum.lists.search(event.detail.q)}
      @osg-filter=${(event: CustomEvent<{ status: ListFilter }>) => forum.lists.filter(event.detail.status)}
      @osg-load-more=${() => forum.lists.loadMore()} @osg-retry=${() => forum.lists.reload()}
      @osg-open=${(event: CustomEvent<{ threadId: string }>) => this.#go('thread', event.detail.threadId)}
      @osg-ask=${() => this.#go('ask')}></osg-thread-list>`;
  }

  render() {
    const t = messages(this.lang);
    const state = this.forum.connection.state;
    const problem = this.site ? this.forum.fatal : ({ code: 'unknown_site' } as ShownError);
    return html`<div part="base" class="base" lang=${t.locale}>
      <header>
        <p part="status" role="status" class="status ${state}">${t.status[state]}</p>
        ${this.#renderIdentity()}
      </header>
      ${problem ?? this.notice
        ? html`<p part="notice" class="notice" role="alert">${errorMessage(t, (problem ?? this.notice)!)}</p>`
        : nothing}
      ${this.dialogError ? html`<p part="notice" class="notice" role="alert">${errorMessage(t, this.dialogError)}</p>` : nothing}
      ${problem ? nothing : this.#renderView()}
      ${this.dialog ? this.#onDemand!.konsultasiTools.dialog(this.dialog, t, this.forum, () => (this.dialog = undefined)) : nothing}
      ${this.announcements.map((words) => html`<div class="sr-only" aria-live="polite">${words}</div>`)}
    </div>`;
  }
}
