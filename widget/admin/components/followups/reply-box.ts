import { html, nothing, type TemplateResult } from 'lit';
import type { AdminMessages } from '../../i18n.js';

export interface ReplyBoxOptions {
  draft: string;
  sending: boolean;
  /** The follow-up changed under the draft: the button says "Kirim tetap" and sending is a deliberate choice. */
  changes?: string[];
  onInput: (draft: string) => void;
  onSend: (event: Event) => void;
}

/**
 * The officer's reply. When the follow-up changed since the officer saw it (someone answered, assigned or moved
 * it), the changes are listed above the draft — which is kept — as Freshdesk's "traffic cop" does.
 */
export function replyBox(t: AdminMessages, options: ReplyBoxOptions): TemplateResult {
  const { changes } = options;
  return html`<form class="reply" part="reply" @submit=${options.onSend}>
    ${changes
      ? html`<div class="stale confirm" part="stale" role="alert" tabindex="-1">
          <p><strong>${t.fu.staleHeading}:</strong> <span class="stale-changes">${changes.join('; ')}</span>.</p>
          <p class="muted">${t.fu.staleKeep}</p>
        </div>`
      : nothing}
    <label for="reply">${t.fu.reply}</label>
    <textarea id="reply" part="compose" rows="5" maxlength="5000" aria-describedby="reply-hint" .value=${options.draft}
      @input=${(event: Event) => options.onInput((event.target as HTMLTextAreaElement).value)}></textarea>
    <p id="reply-hint" class="muted">${t.fu.replyHint}</p>
    <div class="actions">
      <button type="submit" class="primary" part="send" ?disabled=${options.sending || !options.draft.trim()}>
        ${options.sending ? t.sending : changes ? t.fu.sendAnyway : t.fu.send}
      </button>
    </div>
  </form>`;
}
