import { html, type TemplateResult } from 'lit';
import type { FollowUpStatus, OfficerMeView, QueueResponse, SlaState } from '../../../../server/protocol.js';
import type { AdminMessages } from '../../i18n.js';
import type { QueueFilters } from '../../lib/officer-api.js';

// The lists in protocol.ts order; only types come from the server's protocol file (it carries zod).
const FOLLOW_UP_STATUSES: readonly FollowUpStatus[] = ['baru', 'diproses', 'menunggu_penanya', 'selesai', 'ditutup'];
const SLA_STATES: readonly SlaState[] = ['ok', 'warning', 'breached', 'paused', 'met'];

export interface QueueFiltersOptions {
  me: OfficerMeView;
  filters: QueueFilters;
  /** The words field as typed, applied on submit. */
  words: string;
  counts?: QueueResponse['counts'];
  onChange: (change: Partial<QueueFilters>) => void;
  onWords: (words: string) => void;
  onSearch: (event: Event) => void;
}

function select(id: string, label: string, value: string, options: Array<[string, string]>, onChange: (value: string) => void): TemplateResult {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select id=${id} @change=${(event: Event) => onChange((event.target as HTMLSelectElement).value)}>
      ${options.map(([key, text]) => html`<option value=${key} ?selected=${key === value}>${text}</option>`)}
    </select>
  </div>`;
}

/**
 * The inbox's filters: sites, categories and colleagues come from `GET /api/officer/me` (never typed ids); a
 * select applies at once, the words on submit. The counts per status and SLA state are toggle buttons that set
 * that one filter.
 */
export function queueFilters(t: AdminMessages, options: QueueFiltersOptions): TemplateResult {
  const { me, filters, counts, onChange } = options;
  const sites = filters.site ? me.sites.filter((site) => site.id === filters.site) : me.sites;
  const categories = new Map<string, string>();
  for (const site of sites) for (const category of site.categories) if (!categories.has(category.id)) categories.set(category.id, t.locale === 'en' ? category.label.en : category.label.id);
  const colleagues = me.colleagues.filter((each) => each.officer.id !== me.officer.id);
  return html`
    <form class="filters" role="search" aria-label=${t.fu.filters} @submit=${options.onSearch}>
      ${me.sites.length > 1
        ? select('fu-site', t.fu.site, filters.site, [['', t.fu.anySite], ...me.sites.map((site): [string, string] => [site.id, site.name])], (site) =>
            onChange({ site, category: '' }),
          )
        : ''}
      ${select('fu-category', t.fu.category, filters.category, [['', t.fu.anyCategory], ...categories.entries()], (category) => onChange({ category }))}
      ${select('fu-status', t.fu.status, filters.status, [['', t.fu.anyStatus], ...FOLLOW_UP_STATUSES.map((s): [string, string] => [s, t.fu.statuses[s]])], (status) =>
        onChange({ status }),
      )}
      ${select(
        'fu-assignee',
        t.fu.assignee,
        filters.assignee,
        [['', t.fu.anyAssignee], ['me', t.fu.me], ['none', t.fu.none], ...colleagues.map((each): [string, string] => [each.officer.id, each.officer.name])],
        (assignee) => onChange({ assignee }),
      )}
      ${select('fu-sla', t.fu.slaFilter, filters.sla, [['', t.fu.anySla], ...SLA_STATES.map((s): [string, string] => [s, t.fu.sla[s]])], (sla) => onChange({ sla }))}
      <div class="field words">
        <label for="fu-words">${t.fu.words}</label>
        <input id="fu-words" type="search" autocomplete="off" spellcheck="false" maxlength="200" .value=${options.words}
          @input=${(event: Event) => options.onWords((event.target as HTMLInputElement).value)} />
      </div>
      <button type="submit" class="primary">${t.fu.search}</button>
    </form>
    ${counts
      ? html`<div class="counts">
          ${countGroup(t.fu.byStatus, FOLLOW_UP_STATUSES, counts.byStatus, t.fu.statuses, filters.status, (status) => onChange({ status }), t)}
          ${countGroup(t.fu.bySla, SLA_STATES, counts.bySla, t.fu.sla, filters.sla, (sla) => onChange({ sla }), t)}
        </div>`
      : ''}
  `;
}

function countGroup<K extends string>(
  label: string,
  keys: readonly K[],
  counts: Record<K, number>,
  names: Record<K, string>,
  current: string,
  onPick: (value: string) => void,
  t: AdminMessages,
): TemplateResult {
  return html`<div role="group" aria-label=${label} class="count-group">
    ${keys.map(
      (key) => html`<button type="button" class="count" data-count=${key} aria-pressed=${current === key ? 'true' : 'false'}
        title=${t.fu.showOnly(names[key])} @click=${() => onPick(current === key ? '' : key)}>
        ${names[key]} <strong>${counts[key] ?? 0}</strong>
      </button>`,
    )}
  </div>`;
}
