import { expect } from '@esm-bundle/chai';
import type { NotificationView, ServerMessage } from '../../../server/protocol.js';
import '../../../widget/admin/components/followups/notifications.js';
import type { OfficerApiLike } from '../../../widget/admin/lib/officer-api.js';
import type { OfficerLiveController } from '../../../widget/admin/lib/officer-live.controller.js';
import { waitFor } from '../support/helpers.js';

function notification(id: string, read = false): NotificationView {
  return { id, at: '2026-12-02T03:00:00.000Z', kind: 'sla_breached', threadId: `t-${id}`, tracking: `KR1-2026-00000${id}`, site: 'kanreg1', target: 'first_response', read };
}

describe("a supervisor's notifications", () => {
  afterEach(() => document.querySelectorAll('osg-admin-fu-notifications').forEach((element) => element.remove()));

  it('shows the unread badge, adds escalations live, and marks them read', async () => {
    const marked: string[][] = [];
    const api = {
      liveUrl: 'ws://127.0.0.1:9/ws',
      notifications: async () => ({ notifications: [notification('1'), notification('2', true)], unread: 1 }),
      markRead: async (ids: string[]) => void marked.push(ids),
    } as unknown as OfficerApiLike;
    let listener: ((message: ServerMessage) => void) | undefined;
    const live = { listen: (fn: (message: ServerMessage) => void) => ((listener = fn), () => (listener = undefined)) } as unknown as OfficerLiveController;
    const element = document.createElement('osg-admin-fu-notifications');
    Object.assign(element, { api, live });
    document.body.append(element);
    const root = element.shadowRoot!;
    await waitFor(() => root.querySelector('[part="unread"]')?.textContent === '1 belum dibaca', 'the unread badge');
    expect(root.querySelector('li[data-notification="1"]')!.textContent).to.include('KR1-2026-000001 lewat batas tanggapan pertama');

    listener!({ type: 'notification', notification: notification('3') });
    await waitFor(() => root.querySelector('[part="unread"]')?.textContent === '2 belum dibaca', 'the live escalation counted');
    expect(root.querySelectorAll('li').length).to.equal(3);

    root.querySelector('details')!.open = true;
    root.querySelector<HTMLButtonElement>('[part="mark-read"]')!.click();
    await waitFor(() => !root.querySelector('[part="unread"]'), 'the badge cleared');
    expect(marked).to.deep.equal([['3', '1']]);
    expect(root.querySelectorAll('li.unread').length).to.equal(0);
  });
});
