import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { OfficerMeView, ServerMessage } from '../../../../server/protocol.js';
import { watchActivity } from '../../lib/activity.js';
import { LoadController } from '../../lib/load.controller.js';
import { OfficerLiveController } from '../../lib/officer-live.controller.js';
import { loadStatus, sectionFrame } from '../parts.js';
import { AdminSection } from '../section.js';
import followUpStyles from './followups.styles.js';
import type { OsgAdminInbox } from './inbox.component.js';
import './inbox.js';
import './notifications.js';
import './thread.js';

/**
 * @summary "Tindak lanjut": the follow-up queue of every site of the officer — the inbox, one thread with its
 * follow-up panel and reply box, and (supervisors) escalation notifications, all live over the officers'
 * WebSocket. The page title carries the number of follow-ups that arrived or changed since the officer last
 * opened them ("(3) Tindak lanjut — OSG").
 *
 * @event osg-admin-announce - Arrivals and results, for the page's live region.
 * @csspart live - The live connection's state.
 */
export class OsgAdminFollowUps extends AdminSection {
  static styles = [...AdminSection.styles, followUpStyles];

  readonly live = new OfficerLiveController(this, {
    url: () => this.api?.liveUrl ?? '',
    token: () => this.api?.token,
    // A refused session: any REST call ends the page's session with the server's reason.
    onRefused: () => void this.loadMe(),
  });
  private readonly me = new LoadController<OfficerMeView>(this);

  /** Follow-ups that arrived or changed (by someone else) since this page last opened them. */
  @state() private unread = new Set<string>();
  @state() private openId: string | null = null;
  /** The versions this page wrote itself: their queue frames are not news to this officer. */
  private readonly ownVersions = new Map<string, number>();
  private unlisten?: () => void;
  private welcomed = false;

  constructor() {
    super();
    this.addEventListener('osg-admin-open-follow-up', (event) => void this.open(event.detail.threadId));
    this.addEventListener('osg-admin-follow-up-written', (event) => {
      const { threadId, version } = event.detail;
      this.ownVersions.set(threadId, Math.max(version, this.ownVersions.get(threadId) ?? 0));
    });
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.unlisten = this.live.listen((message) => this.onLive(message));
    watchActivity();
    void this.loadMe();
    this.updateTitle();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
    document.title = this.t.title;
  }

  private loadMe(): Promise<void> {
    const api = this.api;
    return api ? this.me.load(() => api.me()) : Promise.resolve();
  }

  private onLive(message: ServerMessage): void {
    if (message.type === 'officer-welcome') {
      // A later welcome follows a reconnect or a change of role or sites: the pickers may have changed.
      if (this.welcomed) void this.loadMe();
      this.welcomed = true;
      return;
    }
    if (message.type !== 'queue') return;
    const { threadId, version } = message.item.followUp;
    if (threadId === this.openId || (this.ownVersions.get(threadId) ?? 0) >= version) return;
    this.unread = new Set(this.unread).add(threadId);
    this.updateTitle();
  }

  private updateTitle(): void {
    document.title = this.t.fu.documentTitle(this.unread.size);
  }

  private async open(threadId: string | null): Promise<void> {
    const previous = this.openId;
    this.openId = threadId;
    if (threadId && this.unread.has(threadId)) {
      const unread = new Set(this.unread);
      unread.delete(threadId);
      this.unread = unread;
      this.updateTitle();
    }
    if (threadId === null && previous) {
      await this.updateComplete;
      const inbox = this.renderRoot.querySelector<OsgAdminInbox>('osg-admin-fu-inbox');
      await inbox?.updateComplete;
      inbox?.focusRow(previous);
    }
  }

  render() {
    const t = this.t;
    const me = this.me.value;
    const liveState = this.live.state === 'stopped' ? 'offline' : this.live.state;
    const supervisor = me && me.role !== 'officer';
    return sectionFrame(
      t,
      'followups',
      html`<p class="live muted" part="live" data-state=${liveState}><span class="dot" aria-hidden="true"></span>${t.fu.live[liveState]}</p>
        ${loadStatus(t, this.me.state, () => void this.loadMe())}
        ${me
          ? html`${supervisor ? html`<osg-admin-fu-notifications .api=${this.api} .t=${t} .live=${this.live}></osg-admin-fu-notifications>` : nothing}
              <osg-admin-fu-inbox ?hidden=${this.openId !== null} .api=${this.api} .t=${t} .me=${me} .live=${this.live}
                .unread=${this.unread}></osg-admin-fu-inbox>
              ${this.openId
                ? html`<osg-admin-fu-thread .api=${this.api} .t=${t} .me=${me} .live=${this.live} .threadId=${this.openId}></osg-admin-fu-thread>`
                : nothing}`
          : nothing}`,
    );
  }
}
