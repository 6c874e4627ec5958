import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { VerificationRequestView } from '../../../../server/protocol.js';
import { errorMessage, formatDate, formatTime, type RequestStatus } from '../../i18n.js';
import { ActionController } from '../../lib/action.controller.js';
import { announce } from '../../lib/events.js';
import { LoadController } from '../../lib/load.controller.js';
import { loadedList, loadStatus, memberLine, sectionFrame, statusToolbar } from '../parts.js';
import { AdminSection } from '../section.js';

const STATUSES: RequestStatus[] = ['pending', 'approved', 'rejected'];

/**
 * @summary "Permintaan verifikasi": verification requests with the NIP and what it encodes (officers only),
 * approved or rejected with an optional note.
 *
 * @event osg-admin-announce - The result of a decision, for the page's live region.
 * @event osg-admin-open-member - The officer wants to see the requesting member.
 * @csspart request - One request card. @csspart approve / reject - Its decision buttons.
 */
export class OsgAdminRequests extends AdminSection {
  private readonly list = new LoadController<VerificationRequestView[]>(this);
  private readonly actions = new ActionController(this);

  @property() status: RequestStatus = 'pending';

  @state() private notes: Record<string, string> = {};

  connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  private onStatus(status: RequestStatus): void {
    this.status = status;
    void this.reload();
  }

  private async decide(request: VerificationRequestView, decision: 'approve' | 'reject'): Promise<void> {
    const api = this.api;
    if (!api) return;
    const failure = await this.actions.run(request.id, async () => {
      const note = this.notes[request.id];
      const decided = decision === 'approve' ? await api.approve(request.id, note) : await api.reject(request.id, note);
      const rest = (this.list.value ?? []).filter((each) => each.id !== request.id);
      this.list.set(this.status === 'pending' ? rest : [decided, ...rest]);
      announce(this, decision === 'approve' ? this.t.approved(request.member.name) : this.t.rejected(request.member.name));
      this.heading?.focus();
    });
    // Another officer decided it first: show the list as it now is.
    if (failure?.code === 'request_decided') void this.reload();
  }

  /** Reads the list for the chosen status again. */
  reload(): Promise<void> {
    const api = this.api;
    if (!api) return Promise.resolve();
    return this.list.load(() => api.verificationRequests(this.status));
  }

  private renderRequest(request: VerificationRequestView) {
    const t = this.t;
    const noteId = `note-${request.id}`;
    const error = this.actions.errorFor(request.id);
    const busy = this.actions.busy !== undefined;
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
              <button type="button" class="primary" part="approve" ?disabled=${busy} @click=${() => this.decide(request, 'approve')}>
                ${t.approve}<span class="sr-only">: ${request.member.name}</span>
              </button>
              <button type="button" class="danger" part="reject" ?disabled=${busy} @click=${() => this.decide(request, 'reject')}>
                ${t.reject}<span class="sr-only">: ${request.member.name}</span>
              </button>
            </div>`
        : nothing}
      ${error ? html`<p class="error" role="alert">${errorMessage(t, error)}</p>` : nothing}
    </li>`;
  }

  render() {
    const t = this.t;
    return sectionFrame(t, 'requests', html`
      ${statusToolbar(t, {
        statuses: STATUSES,
        labels: t.requestStatus,
        current: this.status,
        onChange: (status) => this.onStatus(status),
        onRefresh: () => this.reload(),
      })}
      ${loadStatus(t, this.list.state, () => this.reload())}
      ${loadedList(this.list.state, t.requestsEmpty[this.status], (requests) =>
        html`<p class="muted">${t.requestsCount(requests.length)}</p>
          <ul class="cards" aria-label=${t.sections.requests}>
            ${requests.map((request) => this.renderRequest(request))}
          </ul>`)}
    `);
  }
}
