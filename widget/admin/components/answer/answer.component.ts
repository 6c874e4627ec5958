import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ListThreadsResponse, OfficerMeView, PostView, SiteView, ThreadWithPosts } from '../../../../server/protocol.js';
import { errorMessage, formatTime, type AdminError } from '../../i18n.js';
import { newClientId } from '../../lib/client-id.js';
import { announce } from '../../lib/events.js';
import { LoadController } from '../../lib/load.controller.js';
import { toAdminError } from '../../lib/officer-api.js';
import { loadStatus, memberLine, sectionFrame } from '../parts.js';
import { AdminSection } from '../section.js';

/**
 * @summary "Jawab": a site's latest questions; open one, post an official answer, endorse members' answers.
 *
 * @event osg-admin-announce - A sent answer or a changed endorsement, for the page's live region.
 * @event osg-admin-open-member - The officer wants to see an author.
 * @csspart thread - A listed question. @csspart post - An answer. @csspart endorse - Its (un)endorse button.
 * @csspart compose - The official answer's text area. @csspart submit - Its send button.
 */
export class OsgAdminAnswer extends AdminSection {
  private readonly threads = new LoadController<{ site: SiteView; list: ListThreadsResponse }>(this);
  private readonly thread = new LoadController<ThreadWithPosts>(this);

  @query('#thread-heading') private threadHeading?: HTMLElement;

  /** The site whose questions are listed; the first of the officer's sites until they pick another. */
  @property() site = '';

  /** The officer's sites, from their account (never a typed id). */
  @state() private sites: OfficerMeView['sites'] = [];
  @state() private openId?: string;
  @state() private draft = '';
  // One key per draft so a retry after a lost answer cannot post twice.
  @state() private clientId = newClientId();
  @state() private sending = false;
  @state() private busyPost?: string;
  @state() private actionError?: AdminError;

  connectedCallback(): void {
    super.connectedCallback();
    void this.loadThreads();
  }

  private onSite(event: Event): void {
    this.site = (event.target as HTMLSelectElement).value;
    this.openId = undefined;
    void this.loadThreads();
  }

  private async open(threadId: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.openId = threadId;
    this.draft = '';
    this.clientId = newClientId();
    this.actionError = undefined;
    await this.thread.load(() => api.thread(threadId));
    await this.updateComplete;
    this.threadHeading?.focus();
  }

  private async back(): Promise<void> {
    this.openId = undefined;
    this.thread.reset();
    void this.loadThreads();
    await this.updateComplete;
    this.heading?.focus();
  }

  private async send(event: Event): Promise<void> {
    event.preventDefault();
    const api = this.api;
    const threadId = this.openId;
    if (!api || !threadId || this.sending || !this.draft.trim()) return;
    this.sending = true;
    this.actionError = undefined;
    try {
      await api.answer(threadId, this.draft, this.clientId);
      this.draft = '';
      this.clientId = newClientId();
      announce(this, this.t.answerSent);
      await this.thread.load(() => api.thread(threadId));
    } catch (error) {
      this.actionError = toAdminError(error);
    } finally {
      this.sending = false;
    }
  }

  private async endorse(post: PostView): Promise<void> {
    const api = this.api;
    if (!api || this.busyPost) return;
    this.busyPost = post.id;
    this.actionError = undefined;
    try {
      const updated = await api.endorse(post.id, !post.endorsed);
      const current = this.thread.value;
      if (current) this.thread.set({ ...current, posts: current.posts.map((each) => (each.id === updated.id ? updated : each)) });
      announce(this, updated.endorsed ? this.t.endorsedDone : this.t.unendorsedDone);
    } catch (error) {
      this.actionError = toAdminError(error);
    } finally {
      this.busyPost = undefined;
    }
  }

  private loadThreads(): Promise<void> {
    const api = this.api;
    if (!api) return Promise.resolve();
    return this.threads.load(async () => {
      if (this.sites.length === 0) this.sites = (await api.me()).sites;
      if (!this.sites.some((each) => each.id === this.site)) this.site = this.sites[0]?.id ?? '';
      const site = this.site;
      const [settings, list] = await Promise.all([api.site(site), api.threads(site)]);
      return { site: settings, list };
    });
  }

  private renderList() {
    const t = this.t;
    const state = this.threads.state;
    const value = this.threads.value;
    return html`
      <div class="toolbar">
        <div class="field">
          <label for="site">${t.site}</label>
          <select id="site" @change=${this.onSite}>
            ${this.sites.map((each) => html`<option value=${each.id} ?selected=${each.id === this.site}>${each.name}</option>`)}
          </select>
        </div>
      </div>
      ${loadStatus(t, state, () => this.loadThreads())}
      ${value && state.status !== 'error'
        ? html`<h3>${t.threadsHeading} · ${value.site.name}</h3>
            ${value.list.threads.length === 0
              ? html`<p class="muted state empty">${t.threadsEmpty}</p>`
              : html`<ul class="cards">
                  ${value.list.threads.map(
                    (thread) => html`<li class="card" part="thread">
                      <button type="button" class="link thread-title" @click=${() => this.open(thread.id)}>${thread.title}</button>
                      <p class="muted">
                        ${thread.author?.name ?? thread.authorName} · ${formatTime(t, thread.createdAt)} ·
                        <span class=${thread.answerCount === 0 ? 'chip warn' : 'chip'}>${t.answerCount(thread.answerCount)}</span>
                      </p>
                    </li>`,
                  )}
                </ul>`}`
        : nothing}
    `;
  }

  private renderPost(post: PostView, acceptedId: string | undefined) {
    const t = this.t;
    return html`<li class="card" part="post" data-post=${post.id}>
      <div>${post.author ? memberLine(t, post.author) : html`<span class="name">${post.authorName}</span>`}</div>
      <p class="actions">
        ${post.official ? html`<span class="chip officer">${t.official}</span>` : nothing}
        ${post.endorsed ? html`<span class="chip verified">${t.endorsed}</span>` : nothing}
        ${post.id === acceptedId ? html`<span class="chip ok">${t.accepted}</span>` : nothing}
        ${post.hidden ? html`<span class="chip warn">${t.hidden} · ${t.reasons[post.hidden.reason]}</span>` : nothing}
        <span class="muted">${t.score(post.score)} · ${formatTime(t, post.createdAt)}</span>
      </p>
      <p class="text">${post.body}</p>
      ${post.official || (post.hidden?.status === 'removed' && !post.endorsed)
        ? nothing
        : html`<button type="button" part="endorse" aria-pressed=${post.endorsed ? 'true' : 'false'} ?disabled=${this.busyPost !== undefined}
            @click=${() => this.endorse(post)}>${post.endorsed ? t.unendorse : t.endorse}</button>`}
    </li>`;
  }

  private renderThread() {
    const t = this.t;
    const state = this.thread.state;
    const value = this.thread.value;
    return html`
      <button type="button" class="link" @click=${this.back}>${t.backToThreads}</button>
      ${loadStatus(t, state, () => this.open(this.openId!))}
      ${value
        ? html`<article class="card">
            <h3 id="thread-heading" tabindex="-1">${value.thread.title}</h3>
            <p class="muted">${value.thread.author?.name ?? value.thread.authorName} · ${formatTime(t, value.thread.createdAt)}</p>
            <p class="text">${value.thread.body}</p>
          </article>
          <h3>${t.answerCount(value.posts.length)}</h3>
          ${value.posts.length === 0
            ? html`<p class="muted empty">${t.noAnswers}</p>`
            : html`<ul class="cards">${value.posts.map((post) => this.renderPost(post, value.thread.acceptedPostId))}</ul>`}
          <form @submit=${this.send}>
            <label for="official">${t.officialAnswer}</label>
            <textarea id="official" part="compose" rows="5" maxlength="5000" .value=${this.draft}
              @input=${(event: Event) => (this.draft = (event.target as HTMLTextAreaElement).value)}></textarea>
            <div class="actions">
              <button type="submit" class="primary" part="submit" ?disabled=${this.sending || !this.draft.trim()}>
                ${this.sending ? t.sending : t.sendAnswer}
              </button>
            </div>
          </form>`
        : nothing}
      ${this.actionError ? html`<p class="error" role="alert">${errorMessage(t, this.actionError)}</p>` : nothing}
    `;
  }

  render() {
    return sectionFrame(this.t, 'answer', this.openId ? this.renderThread() : this.renderList());
  }
}
