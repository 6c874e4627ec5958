import { html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import baseStyles from '../../../styles/base.styles.js';
import { adminMessages, errorMessage, type AdminError } from '../../i18n.js';
import { signedIn } from '../../lib/events.js';
import { toAdminError, type OfficerApi } from '../../lib/officer-api.js';
import { sectionStyles } from '../../styles/admin.styles.js';

/**
 * @summary The officer sign-in form (username, password). Errors are read out: wrong credentials, or a rate
 * limit with the wait in seconds.
 *
 * @event osg-admin-signed-in - The token is in the session.
 * @csspart form, username, password, submit, error, notice (why the page is back here: signed out, session ended)
 */
export class OsgAdminLogin extends LitElement {
  static styles = [baseStyles, sectionStyles];

  @query('h2') private heading?: HTMLElement;
  @query('#username') private usernameInput?: HTMLInputElement;
  @query('#password') private passwordInput?: HTMLInputElement;

  @property({ attribute: false }) api?: OfficerApi;
  @property({ attribute: false }) t = adminMessages('id');
  /** Shown above the form, e.g. "you have signed out". */
  @property() notice = '';

  @state() private busy = false;
  @state() private error?: AdminError;

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const api = this.api;
    if (!api || this.busy) return;
    const username = this.usernameInput!.value.trim();
    const password = this.passwordInput!.value;
    if (!username || !password) {
      this.error = { code: 'too_short', field: username ? 'password' : 'username', limit: 1 };
      (username ? this.passwordInput : this.usernameInput)?.focus();
      return;
    }
    this.busy = true;
    this.error = undefined;
    try {
      await api.login(username, password);
      this.passwordInput!.value = '';
      signedIn(this);
    } catch (error) {
      this.error = toAdminError(error);
      this.passwordInput!.value = '';
      await this.updateComplete;
      this.passwordInput?.focus();
    } finally {
      this.busy = false;
    }
  }

  focusHeading(): void {
    this.heading?.focus();
  }

  render() {
    const t = this.t;
    const invalid = this.error?.code === 'bad_credentials' ? 'true' : 'false';
    return html`<section aria-labelledby="login-heading">
      <h2 id="login-heading" tabindex="-1" aria-describedby=${this.notice ? 'login-notice' : nothing}>${t.signInHeading}</h2>
      ${this.notice ? html`<p id="login-notice" class="notice" part="notice">${this.notice}</p>` : nothing}
      <form part="form" @submit=${this.submit} aria-describedby="session-note" novalidate>
        <div class="toolbar">
          <div class="field">
            <label for="username">${t.username}</label>
            <input id="username" part="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false"
              maxlength="64" required aria-invalid=${invalid} aria-describedby="login-error" />
          </div>
        </div>
        <div class="toolbar">
          <div class="field">
            <label for="password">${t.password}</label>
            <input id="password" part="password" name="password" type="password" autocomplete="current-password" maxlength="200" required
              aria-invalid=${invalid} aria-describedby="login-error" />
          </div>
        </div>
        <p id="login-error" class="error" part="error" role="alert">${this.error ? errorMessage(t, this.error) : ''}</p>
        <button type="submit" class="primary" part="submit" ?disabled=${this.busy}>${this.busy ? t.signingIn : t.signIn}</button>
        <p id="session-note" class="muted">${t.sessionNote}</p>
      </form>
    </section>`;
  }
}
