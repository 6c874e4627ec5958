import { html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { VerificationRequestView } from '../../../../server/protocol.js';
import baseStyles from '../../../styles/base.styles.js';
import { adminMessages, errorMessage, formatDate, formatTime, type AdminError, type RequestStatus } from '../../i18n.js';
import { announce } from '../../lib/events.js';
import { LoadController } from '../../lib/load.controller.js';
import { toAdminError, type OfficerApiLike } from '../../lib/officer-api.js';
import { sectionStyles } from '../../styles/admin.styles.js';
import { errorLine, loadingLine, memberLine } from '../parts.js';

const STATUSES: RequestStatus[] = ['pending', 'approved', 'rejected'];

/**
 * @summary "Permintaan verifikasi": verification requests with the NIP and what it encodes (officers only),
 * approved or rejected with an optional note.
 *
 * @event osg-admin-announce - The result of a decision, for the page's live region.
 * @event osg-admin-open-member - The officer wants to see the requesting member.
 * @csspart request - One request card. @csspart approve / reject - Its decision buttons.
 */
export class OsgAdminRequests extends LitElement {
  static styles = [baseStyles, sectionStyles];

  private readonly list = new LoadController<VerificationRequestView[]>(this);

  @query('h2') private heading?: HTMLElement;

  @property({ attribute: false }) api?: OfficerApiLike;
  @property({ attribute: false }) t = adminMessages('id');
  @property() status: RequestStatus = 'pending';

  @state() private notes: Record<string, string> = {};
  @state() private busy?: string;
  @state() private actionError?: { requestId: string; error: AdminError };

  connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  private onStatus(event: Event): void {
    this.status = (event.target as HTMLSelectElement).value as RequestStatus;
    void this.reload();
  }

  private async decide(request: VerificationRequestView, decision: 'approve' | 'reject'): Promise<void> {
    if (!this.api || this.busy) return;
    this.busy = request.id;
    this.actionError = undefined;
    try {
      const note = this.notes[request.id];
      const decided = decision === 'approve' ? await this.api.approve(request.id, note) : await this.api.reject(request.id, note);
      const rest = (this.list.value ?? []).filter((each) => each.id !== request.id);
      this.list.set(this.status === 'pending' ? rest : [decided, ...rest]);
      announce(this, decision === 'approve' ? this.t.approved(request.member.name) : this.t.rejected(request.member.name));
      this.heading?.focus();
    } catch (error) {
      const shown = toAdminError(error);
      this.actionError = { requestId: request.id, error: shown };
      if (shown.code === 'request_decided') void this.reload();
    } finally {
      this.busy = undefined;
    }
  }

  /** Reads the list for the chosen status again. */
  reload(): Promise<void> {
    const api = this.api;
    if (!api) return Promise.resolve();
    return this.list.load(() => api.verificationRequests(this.status));
  }

  focusHeading(): void {
    this.heading?.focus();
  }

  private renderRequest(request: VerificationRequestView) {
    const t = this.t;
    const noteId = `note-${request.id}`;
    const error = this.actionError?.requestId === request.id ? this.actionError.error : undefined;
    return html`<li class="card" part="request" data-request=${request.id}>
      <h3>${memberLine(t, request.member)}</h3>
      <dl>
        <dt>${t.nip}</dt>
        <dd class="code">${request.nip}</dd>
        <dt>${t.nipInfo}</dt>
        <dd>
          ${t.birthDate}: ${formatDate(t, request.nipInfo.birthDate)} · ${t.startMonth}: ${formatDate(t, request.nipInfo.startMonth)} ·
          ${t.gender}: ${t.genders[request.nipInfo.gender] ?? request.nipInfo.gender}
        </dd>
        <dt>${t.instansi}</dt>
        <dd class="instansi">${request.instansi}</dd>
        <dt>${t.jabatan}</dt>
        <dd class="jabatan">${request.jabatan}</dd>
        ${request.note ? html`<dt>${t.requestNote}</dt><dd class="note text">${request.note}</dd>` : nothing}
        <dt>${t.createdAt}</dt>
        <dd>${formatTime(t, request.createdAt)}</dd>
        ${request.status !== 'pending'
          ? html`<dt>${t.requestStatus[request.status]}</dt>
              <dd>${formatTime(t, request.decidedAt)}${request.decidedBy ? html` · <span class="code">${request.decidedBy}</span>` : nothing}</dd>
              ${request.decisionNote ? html`<dt>${t.decisionNote}</dt><dd class="text">${request.decisionNote}</dd>` : nothing}`
          : nothing}
      </dl>
      ${request.status === 'pending'
        ? html`<div>
              <label for=${noteId}>${t.note}</label>
              <textarea
                id=${noteId}
                rows="2"
                maxlength="1000"
                .value=${this.notes[request.id] ?? ''}
                @input=${(event: Event) => (this.notes = { ...this.notes, [request.id]: (event.target as HTMLTextAreaElement).value })}
              ></textarea>
            </div>
            <div class="actions">
              <button type="button" class="primary" part="approve" ?disabled=${this.busy !== undefined} @click=${() => this.decide(request, 'approve')}>
                ${t.approve}<span class="sr-only">: ${request.member.name}</span>
              </button>
              <button type="button" class="danger" part="reject" ?disabled=${this.busy !== undefined} @click=${() => this.decide(request, 'reject')}>
                ${t.reject}<span class="sr-only">: ${request.member.name}</span>
              </button>
            </div>`
        : nothing}
      ${error ? html`<p class="error" role="alert">${errorMessage(t, error)}</p>` : nothing}
    </li>`;
  }

  render() {
    const t = this.t;
    const state = this.list.state;
    const requests = this.list.value;
    return html`<section aria-labelledby="requests-heading">
      <h2 id="requests-heading" tabindex="-1">${t.sections.requests}</h2>
      <div class="toolbar">
        <div>
          <label for="status">${t.show}</label>
          <select id="status" @change=${this.onStatus}>
            ${STATUSES.map((status) => html`<option value=${status} ?selected=${status === this.status}>${t.requestStatus[status]}</option>`)}
          </select>
        </div>
        <button type="button" @click=${() => this.reload()}>${t.refresh}</button>
      </div>
      ${loadingLine(t, state.status === 'loading')}
      ${state.status === 'error' ? errorLine(t, state.error, () => this.reload()) : nothing}
      ${requests && state.status !== 'error'
        ? requests.length === 0
          ? html`<p class="muted state empty">${t.requestsEmpty[this.status]}</p>`
          : html`<p class="muted">${t.requestsCount(requests.length)}</p>
              <ul class="cards" aria-label=${t.sections.requests}>
                ${requests.map((request) => this.renderRequest(request))}
              </ul>`
        : nothing}
    </section>`;
  }
}
