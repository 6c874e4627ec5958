import type { PropertyValues } from 'lit';
import type { FollowUpRequestResponse, ThreadView } from '../../../server/protocol.js';
import type { ForumController } from '../../controllers/forum.controller.js';
import { errorMessage, profileMessages, type Messages, type ShownError } from '../../i18n.js';
import { authed } from '../../lib/authed.js';
import type { LitKit } from '../../lib/on-demand-module.js';

/**
 * @summary The asker's side of the officers' follow-up queue, under their own question: "Minta jawaban
 * petugas" while the thread has no follow-up, then its tracking number and status, which follow the site's
 * event stream (an officer's answer or status change shows at once). Defined by the on-demand module, which the
 * thread view loads when the asker opens their own thread. It renders nothing for anyone else, who see only the
 * chip of the main script.
 *
 * Focus and screen readers: the button stays focused while the request is on its way (`aria-disabled`, not
 * `disabled`, which would drop focus); once stored, focus moves to the tracking number, which takes the button's
 * place. A status an officer changes later is said in a polite live region.
 *
 * @csspart follow-up-request - The "Minta jawaban petugas" button.
 * @csspart follow-up-status - Tracking number and status, e.g. "Nomor tiket KR1-2026-000012 · Diproses".
 * @csspart error - Why the request was refused, in words.
 */
export function defineFollowUp({ LitElement, html, css, nothing, baseStyles }: LitKit) {
  return class OsgFollowUp extends LitElement {
    static styles = [
      baseStyles,
      css`
        :host {
          display: block;
          margin-top: calc(var(--_space) * 0.75);
        }
        p {
          margin: calc(var(--_space) * 0.25) 0 0;
        }
        [part~='follow-up-status'] {
          font-weight: 600;
        }
        .tracking {
          font-variant-numeric: tabular-nums;
          overflow-wrap: anywhere;
        }
      `,
    ];
    static properties = {
      t: { attribute: false },
      thread: { attribute: false },
      forum: { attribute: false },
      me: {},
      busy: { state: true },
      error: { state: true },
      said: { state: true },
    };

    declare t: Messages;
    /** The asker's thread as the widget knows it now (its `followUp` changes live). */
    declare thread: ThreadView;
    declare forum: ForumController;
    /** The visitor's member id: only the thread's author gets the button and the tracking number. */
    declare me: string;
    declare private busy: boolean;
    declare private error?: ShownError;
    /** What the live region says: a status an officer changed while the asker looks. */
    declare private said: string;
    /** Set by the asker's own request: focus goes to the tracking number once it shows. */
    #focusStatus = false;

    constructor() {
      super();
      this.busy = false;
      this.said = '';
    }

    protected willUpdate(changed: PropertyValues): void {
      const before = (changed.get('thread') as ThreadView | undefined)?.followUp;
      const now = this.thread?.followUp;
      if (before && now && before.status !== now.status) {
        const words = profileMessages(this.t.locale).followUp;
        this.said = words.changed(now.tracking, words.statuses[now.status]);
      }
    }

    protected updated(): void {
      if (!this.#focusStatus || !this.thread.followUp) return;
      this.#focusStatus = false;
      this.renderRoot.querySelector<HTMLElement>('[part~=follow-up-status]')?.focus();
    }

    private async request(): Promise<void> {
      if (this.busy) return;
      this.busy = true;
      this.error = undefined;
      const id = this.thread.id;
      try {
        const { followUp } = await authed<FollowUpRequestResponse>(this.forum.api!, `/api/threads/${encodeURIComponent(id)}/follow-up`, 'POST');
        this.#focusStatus = true;
        // Shown now rather than when the event arrives; the event (same tracking number) changes nothing then.
        const current = this.forum.data()?.thread;
        this.forum.updateThread({ ...(current?.id === id ? current : this.thread), followUp });
      } catch (error) {
        this.error = (error as { error?: ShownError }).error ?? { code: 'internal' };
      }
      this.busy = false;
    }

    render() {
      const { t, error } = this;
      const words = profileMessages(t.locale).followUp;
      const followUp = this.thread.followUp;
      if (this.thread.authorId !== this.me) return nothing;
      // Tracking number and status are the server's; still bound as text, like everything else.
      return html`<section aria-label=${words.label}>
        ${followUp
          ? html`<p part="follow-up-status" tabindex="-1">
                <span class="muted">${words.tracking}</span> <span class="tracking">${followUp.tracking}</span> ·
                ${words.statuses[followUp.status]}
              </p>
              <p class="muted">${words.explain[followUp.status]}</p>`
          : html`<button part="follow-up-request" aria-describedby="follow-up-hint" aria-disabled=${this.busy}
                @click=${this.request}>${this.busy ? words.sending : words.request}</button>
              <p id="follow-up-hint" class="muted">${words.requestHint}</p>`}
        ${error
          ? html`<p part="error" class="error" role="alert">${error.code === 'not_asker' ? words.notAsker : errorMessage(t, error)}</p>`
          : nothing}
        <p class="sr-only" aria-live="polite">${this.said}</p>
      </section>`;
    }
  };
}

export type OsgFollowUp = InstanceType<ReturnType<typeof defineFollowUp>>;

declare global {
  interface HTMLElementTagNameMap {
    'osg-follow-up': OsgFollowUp;
  }
}
