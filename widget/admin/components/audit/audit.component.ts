import { html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { AuditEntryView } from '../../../../server/protocol.js';
import baseStyles from '../../../styles/base.styles.js';
import { adminMessages, formatTime } from '../../i18n.js';
import { openMember } from '../../lib/events.js';
import { LoadController } from '../../lib/load.controller.js';
import type { OfficerApiLike } from '../../lib/officer-api.js';
import { sectionStyles } from '../../styles/admin.styles.js';
import { errorLine, loadingLine } from '../parts.js';

/**
 * @summary "Log audit": every officer change of a badge, role or reputation, newest first, optionally for one
 * member.
 *
 * @event osg-admin-open-member - The officer wants to see the member an entry is about.
 * @csspart entry - One row of the log.
 */
export class OsgAdminAudit extends LitElement {
  static styles = [baseStyles, sectionStyles];

  private readonly log = new LoadController<AuditEntryView[]>(this);

  @query('h2') private heading?: HTMLElement;

  @property({ attribute: false }) api?: OfficerApiLike;
  @property({ attribute: false }) t = adminMessages('id');

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

  focusHeading(): void {
    this.heading?.focus();
  }

  private renderEntry(entry: AuditEntryView) {
    const t = this.t;
    const details = Object.entries(entry.details ?? {});
    return html`<tr part="entry">
      <td data-label=${t.when}>${formatTime(t, entry.at)}</td>
      <td data-label=${t.officer}>${entry.officer.name}</td>
      <td data-label=${t.action} class="code">${entry.action}</td>
      <td data-label=${t.target}>
        ${entry.memberId
          ? html`<button type="button" class="link code" @click=${(event: Event) => openMember(event.currentTarget!, entry.memberId!)}>
              ${entry.memberId}<span class="sr-only"> — ${t.openMember}</span>
            </button>`
          : nothing}
        ${entry.postId ? html`<span class="muted">${t.post}: <span class="code">${entry.postId}</span></span>` : nothing}
      </td>
      <td data-label=${t.details}>${details.map(([key, value]) => html`<div><span class="muted">${key}:</span> ${String(value)}</div>`)}</td>
    </tr>`;
  }

  render() {
    const t = this.t;
    const state = this.log.state;
    const entries = this.log.value;
    return html`<section aria-labelledby="audit-heading">
      <h2 id="audit-heading" tabindex="-1">${t.sections.audit}</h2>
      <form class="toolbar" role="search" aria-label=${t.auditFilter} @submit=${this.onFilter}>
        <div class="field">
          <label for="audit-member">${t.auditFilter}</label>
          <input id="audit-member" autocomplete="off" spellcheck="false" .value=${this.memberFilter}
            @input=${(event: Event) => (this.memberFilter = (event.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="primary">${t.show}</button>
      </form>
      ${loadingLine(t, state.status === 'loading')}
      ${state.status === 'error' ? errorLine(t, state.error, () => this.reload()) : nothing}
      ${entries && state.status !== 'error'
        ? entries.length === 0
          ? html`<p class="muted state empty">${t.auditEmpty}</p>`
          : html`<table>
              <caption class="sr-only">${t.sections.audit}</caption>
              <thead>
                <tr><th scope="col">${t.when}</th><th scope="col">${t.officer}</th><th scope="col">${t.action}</th><th scope="col">${t.target}</th><th scope="col">${t.details}</th></tr>
              </thead>
              <tbody>${entries.map((entry) => this.renderEntry(entry))}</tbody>
            </table>`
        : nothing}
    </section>`;
  }
}
