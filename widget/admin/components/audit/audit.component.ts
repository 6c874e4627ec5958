import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { AuditEntryView } from '../../../../server/protocol.js';
import { formatTime } from '../../i18n.js';
import { openMember } from '../../lib/events.js';
import { LoadController } from '../../lib/load.controller.js';
import { loadedList, loadStatus, searchForm, sectionFrame } from '../parts.js';
import { AdminSection } from '../section.js';

/**
 * @summary "Log audit": every officer change of a badge, role or reputation, newest first, optionally for one
 * member.
 *
 * @event osg-admin-open-member - The officer wants to see the member an entry is about.
 * @csspart entry - One row of the log.
 */
export class OsgAdminAudit extends AdminSection {
  private readonly log = new LoadController<AuditEntryView[]>(this);

  @state() private memberFilter = '';

  connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  private onFilter(event: Event): void {
    event.preventDefault();
    void this.reload();
  }

  reload(): Promise<void> {
    const api = this.api;
    if (!api) return Promise.resolve();
    const memberId = this.memberFilter.trim() || undefined;
    return this.log.load(() => api.audit(memberId));
  }

  private renderEntry(entry: AuditEntryView) {
    const t = this.t;
    // The officer's note first: it says why.
    const details = Object.entries(entry.details ?? {}).sort(([a], [b]) => Number(b === 'note') - Number(a === 'note'));
    return html`<tr part="entry">
      <td data-label=${t.when}>${formatTime(t, entry.at)}</td>
      <td data-label=${t.officer}>${entry.officer.name}</td>
      <td data-label=${t.action} class=${t.auditActions[entry.action] ? '' : 'code'}>${t.auditActions[entry.action] ?? entry.action}</td>
      <td data-label=${t.target}>
        ${entry.memberId
          ? html`<button type="button" class="link code" @click=${(event: Event) => openMember(event.currentTarget!, entry.memberId!)}>
              ${entry.memberId}<span class="sr-only"> — ${t.openMember}</span>
            </button>`
          : nothing}
        ${entry.postId ? html`<span class="muted">${t.post}: <span class="code">${entry.postId}</span></span>` : nothing}
      </td>
      <td data-label=${t.details}>${details.map(([key, value]) =>
        html`<div class=${key === 'note' ? 'text' : ''}><span class="muted">${t.auditDetails[key] ?? key}:</span> ${String(value)}</div>`)}</td>
    </tr>`;
  }

  render() {
    const t = this.t;
    return sectionFrame(t, 'audit', html`
      ${searchForm({
        formLabel: t.auditFilter,
        inputId: 'audit-member',
        inputLabel: t.auditFilter,
        value: this.memberFilter,
        onInput: (value) => (this.memberFilter = value),
        onSubmit: (event) => this.onFilter(event),
        submitLabel: t.show,
      })}
      ${loadStatus(t, this.log.state, () => this.reload())}
      ${loadedList(this.log.state, t.auditEmpty, (entries) =>
        html`<table>
          <caption class="sr-only">${t.sections.audit}</caption>
          <thead>
            <tr><th scope="col">${t.when}</th><th scope="col">${t.officer}</th><th scope="col">${t.action}</th><th scope="col">${t.target}</th><th scope="col">${t.details}</th></tr>
          </thead>
          <tbody>${entries.map((entry) => this.renderEntry(entry))}</tbody>
        </table>`)}
    `);
  }
}
