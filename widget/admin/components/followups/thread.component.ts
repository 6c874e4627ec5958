import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { FollowUpStatus, FollowUpView, OfficerMeView, OfficerPresence, OfficerThreadView, PostView, ServerMessage } from '../../../../server/protocol.js';
import { renderText } from '../../../lib/render-text.js';
import { ActionController } from '../../lib/action.controller.js';
import { recentlyActive } from '../../lib/activity.js';
import { newClientId } from '../../lib/client-id.js';
import { announce, followUpWritten, openFollowUp } from '../../lib/events.js';
import { staleChanges, zoneDate } from '../../lib/follow-up-format.js';
import { LoadController } from '../../lib/load.controller.js';
import { AdminApiError } from '../../lib/officer-api.js';
import type { OfficerLiveController } from '../../lib/officer-live.controller.js';
import { errorLine, loadStatus } from '../parts.js';
import { AdminSection } from '../section.js';
import { followUpPanel, statusHistory } from './follow-up-panel.js';
import followUpStyles from './followups.styles.js';
import { presenceLine } from './presence.js';
import { replyBox } from './reply-box.js';

type Seen = { followUp: FollowUpView; postIds: ReadonlySet<string> };

/**
 * @summary One follow-up: the conversation (officer answers marked), the follow-up panel, the reply box, the
 * status history and who else is here ("Budi sedang melihat"). Every write carries the version this page
 * shows; a change by someone else — seen live while drafting, or as a `stale_view` refusal — is listed above
 * the kept draft, and sending again is the officer's deliberate choice.
 *
 * @event osg-admin-open-follow-up - Back to the inbox (threadId null).
 * @event osg-admin-follow-up-written - This page changed the follow-up.
 * @event osg-admin-announce - Results of the officer's actions.
 * @csspart conversation, post, follow-up-panel, reply, stale, presence, history
 */
export class OsgAdminThread extends AdminSection {
  static styles = [...AdminSection.styles, followUpStyles];

  private readonly view = new LoadController<OfficerThreadView>(this);
  private readonly actions = new ActionController(this);

  @query('#fu-thread-heading') private threadHeading?: HTMLElement;
  @query('[part="stale"]') private staleNotice?: HTMLElement;

  @property({ attribute: false }) me?: OfficerMeView;
  @property({ attribute: false }) live?: OfficerLiveController;
  @property() threadId = '';

  @state() private draft = '';
  // One key per draft: a retry after a lost answer cannot post twice.
  @state() private clientId = newClientId();
  @state() private officers: OfficerPresence[] = [];
  @state() private changes?: string[];
  @state() private assignDraft = '';
  /** The newest version a queue frame announced, for frames that arrive while this page writes. */
  private liveVersion = 0;
  private unlisten?: () => void;
  private refreshTimer?: ReturnType<typeof setInterval>;
  /** A change arrived while the officer was away; shown at their next key or click. */
  private behind = false;

  constructor() {
    super();
    const catchUp = () => {
      if (!this.behind) return;
      this.behind = false;
      const seen = this.seen();
      void (this.draft.trim() ? this.showChanges(seen) : this.load());
    };
    this.addEventListener('keydown', catchUp, { capture: true });
    this.addEventListener('pointerdown', catchUp, { capture: true });
  }

  connectedCallback(): void {
    super.connectedCallback();
    // The time left is the server's figure at the time of the read: read it again every minute.
    this.refreshTimer = setInterval(() => void this.refreshClocks(), 60_000);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.refreshTimer);
    this.unlisten?.();
    this.unlisten = undefined;
    this.live?.view(null);
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('live') || !this.unlisten) {
      this.unlisten?.();
      this.unlisten = this.live?.listen((message) => this.onLive(message));
    }
    if (changed.has('threadId') && this.threadId) void this.open();
  }

  private get followUp(): FollowUpView | undefined {
    return this.view.value?.followUp;
  }

  private async open(): Promise<void> {
    this.draft = '';
    this.clientId = newClientId();
    this.changes = undefined;
    this.officers = [];
    this.live?.view(this.threadId);
    await this.load();
    await this.updateComplete;
    this.threadHeading?.focus();
  }

  private async load(): Promise<OfficerThreadView | undefined> {
    const api = this.api;
    const threadId = this.threadId;
    if (!api || !threadId) return undefined;
    await this.view.load(() => api.officerThread(threadId));
    const value = this.view.value;
    if (value && this.view.state.status === 'done') this.officers = value.officers;
    return value;
  }

  /** Quietly takes the clocks of an unchanged follow-up; a changed one arrives as a queue frame. */
  private async refreshClocks(): Promise<void> {
    const api = this.api;
    const current = this.followUp;
    if (!api || !current || !recentlyActive() || this.actions.busy !== undefined) return;
    try {
      const fresh = await api.officerThread(this.threadId);
      const value = this.view.value;
      if (fresh.followUp && value?.followUp?.version === fresh.followUp.version && fresh.thread.id === this.threadId) this.view.set({ ...value, followUp: fresh.followUp });
    } catch {
      // The next minute, or the next change, brings them.
    }
  }

  private seen(): Seen | undefined {
    const value = this.view.value;
    return value?.followUp ? { followUp: value.followUp, postIds: new Set(value.posts.map((post) => post.id)) } : undefined;
  }

  /** Reloads and lists what changed since `seen`, above the kept draft. */
  private async showChanges(seen: Seen | undefined, current?: FollowUpView): Promise<void> {
    const reloaded = await this.load();
    const now = current ?? reloaded?.followUp;
    if (!seen || !now) return;
    this.changes = staleChanges(this.t, seen, { followUp: now, view: reloaded }, this.me?.officer.id);
    await this.updateComplete;
    this.staleNotice?.focus();
  }

  private onLive(message: ServerMessage): void {
    if (message.type === 'officer-presence' && message.threadId === this.threadId) {
      this.officers = message.officers;
      return;
    }
    if (message.type === 'officer-welcome' && this.view.state.status === 'done') return void this.load();
    if (message.type !== 'queue' || message.item.thread.id !== this.threadId) return;
    const version = message.item.followUp.version;
    this.liveVersion = Math.max(this.liveVersion, version);
    // Our own write's frame may arrive before its response: the write settles it (write()).
    if (this.actions.busy !== undefined || version <= (this.followUp?.version ?? 0)) return;
    const seen = this.seen();
    // An idle console reads nothing by itself (lib/activity.ts): the officer's next key or click catches up.
    if (!recentlyActive()) {
      this.behind = true;
      return;
    }
    if (this.draft.trim()) void this.showChanges(seen, message.item.followUp);
    else void this.load().then(() => announce(this, this.t.fu.changedElsewhere(message.item.followUp.tracking, this.t.fu.statuses[message.item.followUp.status])));
  }

  /** Runs one write; a `stale_view` refusal lists what changed and keeps the draft. */
  private async write(key: string, action: () => Promise<FollowUpView | undefined>, done: (followUp: FollowUpView) => string): Promise<void> {
    const seen = this.seen();
    let result: FollowUpView | undefined;
    let stale: AdminApiError | undefined;
    await this.actions.run(key, async () => {
      try {
        result = await action();
      } catch (error) {
        if (error instanceof AdminApiError && error.error.code === 'stale_view') stale = error;
        else throw error;
      }
    });
    if (stale) return this.showChanges(seen, stale.error.current?.followUp);
    if (!result) return;
    // A deliberate action after the changes were shown: the list of changes has been dealt with.
    this.changes = undefined;
    followUpWritten(this, this.threadId, result.version);
    announce(this, done(result));
    // Someone else wrote meanwhile (their frame came during ours): read it all again.
    if (this.liveVersion > result.version) void this.load();
  }

  private setFollowUp(followUp: FollowUpView | undefined, post?: PostView): void {
    const value = this.view.value;
    if (!value || !followUp) return;
    this.view.set({ ...value, followUp, posts: post && !value.posts.some((each) => each.id === post.id) ? [...value.posts, post] : value.posts });
  }

  private onStatus(status: FollowUpStatus): void {
    const api = this.api;
    const followUp = this.followUp;
    if (!api || !followUp) return;
    void this.write(`status:${status}`, async () => {
      const item = await api.setStatus(this.threadId, status, followUp.version);
      this.setFollowUp(item.followUp);
      return item.followUp;
    }, (now) => this.t.fu.statusChanged(this.t.fu.statuses[now.status]));
  }

  private onAssign(officerId: string | null): void {
    const api = this.api;
    const followUp = this.followUp;
    if (!api || !followUp) return;
    void this.write('assign', async () => {
      const item = await api.assign(this.threadId, officerId, followUp.version);
      this.setFollowUp(item.followUp);
      return item.followUp;
    }, (now) => (now.assignee ? this.t.fu.assigned(now.assignee.name) : this.t.fu.released));
  }

  private onSend(event: Event): void {
    event.preventDefault();
    const api = this.api;
    const body = this.draft;
    if (!api || !body.trim() || this.actions.busy !== undefined) return;
    const version = this.followUp?.version;
    void this.write('send', async () => {
      const response = await api.officerAnswer(this.threadId, body, this.clientId, version);
      this.draft = '';
      this.clientId = newClientId();
      this.changes = undefined;
      this.setFollowUp(response.followUp ?? this.followUp, response.post);
      return response.followUp ?? this.followUp;
    }, () => this.t.fu.sent);
  }

  private onInput(draft: string): void {
    this.draft = draft;
    this.live?.typing();
  }

  /** Times in the site's zone, as in the panel: the officer and the asker read the same clock. */
  private when(iso: string): string {
    return zoneDate(this.t, iso, this.followUp?.timeZone ?? this.me?.sites.find((site) => site.id === this.view.value?.thread.site)?.timeZone ?? 'Asia/Jakarta');
  }

  private renderPost(post: PostView) {
    const t = this.t;
    return html`<li class="card post ${post.official ? 'official' : ''}" part="post" data-post=${post.id}>
      <p class="post-head">
        <span class="name">${post.author?.name ?? post.authorName}</span>
        ${post.official ? html`<span class="chip officer">${t.officerBadge}</span> <span class="chip officer">${t.fu.officerAnswer}</span>` : nothing}
        ${post.hidden ? html`<span class="chip warn">${t.hidden}</span>` : nothing}
        <span class="muted">${this.when(post.createdAt)}</span>
      </p>
      <p class="text">${renderText(post.body)}</p>
    </li>`;
  }

  render() {
    const t = this.t;
    const value = this.view.value;
    const followUp = value?.followUp;
    const me = this.me;
    return html`
      <button type="button" class="link back" @click=${(event: Event) => openFollowUp(event.currentTarget!, null)}>${t.fu.back}</button>
      ${loadStatus(t, this.view.state, () => void this.load())}
      ${value && me
        ? html`<div class="thread-layout">
            <div class="conversation" part="conversation">
              <article class="card question">
                <h3 id="fu-thread-heading" tabindex="-1" class="thread-title">${value.thread.title}</h3>
                <p class="muted"><span class="name">${value.thread.author?.name ?? value.thread.authorName}</span> · ${t.fu.asker} ·
                  ${this.when(value.thread.createdAt)}</p>
                <p class="text">${renderText(value.thread.body)}</p>
              </article>
              ${presenceLine(t, this.officers)}
              <h3>${t.fu.conversation} · ${t.answerCount(value.posts.length)}</h3>
              ${value.posts.length ? html`<ol class="cards posts">${value.posts.map((post) => this.renderPost(post))}</ol>` : html`<p class="muted">${t.noAnswers}</p>`}
              ${replyBox(t, { draft: this.draft, sending: this.actions.busy === 'send', changes: this.changes, onInput: (d) => this.onInput(d), onSend: (e) => this.onSend(e) })}
              ${errorLine(t, this.actions.failure?.error)}
            </div>
            ${followUp
              ? html`<div class="side">
                  ${followUpPanel(t, {
                    followUp,
                    me,
                    busy: this.actions.busy !== undefined,
                    assignDraft: this.assignDraft,
                    onStatus: (status) => this.onStatus(status),
                    onAssign: (officerId) => this.onAssign(officerId),
                    onAssignDraft: (officerId) => (this.assignDraft = officerId),
                  })}
                  ${statusHistory(t, followUp)}
                </div>`
              : nothing}
          </div>`
        : nothing}
    `;
  }
}
