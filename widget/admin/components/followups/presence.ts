import { html, type TemplateResult } from 'lit';
import type { OfficerPresence } from '../../../../server/protocol.js';
import type { AdminMessages } from '../../i18n.js';

/** "Budi sedang melihat" / "Budi sedang mengetik": the other officers on this thread, read out as they change. */
export function presenceLine(t: AdminMessages, officers: OfficerPresence[]): TemplateResult {
  return html`<p class="presence" part="presence" role="status" aria-live="polite">
    ${officers.map(
      (each, index) => html`${index > 0 ? ' · ' : ''}<span class="presence-item" data-typing=${each.typing ? 'true' : 'false'}
          >${each.typing ? t.fu.typing(each.officer.name) : t.fu.viewing(each.officer.name)}</span
        >`,
    )}
  </p>`;
}
