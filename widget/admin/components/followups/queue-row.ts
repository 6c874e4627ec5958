import { html, nothing, type TemplateResult } from 'lit';
import type { QueueItem } from '../../../../server/protocol.js';
import type { AdminMessages } from '../../i18n.js';
import { dueText, nextDue, zoneDate } from '../../lib/follow-up-format.js';
import { openFollowUp } from '../../lib/events.js';

/** The SLA chip: its state in words and the working time left or late ("sisa 2 jam kerja"). */
export function slaChip(t: AdminMessages, item: QueueItem['followUp']): TemplateResult {
  const due = dueText(t, item.minutesLeft);
  return html`<span class="chip sla sla-${item.slaState}" data-sla=${item.slaState}>${t.fu.sla[item.slaState]}${due ? html` · ${due}` : nothing}</span>`;
}

/**
 * One follow-up in the inbox. The title is the row's button (keyboard: Tab to it, Enter opens); everything a
 * member typed is a text binding, never HTML.
 */
export function queueRow(t: AdminMessages, item: QueueItem, options: { unread: boolean; siteName: string }): TemplateResult {
  const { thread, followUp } = item;
  return html`<li class="card row ${options.unread ? 'unread' : ''}" part="queue-row" data-thread=${thread.id} data-tracking=${followUp.tracking}>
    <div class="row-head">
      <span class="code tracking">${followUp.tracking}</span>
      <span class="chip status status-${followUp.status}" data-status=${followUp.status}>${t.fu.statuses[followUp.status]}</span>
      ${slaChip(t, followUp)}
      ${options.unread ? html`<span class="chip new">${t.fu.changedMark}</span>` : nothing}
    </div>
    <button type="button" class="link thread-title" data-thread=${thread.id} @click=${(event: Event) => openFollowUp(event.currentTarget!, thread.id)}
      >${thread.title}</button
    >
    <p class="muted meta">
      <span class="name">${thread.author?.name ?? thread.authorName}</span> · ${options.siteName} · ${t.fu.reasons[followUp.reason]} ·
      ${followUp.assignee ? html`<span class="assignee">${followUp.assignee.name}</span>` : t.fu.unassigned} ·
      <span class="due-date">${zoneDate(t, nextDue(followUp), followUp.timeZone)}</span>
    </p>
  </li>`;
}
