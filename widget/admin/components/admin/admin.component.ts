import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import baseStyles from '../../../styles/base.styles.js';
import { adminMessages, sessionEnd, type SectionId } from '../../i18n.js';
import { OfficerApi } from '../../lib/officer-api.js';
import { tokens } from '../../styles/admin.styles.js';
import '../answer/answer.js';
import '../audit/audit.js';
import '../flagged/flagged.js';
import '../followups/followups.js';
import '../login/login.js';
import '../member/member.js';
import '../requests/requests.js';
import styles from './admin.styles.js';

const SECTIONS: SectionId[] = ['followups', 'requests', 'member', 'flagged', 'answer', 'audit'];
type Focusable = HTMLElement & { focusHeading(): void; updateComplete: Promise<boolean> };

/**
 * @summary The officers' admin page: sign-in, then the follow-up queue (the landing section), verification requests, members, reports, official answers
 * and the audit log. Talks to the REST API of the server that serves it; the token stays in sessionStorage.
 *
 * @attr server - Base URL of the server; defaults to the page's own origin.
 * @attr lang - `id` (default) or `en`.
 *
 * @csspart header, nav, announcement (the live region for results)
 * @cssproperty --osg-color-* , --osg-font-family, --osg-font-size, --osg-radius, --osg-spacing - as the widget.
 */
export class OsgAdmin extends LitElement {
  static styles = [tokens, baseStyles, styles];

  @query('.section') private sectionElement?: Focusable;

  @property() server = '';
  @property({ reflect: true }) lang = 'id';

  @state() private api?: OfficerApi;
  @state() private section: SectionId = 'followups';
  @state() private memberId = '';
  @state() private announcement = '';
  @state() private notice = '';
  @state() private signingOut = false;

  constructor() {
    super();
    this.addEventListener('osg-admin-announce', (event) => this.announce(event.detail.message));
    this.addEventListener('osg-admin-open-member', (event) => {
      this.memberId = event.detail.memberId;
      void this.show('member');
    });
    this.addEventListener('osg-admin-signed-in', () => {
      this.notice = '';
      void this.show('followups');
    });
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') || !this.api) {
      const api = new OfficerApi(this.server);
      api.onSessionEnded = (error) => {
        this.announcement = '';
        this.notice = this.t.sessionEndedBecause[sessionEnd(error)];
        void this.focusSection();
      };
      this.api = api;
    }
    if (changed.has('lang')) document.title = this.t.title;
  }

  private get t() {
    return adminMessages(this.lang);
  }

  private get officer() {
    return this.api?.session.value?.officer;
  }

  private async show(section: SectionId): Promise<void> {
    this.section = section;
    this.announcement = '';
    await this.focusSection();
  }

  private async focusSection(): Promise<void> {
    this.requestUpdate();
    await this.updateComplete;
    await this.sectionElement?.updateComplete;
    this.sectionElement?.focusHeading();
  }

  private async signOut(): Promise<void> {
    if (!this.api || this.signingOut) return;
    this.signingOut = true;
    const told = await this.api.logout();
    this.signingOut = false;
    this.announcement = '';
    this.notice = told ? this.t.signedOut : this.t.signedOutOffline;
    await this.focusSection();
  }

  private announce(message: string): void {
    // Cleared first so the same words twice are read twice.
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = message));
  }

  private renderSection(section: SectionId) {
    const { api, t } = this;
    switch (section) {
      case 'followups':
        return html`<osg-admin-followups class="section" .api=${api} .t=${t}></osg-admin-followups>`;
      case 'requests':
        return html`<osg-admin-requests class="section" .api=${api} .t=${t}></osg-admin-requests>`;
      case 'member':
        return html`<osg-admin-member class="section" .api=${api} .t=${t} .memberId=${this.memberId}></osg-admin-member>`;
      case 'flagged':
        return html`<osg-admin-flagged class="section" .api=${api} .t=${t}></osg-admin-flagged>`;
      case 'answer':
        return html`<osg-admin-answer class="section" .api=${api} .t=${t}></osg-admin-answer>`;
      case 'audit':
        return html`<osg-admin-audit class="section" .api=${api} .t=${t}></osg-admin-audit>`;
    }
  }

  render() {
    const t = this.t;
    const officer = this.officer;
    return html`
      <header part="header">
        <h1>${t.title}</h1>
        ${officer
          ? html`<div class="row">
              <span class="muted">${t.signedInAs(officer.name)}</span>
              <button type="button" part="sign-out" ?disabled=${this.signingOut} @click=${this.signOut}>
                ${this.signingOut ? t.signingOut : t.signOut}
              </button>
            </div>`
          : nothing}
      </header>
      <p class="announcement" part="announcement" role="status" aria-live="polite">${this.announcement}</p>
      ${officer
        ? html`<nav part="nav" aria-label=${t.nav}>
              <ul>
                ${SECTIONS.map(
                  (section) => html`<li>
                    <button type="button" data-section=${section} aria-current=${section === this.section ? 'page' : 'false'}
                      @click=${() => this.show(section)}>${t.sections[section]}</button>
                  </li>`,
                )}
              </ul>
            </nav>
            <main>${this.renderSection(this.section)}</main>`
        : html`<main><osg-admin-login class="section" .api=${this.api} .t=${t} .notice=${this.notice}></osg-admin-login></main>`}
    `;
  }
}
