import { html, nothing, type TemplateResult } from 'lit';
import type { FollowUpStatus, FollowUpView, OfficerMeView } from '../../../../server/protocol.js';
import type { AdminMessages } from '../../i18n.js';
import { dueText, zoneDate } from '../../lib/follow-up-format.js';
import { slaChip } from './queue-row.js';

export interface FollowUpPanelOptions {
  followUp: FollowUpView;
  me: OfficerMeView;
  busy: boolean;
  /** The colleague picked in the supervisor's "Tugaskan ke" select. */
  assignDraft: string;
  onStatus: (status: FollowUpStatus) => void;
  onAssign: (officerId: string | null) => void;
  onAssignDraft: (officerId: string) => void;
}

/** A due time both ways: the working time left or late when it is the running target, and the date in the site's zone. */
function dueCell(t: AdminMessages, followUp: FollowUpView, due: string, doneAt: string | undefined, done: (when: string) => string, running: boolean) {
  const zone = followUp.timeZone;
  if (doneAt) return html`<span class="due-left">${done(zoneDate(t, doneAt, zone))}</span><span class="due-date">${t.fu.dueOn(zoneDate(t, due, zone))}</span>`;
  const left = running ? dueText(t, followUp.minutesLeft) : '';
  return html`${left ? html`<span class="due-left" data-late=${(followUp.minutesLeft ?? 0) < 0 ? 'true' : 'false'}>${left}</span>` : nothing}
    <span class="due-date">${t.fu.dueOn(zoneDate(t, due, zone))}</span>`;
}

/**
 * The follow-up panel of a thread: tracking number, status with the moves this officer may make, SLA chip, due
 * times, the assignee with "Ambil" / "Lepaskan" and (supervisors, admins) "Tugaskan ke".
 */
export function followUpPanel(t: AdminMessages, options: FollowUpPanelOptions): TemplateResult {
  const { followUp, me, busy } = options;
  const mine = followUp.assignee?.id === me.officer.id;
  const supervisor = me.role !== 'officer';
  const colleagues = me.colleagues.filter((each) => each.sites.includes(followUp.site) && each.officer.id !== followUp.assignee?.id);
  const answered = Boolean(followUp.firstRespondedAt);
  return html`<aside class="panel card" part="follow-up-panel" aria-labelledby="panel-heading">
    <h3 id="panel-heading">${t.fu.panel}</h3>
    <dl class="panel-facts">
      <dt>${t.fu.tracking}</dt>
      <dd class="code tracking">${followUp.tracking}</dd>
      <dt>${t.fu.status}</dt>
      <dd><span class="chip status status-${followUp.status}" data-status=${followUp.status}>${t.fu.statuses[followUp.status]}</span></dd>
      <dt>${t.fu.slaFilter}</dt>
      <dd>${slaChip(t, followUp)}</dd>
      <dt>${t.fu.firstResponse}</dt>
      <dd class="due">${dueCell(t, followUp, followUp.firstResponseDue, followUp.firstRespondedAt, t.fu.respondedAt, !answered)}</dd>
      <dt>${t.fu.resolution}</dt>
      <dd class="due">${dueCell(t, followUp, followUp.resolutionDue, followUp.resolvedAt, t.fu.resolvedAt, answered)}</dd>
      ${followUp.autoCloseAt
        ? html`<dt>${t.fu.autoCloseAt}</dt>
            <dd class="due"><span class="due-date">${zoneDate(t, followUp.autoCloseAt, followUp.timeZone)}</span></dd>`
        : nothing}
      <dt>${t.fu.reason}</dt>
      <dd>${t.fu.reasons[followUp.reason]}</dd>
      <dt>${t.fu.assignee}</dt>
      <dd class="assignee">${followUp.assignee ? html`<span class="name">${followUp.assignee.name}</span>` : t.fu.unassigned}</dd>
    </dl>
    <div class="actions">
      ${mine
        ? html`<button type="button" part="release" ?disabled=${busy} @click=${() => options.onAssign(null)}>${t.fu.release}</button>`
        : html`<button type="button" part="take" class="primary" ?disabled=${busy} @click=${() => options.onAssign(me.officer.id)}>${t.fu.take}</button>`}
    </div>
    ${supervisor && colleagues.length
      ? html`<div class="assign-to">
          <label for="assign-to">${t.fu.assignTo}</label>
          <div class="actions">
            <select id="assign-to" @change=${(event: Event) => options.onAssignDraft((event.target as HTMLSelectElement).value)}>
              ${colleagues.map((each) => html`<option value=${each.officer.id} ?selected=${each.officer.id === options.assignDraft}>${each.officer.name}</option>`)}
            </select>
            <button type="button" part="assign" ?disabled=${busy}
              @click=${() => options.onAssign(options.assignDraft || colleagues[0]!.officer.id)}>${t.fu.assign}</button>
          </div>
        </div>`
      : nothing}
    <div role="group" aria-label=${t.fu.moveTo} class="moves">
      <p class="muted">${t.fu.moveTo}</p>
      ${followUp.allowedStatuses.length
        ? html`<div class="actions">
            ${followUp.allowedStatuses.map(
              (status) => html`<button type="button" part="move" data-status=${status} ?disabled=${busy} @click=${() => options.onStatus(status)}>
                ${t.fu.statuses[status]}
              </button>`,
            )}
          </div>`
        : html`<p class="muted">${t.fu.noMoves}</p>`}
    </div>
  </aside>`;
}

/** The status history, oldest first, times in the site's zone. */
export function statusHistory(t: AdminMessages, followUp: FollowUpView): TemplateResult {
  return html`<section class="history" aria-labelledby="history-heading">
    <h3 id="history-heading">${t.fu.history}</h3>
    <ol>
      ${followUp.history.map(
        (entry) => html`<li>
          <span class="muted">${zoneDate(t, entry.at, followUp.timeZone)}</span> ·
          ${entry.from ? t.fu.historyLine(t.fu.statuses[entry.from], t.fu.statuses[entry.to], t.fu.causes[entry.cause] ?? entry.cause) : t.fu.opened}
          ${entry.by ? html` · <span class="name">${entry.by.name}</span>` : nothing}
          ${entry.note ? html` · <span class="note">${entry.note}</span>` : nothing}
        </li>`,
      )}
    </ol>
  </section>`;
}
