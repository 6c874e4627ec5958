import type { PropertyValues } from 'lit';
import type { MemberSummary, ProfileView } from '../../server/protocol.js';
import type { ForumController } from '../controllers/forum.controller.js';
import { errorMessage, formatDate, profileMessages, relativeTime, type Messages, type ShownError } from '../i18n.js';
import type { LitKit } from '../lib/on-demand-module.js';
import { focusedElement } from './opener.js';
import { profileStyles } from './profile.styles.js';

/** The level chip (the officer badge for an officer) and badges, as next to every name (parts `level`, `badge-officer`, `badge-verified`). */
export const renderChips = ({ html, nothing }: LitKit, t: Messages, member: MemberSummary) =>
  html`<span class="author">
    ${member.officer
      ? html`<span part="badge-officer" class="chip badge">${t.officer}</span>`
      : html`<span part="level" class="chip">${t.levels[member.level]}</span>`}
    ${member.verified
      ? html`<span part="badge-verified" class="chip badge" title=${t.verifiedOn(formatDate(t, member.verified.at))}
          >${t.verified} · ${member.verified.jabatan} · ${member.verified.instansi}</span>`
      : nothing}
  </span>`;

/**
 * @summary A member's profile card, opened from their name: reputation, level, badges and what is verified
 * and when, self-declared fields, counts, member since, last active and activity over the last 100 days.
 * A modal dialog: Esc or "Tutup" closes it, and focus goes back to the name that opened it.
 *
 * @event osg-close - The card closed.
 * @csspart profile - The dialog. @csspart level / badge-officer / badge-verified - As next to names.
 * @csspart activity - The 100-day activity strip.
 */
export function defineProfileCard(kit: LitKit) {
  const { LitElement, html, nothing, baseStyles, css } = kit;
  return class OsgProfileCard extends LitElement {
    static styles = [baseStyles, profileStyles(css)];
    static properties = {
      t: { attribute: false },
      forum: { attribute: false },
      memberId: {},
      members: { attribute: false },
      profile: { state: true },
      error: { state: true },
    };

    declare t: Messages;
    declare forum: ForumController;
    declare memberId: string;
    declare members: ReadonlyMap<string, MemberSummary>;
    declare profile?: ProfileView;
    declare error?: ShownError;
    /** Gets focus back when the dialog closes. */
    private readonly opener = focusedElement();

    protected willUpdate(changed: PropertyValues): void {
      if (changed.has('memberId')) void this.load();
    }

    protected firstUpdated(): void {
      this.renderRoot.querySelector('dialog')!.showModal();
    }

    private closed(): void {
      this.opener?.focus();
      this.dispatchEvent(new CustomEvent('osg-close'));
    }

    private async load(): Promise<void> {
      this.profile = this.error = undefined;
      try {
        const profile = await this.forum.api!.request<ProfileView>(`/api/members/${encodeURIComponent(this.memberId)}`);
        // The answer is at least as new as any summary cached before the request: a level that dropped with
        // time, or a change made while the widget was away and not in its reloaded list, sends no frame.
        this.forum.learn(profile);
        this.profile = profile;
      } catch (error) {
        this.error = (error as { error?: ShownError }).error ?? { code: 'internal' };
      }
    }

    private renderProfile(profile: ProfileView) {
      const { t } = this;
      const p = profileMessages(t.locale);
      // A `member` frame is newer than the card's request: it wins for name, level and badges.
      const member = { ...profile, ...this.members.get(profile.id) };
      const verified = member.verified;
      const own = profile.profile;
      const declared = (label: string, value: string | undefined, sameAsVerified?: boolean) =>
        value ? html`<dt>${label}</dt><dd>${value} ${sameAsVerified ? nothing : html`<span class="muted">(${p.selfDeclared})</span>`}</dd>` : nothing;
      const stats: Array<[string, number]> = [
        [p.questions, profile.stats.questions],
        [p.answers, profile.stats.answers],
        [p.helpfulAnswers, profile.stats.helpfulAnswers],
        [p.acceptedAnswers, profile.stats.acceptedAnswers],
        [p.endorsedAnswers, profile.stats.endorsedAnswers],
      ];
      return html`${renderChips(kit, t, member)}
        ${verified ? html`<p>${p.verifiedWhat(verified.jabatan, verified.instansi, formatDate(t, verified.at))}</p>` : nothing}
        ${member.officer ? html`<p>${p.officerNote}</p>` : nothing}
        <dl>
          <dt>${p.reputation}</dt><dd>${member.reputation}</dd>
          ${declared(p.instansi, own.instansi, own.instansi === verified?.instansi)}
          ${declared(p.jabatan, own.jabatan, own.jabatan === verified?.jabatan)}
          ${declared(p.bidang, own.bidang)}
          ${own.yearsExperience != null ? declared(p.years, p.yearsValue(own.yearsExperience)) : nothing}
          <dt>${p.memberSince}</dt><dd>${formatDate(t, profile.memberSince)}</dd>
          ${profile.lastActiveAt ? html`<dt>${p.lastActive}</dt><dd>${relativeTime(t, profile.lastActiveAt)}</dd>` : nothing}
        </dl>
        <h3>${p.stats}</h3>
        <dl>${stats.map(([label, n]) => html`<dt>${label}</dt><dd>${n}</dd>`)}</dl>
        <p>${p.activity(profile.activeDays)}</p>
        <div part="activity" class="strip" aria-hidden="true">${profile.activity.map((on) => html`<i class=${on ? 'on' : ''}></i>`)}</div>`;
    }

    render() {
      const { t, profile } = this;
      const p = profileMessages(t.locale);
      const name = profile ? (this.members.get(profile.id)?.name ?? profile.name) : t.loading;
      return html`<dialog part="profile" aria-labelledby="title" @close=${this.closed}>
        <div class="top">
          <h2 id="title">${profile ? p.profileOf(name) : name}</h2>
          <button @click=${() => this.renderRoot.querySelector('dialog')!.close()}>${p.close}</button>
        </div>
        ${this.error ? html`<p class="error" role="alert">${errorMessage(t, this.error)}</p>` : nothing}
        ${profile ? this.renderProfile(profile) : nothing}
      </dialog>`;
    }
  };
}
