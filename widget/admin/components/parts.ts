import { html, nothing, type TemplateResult } from 'lit';
import type { MemberSummary } from '../../../server/protocol.js';
import { errorMessage, type AdminError, type AdminMessages, type SectionId } from '../i18n.js';
import { openMember } from '../lib/events.js';
import type { LoadState } from '../lib/load.controller.js';

/**
 * Small templates the sections share. All user text goes into text bindings (`${value}`), which Lit renders
 * as text nodes: nothing a member typed is ever parsed as HTML.
 */

/** Name, level, badges and reputation of a member, with a button that opens them in "Anggota". */
export function memberLine(t: AdminMessages, member: MemberSummary, options: { link?: boolean } = {}): TemplateResult {
  const link = options.link ?? true;
  return html`<span class="member" part="member">
    <span class="name">${member.name}</span>
    ${member.officer
      ? html`<span class="chip officer">${t.officerBadge}</span>`
      : html`<span class="chip level">${t.levels[member.level] ?? member.level}</span>`}
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

/** A section's landmark and its heading, which the page focuses (tabindex -1) when the officer opens it. */
export function sectionFrame(t: AdminMessages, id: SectionId, content: unknown): TemplateResult {
  return html`<section aria-labelledby="${id}-heading">
    <h2 id="${id}-heading" tabindex="-1">${t.sections[id]}</h2>
    ${content}
  </section>`;
}

/** "Loading…" while a read runs, or its error with a retry button. */
export function loadStatus(t: AdminMessages, state: LoadState<unknown>, retry: () => void): TemplateResult {
  return html`${loadingLine(t, state.status === 'loading')}
    ${state.status === 'error' ? errorLine(t, state.error, retry) : nothing}`;
}

/** A loaded list: the `empty` line when it has no items, else `list`; nothing before it loads or after an error. */
export function loadedList<T>(
  state: LoadState<T[]>,
  empty: string,
  list: (items: T[]) => TemplateResult,
): TemplateResult | typeof nothing {
  const items = 'value' in state ? state.value : undefined;
  if (!items || state.status === 'error') return nothing;
  return items.length === 0 ? html`<p class="muted state empty">${empty}</p>` : list(items);
}

/** The toolbar of a list filtered by status: a select of `statuses` (named by `labels`) and a reload button. */
export function statusToolbar<S extends string>(
  t: AdminMessages,
  options: { statuses: readonly S[]; labels: Record<S, string>; current: S; onChange: (status: S) => void; onRefresh: () => void },
): TemplateResult {
  const { statuses, labels, current, onChange, onRefresh } = options;
  return html`<div class="toolbar">
    <div>
      <label for="status">${t.show}</label>
      <select id="status" @change=${(event: Event) => onChange((event.target as HTMLSelectElement).value as S)}>
        ${statuses.map((status) => html`<option value=${status} ?selected=${status === current}>${labels[status]}</option>`)}
      </select>
    </div>
    <button type="button" @click=${onRefresh}>${t.refresh}</button>
  </div>`;
}

/** A one-field search toolbar (role="search"): the field keeps `value` through `onInput`; the button submits. */
export function searchForm(options: {
  formLabel: string;
  inputId: string;
  inputLabel: string;
  value: string;
  onInput: (value: string) => void;
  onSubmit: (event: Event) => void;
  submitLabel: string;
  submitDisabled?: boolean;
}): TemplateResult {
  const { formLabel, inputId, inputLabel, value, onInput, onSubmit, submitLabel, submitDisabled = false } = options;
  return html`<form class="toolbar" role="search" aria-label=${formLabel} @submit=${onSubmit}>
    <div class="field">
      <label for=${inputId}>${inputLabel}</label>
      <input id=${inputId} autocomplete="off" spellcheck="false" .value=${value}
        @input=${(event: Event) => onInput((event.target as HTMLInputElement).value)} />
    </div>
    <button type="submit" class="primary" ?disabled=${submitDisabled}>${submitLabel}</button>
  </form>`;
}
