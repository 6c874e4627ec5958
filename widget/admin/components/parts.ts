import { html, nothing, type TemplateResult } from 'lit';
import type { MemberSummary } from '../../../server/protocol.js';
import { errorMessage, type AdminError, type AdminMessages } from '../i18n.js';
import { openMember } from '../lib/events.js';

/**
 * Small templates the sections share. All user text goes into text bindings (`${value}`), which Lit renders
 * as text nodes: nothing a member typed is ever parsed as HTML.
 */

/** Name, level, badges and reputation of a member, with a button that opens them in "Anggota". */
export function memberLine(t: AdminMessages, member: MemberSummary, options: { link?: boolean } = {}): TemplateResult {
  const link = options.link ?? true;
  return html`<span class="member" part="member">
    <span class="name">${member.name}</span>
    <span class="chip level">${t.levels[member.level] ?? member.level}</span>
    ${member.officer ? html`<span class="chip officer">${t.officerBadge}</span>` : nothing}
    ${member.verified
      ? html`<span class="chip verified">${t.verifiedBadge(member.verified.jabatan, member.verified.instansi)}</span>`
      : nothing}
    <span class="muted">${t.reputation(member.reputation)}</span>
    <span class="muted code">${member.id}</span>
    ${link
      ? html`<button type="button" class="link" @click=${(event: Event) => openMember(event.currentTarget!, member.id)}>
          ${t.openMember}<span class="sr-only">: ${member.name}</span>
        </button>`
      : nothing}
  </span>`;
}

export function errorLine(t: AdminMessages, error: AdminError | undefined, retry?: () => void): TemplateResult | typeof nothing {
  if (!error) return nothing;
  return html`<p class="error state" role="alert">
    ${errorMessage(t, error)} ${retry ? html`<button type="button" @click=${retry}>${t.retry}</button>` : nothing}
  </p>`;
}

export function loadingLine(t: AdminMessages, loading: boolean): TemplateResult | typeof nothing {
  return loading ? html`<p class="muted state" aria-busy="true">${t.loading}</p>` : nothing;
}
