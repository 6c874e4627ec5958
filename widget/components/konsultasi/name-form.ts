import type { ForumController } from '../../controllers/forum.controller.js';
import { errorMessage, profileMessages, type Messages, type ShownError } from '../../i18n.js';
import type { LitKit } from '../../lib/on-demand-module.js';
import { updateMe } from '../../profile/update-me.js';

/**
 * @summary The display-name form <osg-konsultasi> shows in place of the name after "Ubah". It saves through
 * the ForumController and says why the server refused a name. Defined by the on-demand module: only a visitor
 * who changes their name needs it, and that needs the server anyway.
 *
 * @event osg-close - Saved or cancelled; the host shows the name again and puts focus back on "Ubah".
 * @csspart name - The name input. @csspart name-save - Its save button.
 */
export function defineNameForm({ LitElement, html, css, baseStyles }: LitKit) {
  return class OsgNameForm extends LitElement {
    static styles = [
      baseStyles,
      css`
        :host {
          display: block;
        }
        input {
          width: 12em;
        }
      `,
    ];
    static properties = {
      t: { attribute: false },
      forum: { attribute: false },
      error: { state: true },
    };

    declare t: Messages;
    declare forum: ForumController;
    declare private error?: ShownError;

    protected firstUpdated(): void {
      this.renderRoot.querySelector('input')!.focus();
    }

    private async save(event: SubmitEvent): Promise<void> {
      event.preventDefault();
      try {
        await updateMe(this.forum, { name: this.renderRoot.querySelector('input')!.value });
        this.close();
      } catch (error) {
        this.error = (error as { error?: ShownError }).error ?? { code: 'internal' };
      }
    }

    private close(): void {
      this.dispatchEvent(new CustomEvent('osg-close'));
    }

    render() {
      const { t, error } = this;
      const p = profileMessages(t.locale);
      const me = this.forum.me;
      // `.value` writes only when the name itself changes: a re-render while the visitor types leaves the typing.
      return html`<form class="row" @submit=${this.save}>
        <label class="sr-only" for="name">${p.yourName}</label>
        <input id="name" part="name" .value=${me?.name ?? ''} maxlength=${this.forum.site?.limits.nameMax ?? 40}
          aria-invalid=${!!error} aria-describedby="name-error" />
        <button part="name-save" type="submit">${p.save}</button>
        <button type="button" @click=${this.close}>${t.cancel}</button>
        <span id="name-error" class="error">${error ? errorMessage(t, error) : ''}</span>
      </form>`;
    }
  };
}

export type OsgNameForm = InstanceType<ReturnType<typeof defineNameForm>>;

declare global {
  interface HTMLElementTagNameMap {
    'osg-name-form': OsgNameForm;
  }
}
