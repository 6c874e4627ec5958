import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { NotificationView, ServerMessage } from '../../../../server/protocol.js';
import { ActionController } from '../../lib/action.controller.js';
import { announce, openFollowUp } from '../../lib/events.js';
import { LoadController } from '../../lib/load.controller.js';
import type { OfficerLiveController } from '../../lib/officer-live.controller.js';
import { formatTime } from '../../i18n.js';
import { errorLine, loadStatus } from '../parts.js';
import { AdminSection } from '../section.js';
import followUpStyles from './followups.styles.js';

/**
 * @summary A supervisor's notifications: follow-ups of their sites past a due time (escalations), newest
 * first, live; an unread badge, "Buka" to open the follow-up and "Tandai sudah dibaca".
 *
 * @csspart notifications - The panel (a disclosure). @csspart unread - The unread badge.
 */
export class OsgAdminNotifications extends AdminSection {
  static styles = [...AdminSection.styles, followUpStyles];

  private readonly list = new LoadController<{ notifications: NotificationView[]; unread: number }>(this);
  private readonly actions = new ActionController(this);

  @property({ attribute: false }) live?: OfficerLiveController;
  private unlisten?: () => void;

  connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
    this.unlisten = undefined;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('live') || !this.unlisten) {
      this.unlisten?.();
      this.unlisten = this.live?.listen((message) => this.onLive(message));
    }
  }

  reload(): Promise<void> {
    const api = this.api;
    return api ? this.list.load(() => api.notifications()) : Promise.resolve();
  }

  private onLive(message: ServerMessage): void {
    if (message.type !== 'notification') return;
    const current = this.list.value ?? { notifications: [], unread: 0 };
    if (current.notifications.some((each) => each.id === message.notification.id)) return;
    this.list.set({ notifications: [message.notification, ...current.notifications], unread: current.unread + (message.notification.read ? 0 : 1) });
    announce(this, this.text(message.notification));
  }

  private text(notification: NotificationView): string {
    const t = this.t;
    return t.fu.breached(notification.tracking, notification.target === 'first_response' ? t.fu.firstResponse : t.fu.resolution);
  }

  private async markRead(): Promise<void> {
    const api = this.api;
    const current = this.list.value;
    const ids = current?.notifications.filter((each) => !each.read).map((each) => each.id).slice(0, 200) ?? [];
    if (!api || !current || ids.length === 0) return;
    await this.actions.run('read', async () => {
      await api.markRead(ids);
      this.list.set({ notifications: current.notifications.map((each) => ({ ...each, read: true })), unread: Math.max(0, current.unread - ids.length) });
      announce(this, this.t.fu.markedRead);
    });
  }

  render() {
    const t = this.t;
    const value = this.list.value;
    const unread = value?.unread ?? 0;
    return html`<details class="notifications card" part="notifications">
      <summary>
        ${t.fu.notifications}
        ${unread > 0 ? html`<span class="badge" part="unread">${t.fu.unreadBadge(unread)}</span>` : nothing}
      </summary>
      ${loadStatus(t, this.list.state, () => void this.reload())}
      ${value && value.notifications.length === 0 ? html`<p class="muted">${t.fu.noNotifications}</p>` : nothing}
      ${value && value.notifications.length
        ? html`<ul class="plain">
              ${value.notifications.map(
                (each) => html`<li class=${each.read ? 'read' : 'unread'} data-notification=${each.id}>
                  <span>${this.text(each)}</span> <span class="muted">${formatTime(t, each.at)}</span>
                  <button type="button" class="link" @click=${(event: Event) => openFollowUp(event.currentTarget!, each.threadId)}>
                    ${t.fu.open}<span class="sr-only"> ${each.tracking}</span>
                  </button>
                </li>`,
              )}
            </ul>
            <button type="button" part="mark-read" ?disabled=${unread === 0 || this.actions.busy !== undefined} @click=${this.markRead}>${t.fu.markRead}</button>`
        : nothing}
      ${errorLine(t, this.actions.failure?.error)}
    </details>`;
  }
}
