import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { OfficerMemberView, ProfileView } from '../../../../server/protocol.js';
import { errorMessage, formatDate, formatTime } from '../../i18n.js';
import { ActionController } from '../../lib/action.controller.js';
import { announce } from '../../lib/events.js';
import { LoadController } from '../../lib/load.controller.js';
import { loadStatus, memberLine, searchForm, sectionFrame } from '../parts.js';
import { AdminSection } from '../section.js';

type Action = 'revoke' | 'reverse';

/**
 * @summary "Anggota": one member as officers see them — profile, badges, reputation and verification requests
 * (NIP included) — with "Cabut verifikasi" and "Batalkan semua suara anggota ini".
 *
 * @event osg-admin-announce - The result of an action, for the page's live region.
 * @csspart revoke / reverse-votes - The two actions. @csspart confirm - The confirmation before either.
 */
export class OsgAdminMember extends AdminSection {
  private readonly member = new LoadController<OfficerMemberView>(this);
  private readonly actions = new ActionController<Action>(this);

  @query('.confirm') private confirmBox?: HTMLElement;
  @query('.result') private resultBox?: HTMLElement;

  /** The member shown; set by the page when the officer follows a member link. */
  @property({ attribute: 'member-id' }) memberId = '';

  @state() private draftId = '';
  @state() private revokeNote = '';
  /** The action waiting for the officer's "Ya, lanjutkan": both change what every visitor sees. */
  @state() private confirming?: Action;
  @state() private result?: string;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('memberId')) {
      this.draftId = this.memberId;
      this.confirming = undefined;
      this.result = undefined;
      this.actions.clearFailure();
      if (this.memberId) void this.reload();
      else this.member.reset();
    }
  }

  private onLookUp(event: Event): void {
    event.preventDefault();
    const id = this.draftId.trim();
    if (id === this.memberId) void this.reload();
    else this.memberId = id;
  }

  private async revoke(): Promise<void> {
    const api = this.api;
    if (!api || this.actions.busy) return;
    this.confirming = undefined;
    await this.act('revoke', async () => {
      const profile = await api.revokeVerification(this.memberId, this.revokeNote);
      this.revokeNote = '';
      this.replaceProfile(profile);
      return this.t.revoked(profile.name);
    });
  }

  private async ask(action: Action): Promise<void> {
    this.confirming = action;
    this.result = undefined;
    await this.updateComplete;
    this.confirmBox?.focus();
  }

  private async reverse(): Promise<void> {
    const api = this.api;
    if (!api || this.actions.busy) return;
    this.confirming = undefined;
    await this.act('reverse', async () => {
      const { reversed } = await api.reverseVotes(this.memberId);
      void this.reload();
      return this.t.reversed(reversed);
    });
  }

  private async act(action: Action, run: () => Promise<string>): Promise<void> {
    this.result = undefined;
    await this.actions.run(action, async () => {
      this.result = await run();
      announce(this, this.result);
    });
    await this.updateComplete;
    this.resultBox?.focus();
  }

  private replaceProfile(profile: ProfileView): void {
    const current = this.member.value;
    if (current) this.member.set({ ...current, profile });
  }

  /** Reads the member again. */
  reload(): Promise<void> {
    const api = this.api;
    const id = this.memberId;
    if (!api || !id) return Promise.resolve();
    return this.member.load(() => api.member(id));
  }

  private renderProfile(view: OfficerMemberView) {
    const t = this.t;
    const { profile, requests } = view;
    const self = (value: string | number | undefined, verified?: string) =>
      value === undefined || value === null || value === ''
        ? '—'
        : html`${value}${verified === undefined || verified !== value ? html` <span class="muted">(${t.selfDeclared})</span>` : nothing}`;
    return html`<article class="card" aria-labelledby="member-name">
      <h3 id="member-name">${memberLine(t, profile, { link: false })}</h3>
      <dl>
        <dt>${t.instansi}</dt>
        <dd>${self(profile.profile.instansi, profile.verified?.instansi)}</dd>
        <dt>${t.jabatan}</dt>
        <dd>${self(profile.profile.jabatan, profile.verified?.jabatan)}</dd>
        <dt>${t.bidang}</dt>
        <dd>${self(profile.profile.bidang)}</dd>
        <dt>${t.years}</dt>
        <dd>${self(profile.profile.yearsExperience)}</dd>
        <dt>${t.memberSince}</dt>
        <dd>${formatTime(t, profile.memberSince)}</dd>
        <dt>${t.lastActive}</dt>
        <dd>${formatTime(t, profile.lastActiveAt) || '—'} · ${t.activeDays(profile.activeDays)}</dd>
        ${Object.entries(profile.stats).map(([name, count]) => html`<dt>${t.statNames[name] ?? name}</dt><dd>${count}</dd>`)}
      </dl>
      <h3>${t.memberRequests}</h3>
      ${requests.length === 0
        ? html`<p class="muted">${t.noRequests}</p>`
        : html`<ul class="cards">
            ${requests.map(
              (request) => html`<li class="card">
                <span class="chip ${request.status === 'approved' ? 'ok' : request.status === 'rejected' ? 'warn' : ''}">${t.requestStatus[request.status]}</span>
                <dl>
                  <dt>${t.nip}</dt>
                  <dd class="code">${request.nip}</dd>
                  <dt>${t.nipInfo}</dt>
                  <dd>${formatDate(t, request.nipInfo.birthDate)} · ${formatDate(t, request.nipInfo.startMonth)} · ${t.genders[request.nipInfo.gender]}</dd>
                  <dt>${t.instansi}</dt>
                  <dd>${request.instansi}</dd>
                  <dt>${t.jabatan}</dt>
                  <dd>${request.jabatan}</dd>
                  <dt>${t.createdAt}</dt>
                  <dd>${formatTime(t, request.createdAt)}</dd>
                  ${request.decidedAt ? html`<dt>${t.decidedAt}</dt><dd>${formatTime(t, request.decidedAt)}</dd>` : nothing}
                  ${request.decisionNote ? html`<dt>${t.decisionNote}</dt><dd class="text">${request.decisionNote}</dd>` : nothing}
                </dl>
              </li>`,
            )}
          </ul>`}
      ${this.renderActions(profile)}
    </article>`;
  }

  private renderActions(profile: ProfileView) {
    const t = this.t;
    const busy = this.actions.busy;
    const failure = this.actions.failure?.error;
    return html`
      ${profile.verified
        ? html`<div>
            <label for="revoke-note">${t.note}</label>
            <textarea id="revoke-note" rows="2" maxlength="1000" .value=${this.revokeNote}
              @input=${(event: Event) => (this.revokeNote = (event.target as HTMLTextAreaElement).value)}></textarea>
            <button type="button" class="danger" part="revoke" ?disabled=${busy !== undefined} @click=${() => this.ask('revoke')}>${t.revoke}</button>
          </div>`
        : nothing}
      <div class="actions">
        <button type="button" class="danger" part="reverse-votes" ?disabled=${busy !== undefined} @click=${() => this.ask('reverse')}>${t.reverseVotes}</button>
      </div>
      ${this.confirming
        ? html`<div class="confirm" part="confirm" role="group" aria-labelledby="confirm-text" tabindex="-1">
            <p id="confirm-text">${this.confirming === 'revoke' ? t.revokeConfirm(profile.name) : t.reverseConfirm(profile.name)}</p>
            <div class="actions">
              <button type="button" class="danger" part="confirm-yes"
                @click=${this.confirming === 'revoke' ? this.revoke : this.reverse}>${t.confirm}</button>
              <button type="button" @click=${() => (this.confirming = undefined)}>${t.cancel}</button>
            </div>
          </div>`
        : nothing}
      ${this.result ? html`<p class="result" tabindex="-1">${this.result}</p>` : nothing}
      ${failure ? html`<p class="result error" role="alert" tabindex="-1">${errorMessage(t, failure)}</p>` : nothing}
      ${busy ? html`<p class="muted" aria-busy="true">${t.loading}</p>` : nothing}
    `;
  }

  render() {
    const t = this.t;
    const state = this.member.state;
    const view = this.member.value;
    return sectionFrame(t, 'member', html`
      ${searchForm({
        formLabel: t.memberHeading,
        inputId: 'member-id',
        inputLabel: t.memberId,
        value: this.draftId,
        onInput: (value) => (this.draftId = value),
        onSubmit: (event) => this.onLookUp(event),
        submitLabel: t.lookUp,
        submitDisabled: !this.draftId.trim(),
      })}
      ${!this.memberId ? html`<p class="muted state empty">${t.memberEmpty}</p>` : nothing}
      ${loadStatus(t, state, () => this.reload())}
      ${view && this.memberId && state.status !== 'error' ? this.renderProfile(view) : nothing}
    `);
  }
}
