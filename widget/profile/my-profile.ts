import type { ErrorBody, MyVerificationView, ProfileView, UpdateVisitorBody } from '../../server/protocol.js';
import type { ForumController } from '../controllers/forum.controller.js';
import { errorMessage, formatDate, profileMessages, type Messages, type ShownError } from '../i18n.js';
import { authed } from '../lib/authed.js';
import type { LitKit } from '../lib/on-demand-module.js';
import { checkNip, problemOf } from './nip.js';
import { focusedElement } from './opener.js';
import { profileStyles } from './profile.styles.js';
import { updateMe } from './update-me.js';

type FieldErrors = Record<string, string>;
const PROFILE_FIELDS = ['instansi', 'jabatan', 'bidang'] as const;

/**
 * @summary "Profil saya": the visitor's display name and self-declared profile, and the request to be
 * verified (NIP, instansi, jabatan, note) with its current status. A modal dialog; Esc closes it, and focus
 * goes back to the button that opened it.
 *
 * @event osg-close - The dialog closed.
 * @csspart my-profile - The dialog. @csspart profile-form - The profile form. @csspart verification - The
 * verification section. @csspart nip - The NIP input. @csspart verification-status - The request's status.
 */
export function defineMyProfile({ LitElement, html, nothing, baseStyles, css }: LitKit) {
  return class OsgMyProfile extends LitElement {
    static styles = [baseStyles, profileStyles(css)];
    static properties = {
      t: { attribute: false },
      forum: { attribute: false },
      profile: { state: true },
      verification: { state: true },
      profileErrors: { state: true },
      verifyErrors: { state: true },
      saved: { state: true },
    };

    declare t: Messages;
    declare forum: ForumController;
    declare profile?: ProfileView;
    declare verification?: MyVerificationView;
    declare profileErrors: FieldErrors;
    declare verifyErrors: FieldErrors;
    declare saved: boolean;
    /** Gets focus back when the dialog closes. */
    private readonly opener = focusedElement();

    constructor() {
      super();
      this.profileErrors = this.verifyErrors = {};
      this.saved = false;
    }

    connectedCallback(): void {
      super.connectedCallback();
      const api = this.forum.api!;
      authed<ProfileView>(api, '/api/visitors/me').then((profile) => (this.profile = profile), (error) => (this.profileErrors = this.errors(error)));
      authed<MyVerificationView>(api, '/api/visitors/me/verification').then(
        (verification) => (this.verification = verification),
        (error) => (this.verifyErrors = this.errors(error)),
      );
    }

    protected firstUpdated(): void {
      this.renderRoot.querySelector('dialog')!.showModal();
    }

    private closed(): void {
      this.opener?.focus();
      this.dispatchEvent(new CustomEvent('osg-close'));
    }

    /** Words for a refusal, under the field it names (or `form`). */
    private errors(error: unknown): FieldErrors {
      const body = ((error as { error?: ErrorBody }).error ?? { code: 'internal' }) as ErrorBody;
      if (body.code === 'invalid_nip') return { nip: profileMessages(this.t.locale).nipErrors[problemOf(body.message)] };
      const field = body.field === 'yearsExperience' ? 'years' : body.field ?? '';
      return { [/^(name|instansi|jabatan|bidang|years|nip)$/.test(field) ? field : 'form']: errorMessage(this.t, body as ShownError) };
    }

    private values(form: HTMLFormElement): Record<string, string> {
      return Object.fromEntries([...new FormData(form)].map(([key, value]) => [key, String(value).trim()]));
    }

    private async saveProfile(event: SubmitEvent): Promise<void> {
      event.preventDefault();
      const values = this.values(event.target as HTMLFormElement);
      const body: UpdateVisitorBody = { name: values.name, instansi: values.instansi, jabatan: values.jabatan, bidang: values.bidang };
      body.yearsExperience = values.years === '' ? null : Number(values.years);
      this.saved = false;
      try {
        await updateMe(this.forum, body);
        this.profileErrors = {};
        this.saved = true;
      } catch (error) {
        this.profileErrors = this.errors(error);
      }
    }

    private async requestVerification(event: SubmitEvent): Promise<void> {
      event.preventDefault();
      const form = event.target as HTMLFormElement;
      const { nip, instansi, jabatan, note } = this.values(form);
      const p = profileMessages(this.t.locale);
      const errors: FieldErrors = {};
      const problem = checkNip(nip);
      if (problem) errors.nip = p.nipErrors[problem];
      if (!instansi) errors.instansi = p.required(p.instansi);
      if (!jabatan) errors.jabatan = p.required(p.jabatan);
      this.verifyErrors = errors;
      if (!Object.keys(errors).length) {
        try {
          const body = { nip, instansi, jabatan, ...(note ? { note } : {}) };
          this.verification = await authed<MyVerificationView>(this.forum.api!, '/api/visitors/me/verification', 'POST', body);
        } catch (error) {
          this.verifyErrors = this.errors(error);
        }
      }
      await this.updateComplete;
      form.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
    }

    /**
     * A labelled input with its error, described by it. Both forms share this shadow root and two field names
     * (instansi, jabatan): `form` keeps their ids apart, so each label names its own input.
     */
    private field(form: 'profile' | 'verify', errors: FieldErrors, name: string, label: string, value = '', extra: { type?: string; max?: number; part?: string } = {}) {
      const id = `${form}-${name}`;
      return html`<div>
        <label for=${id}>${label}</label>
        <input id=${id} name=${name} part=${extra.part ?? nothing} .value=${value} type=${extra.type ?? 'text'}
          maxlength=${extra.max ?? nothing} min=${extra.type === 'number' ? 0 : nothing} max=${extra.type === 'number' ? 60 : nothing}
          aria-invalid=${!!errors[name]} aria-describedby=${`${id}-error`} />
        <span id=${`${id}-error`} class="error">${errors[name] ?? ''}</span>
      </div>`;
    }

    private renderVerification(p: ReturnType<typeof profileMessages>) {
      const { t, verification: v } = this;
      if (!v) return html`<p class="muted">${t.loading}</p>`;
      const errors = this.verifyErrors;
      // A revoked badge shows when and why it was revoked, not the approval before it.
      const revoked = v.status === 'revoked';
      const when = revoked ? v.revokedAt : v.decidedAt;
      const note = revoked ? v.revocationNote : v.decisionNote;
      return html`<p part="verification-status" role="status">${p.status[v.status]}
          ${when ? html`(${formatDate(t, when)})` : nothing}</p>
        ${note ? html`<p>${p.decisionNote}: ${note}</p>` : nothing}
        ${v.status === 'pending' || v.status === 'approved'
          ? nothing
          : html`<p class="muted" id="nip-hint">${p.verificationHint}</p>
              <form novalidate @submit=${this.requestVerification}>
                ${this.field('verify', errors, 'nip', p.nip, '', { part: 'nip', max: 30 })}
                ${this.field('verify', errors, 'instansi', p.instansi, this.profile?.profile.instansi ?? '', { max: 400 })}
                ${this.field('verify', errors, 'jabatan', p.jabatan, this.profile?.profile.jabatan ?? '', { max: 400 })}
                <div><label for="verify-note">${p.note}</label><textarea id="verify-note" name="note" rows="2" maxlength="2000"></textarea></div>
                <span class="error" role="alert">${errors.form ?? ''}</span>
                <div><button class="primary" type="submit">${p.submitVerification}</button></div>
              </form>`}`;
    }

    render() {
      const { t, profile } = this;
      const p = profileMessages(t.locale);
      const errors = this.profileErrors;
      const own = profile?.profile ?? {};
      return html`<dialog part="my-profile" aria-labelledby="title" @close=${this.closed}>
        <div class="top">
          <h2 id="title">${t.myProfile}</h2>
          <button @click=${() => this.renderRoot.querySelector('dialog')!.close()}>${p.close}</button>
        </div>
        <h3>${p.editProfile}</h3>
        <p class="muted">${p.profileHint}</p>
        <form part="profile-form" novalidate @submit=${this.saveProfile} @input=${() => (this.saved = false)}>
          ${this.field('profile', errors, 'name', p.displayName, profile?.name ?? this.forum.me?.name, { max: this.forum.site?.limits.nameMax ?? 40 })}
          ${PROFILE_FIELDS.map((name) => this.field('profile', errors, name, p[name], own[name], { max: 400 }))}
          ${this.field('profile', errors, 'years', p.years, own.yearsExperience?.toString(), { type: 'number' })}
          <span class="error" role="alert">${errors.form ?? ''}</span>
          <div class="row"><button class="primary" type="submit" ?disabled=${!profile}>${p.save}</button>
            <span role="status">${this.saved ? p.saved : ''}</span></div>
        </form>
        <section part="verification" aria-labelledby="verify-title">
          <h3 id="verify-title">${p.verification}</h3>
          ${this.renderVerification(p)}
        </section>
      </dialog>`;
    }
  };
}
