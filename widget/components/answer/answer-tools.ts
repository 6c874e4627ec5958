import type { TemplateResult } from 'lit';
import type { FlagReason } from '../../controllers/trust-actions.js';
import { profileMessages, type Messages } from '../../i18n.js';
import type { LitKit } from '../../lib/on-demand-module.js';

const REASONS: FlagReason[] = ['salah_informasi', 'spam', 'tidak_pantas'];

/**
 * The parts of `<osg-answer>` few visitors use, so they come with the on-demand module, loaded the first time
 * a visitor presses "Sunting" or "Laporkan": the author's edit form and the report menu. They render inside
 * the answer's shadow root, styled by answer.styles.ts.
 */
export interface AnswerTools {
  /**
   * The edit form with the answer's text; `save` gets the new text. When the answer is endorsed or accepted,
   * it says first that a changed text loses those marks.
   */
  editForm(t: Messages, body: string, busy: boolean, save: (body: string) => void, cancel: () => void, marks?: EditMarks): TemplateResult;
  /** The three reasons (part `flag-reason`) and cancel; Esc cancels too. */
  flagMenu(t: Messages, flag: (reason: FlagReason) => void, cancel: () => void): TemplateResult;
  /**
   * Puts focus back on the control `part` of the answer `postId` in a thread view's `root`. Answers re-sort when
   * a score or the best answer changes, and each row then shows another answer: the pressed control would stay
   * focused on the wrong answer (or, moved or disabled, drop focus to <body>). Focus follows the answer, unless
   * the visitor has moved on to something other than a rating or accept control.
   */
  followFocus(root: ParentNode, keep: { postId: string; part: string }): Promise<void>;
}

/** The marks an answer carries that a changed text loses. */
export interface EditMarks {
  endorsed: boolean;
  accepted: boolean;
}

export function answerTools({ html, nothing }: LitKit): AnswerTools {
  return {
    async followFocus(root, { postId, part }) {
      const answer = root.querySelector<HTMLElement & { updateComplete: Promise<boolean> }>(`li[data-post-id="${postId}"] osg-answer`);
      if (!answer) return;
      await answer.updateComplete;
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      if (active === document.body || active?.matches('[part~=rating-up],[part~=rating-down],[part~=accept]')) {
        answer.shadowRoot!.querySelector<HTMLElement>(`[part~=${part}]`)?.focus();
      }
    },
    editForm: (t, body, busy, save, cancel, marks) => {
      const lost = [...(marks?.endorsed ? [t.endorsed] : []), ...(marks?.accepted ? [t.accepted] : [])];
      const warning = lost.length ? profileMessages(t.locale).editClearsMarks(lost) : '';
      return html`<form class="edit" @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        save((event.target as HTMLFormElement).querySelector('textarea')!.value);
      }}>
        <label for="edit">${profileMessages(t.locale).editLabel}</label>
        ${warning ? html`<p id="edit-warning" class="muted note">${warning}</p>` : nothing}
        <textarea id="edit" rows="4" .value=${body} aria-describedby=${warning ? 'edit-warning' : nothing}></textarea>
        <div class="row">
          <button class="primary" type="submit" ?disabled=${busy}>${profileMessages(t.locale).save}</button>
          <button type="button" @click=${cancel}>${t.cancel}</button>
        </div>
      </form>`;
    },
    flagMenu: (t, flag, cancel) => html`<div class="row reasons" role="group" aria-label=${profileMessages(t.locale).reportLabel}
        @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && cancel()}>
        <span class="muted">${profileMessages(t.locale).reportLabel}</span>
        ${REASONS.map((reason) => html`<button part="flag-reason" @click=${() => flag(reason)}>${t.reasons[reason]}</button>`)}
        <button class="link" @click=${cancel}>${t.cancel}</button>
      </div>`,
  };
}
