/** Breaches escalate to the site's supervisors: a notification each (live and in their page) and an audit entry. */
import type { NotificationView } from '../../protocol.js';
import type { FollowUp, OfficerNotification, SlaTarget } from '../follow-up/index.js';
import { notificationView } from '../follow-up-views.js';
import { accountRole, accountSites } from '../officer-accounts.js';
import { officerId } from '../officer-service.js';
import type { FollowUpCore, OfficerContext } from './core.js';

/** A breach: a notification for each supervisor of the site, and one audit entry (`system`). */
export async function escalate(core: FollowUpCore, followUp: FollowUp, target: SlaTarget): Promise<void> {
  const at = core.iso();
  const which = target === 'firstResponse' ? 'first_response' : 'resolution';
  const siteIds = core.consultation.siteIds();
  const supervisors = core.accounts().filter((a) => accountRole(a) === 'supervisor' && accountSites(a, siteIds).includes(followUp.site));
  const notifications: OfficerNotification[] = supervisors.map((a) => ({
    id: core.newId(),
    officerId: officerId(a.username),
    at,
    kind: 'sla_breached',
    threadId: followUp.threadId,
    tracking: followUp.tracking,
    site: followUp.site,
    target: which,
    read: false,
  }));
  if (notifications.length) await core.store.addNotifications({ notifications });
  await core.store.appendAudit({
    entry: {
      id: core.newId(),
      at,
      officerId: 'system',
      action: 'followup.escalate',
      details: { threadId: followUp.threadId, tracking: followUp.tracking, site: followUp.site, target: which, notified: notifications.length },
    },
  });
  for (const notification of notifications) core.tell({ kind: 'notification', notification });
}

export async function listNotifications(core: FollowUpCore, ctx: OfficerContext, limit: number): Promise<{ notifications: NotificationView[]; unread: number }> {
  const list = await core.store.listNotifications({ officerId: ctx.member.id, limit });
  return { notifications: list.map(notificationView), unread: list.filter((n) => !n.read).length };
}

export async function markNotificationsRead(core: FollowUpCore, ctx: OfficerContext, ids: string[]): Promise<void> {
  await core.store.markNotificationsRead({ officerId: ctx.member.id, ids });
}
