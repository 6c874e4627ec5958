import type { TemplateResult } from 'lit';
import type { ForumController } from '../../controllers/forum.controller.js';
import type { Messages } from '../../i18n.js';
import type { LitKit } from '../../lib/on-demand-module.js';

/** The dialog <osg-konsultasi> has open: a member's profile card, or the visitor's own "Profil saya". */
export type OpenDialog = { kind: 'card'; memberId: string } | { kind: 'mine' };

const CHIP_PARTS = 'level, badge-officer, badge-verified';
const PROFILE_PARTS = `profile, activity, my-profile, profile-form, verification, nip, verification-status, ${CHIP_PARTS}`;

/**
 * What <osg-konsultasi> renders only after a visitor asked for it, so it comes with the on-demand module: the
 * display-name form ("Ubah") and the profile dialogs. Both need the server anyway.
 */
export interface KonsultasiTools {
  /** `<osg-name-form>` as the `identity` part; `close` after saving or cancelling. */
  nameForm(t: Messages, forum: ForumController, close: () => void): TemplateResult;
  /** The profile card or "Profil saya", their parts forwarded. */
  dialog(dialog: OpenDialog, t: Messages, forum: ForumController, close: () => void): TemplateResult;
}

export function konsultasiTools({ html }: LitKit): KonsultasiTools {
  return {
    nameForm: (t, forum, close) =>
      html`<osg-name-form part="identity" exportparts="name, name-save" .t=${t} .forum=${forum} @osg-close=${close}></osg-name-form>`,
    dialog: (dialog, t, forum, close) =>
      dialog.kind === 'card'
        ? html`<osg-profile-card exportparts=${PROFILE_PARTS} .t=${t} .forum=${forum} .members=${forum.members}
            .memberId=${dialog.memberId} @osg-close=${close}></osg-profile-card>`
        : html`<osg-my-profile exportparts=${PROFILE_PARTS} .t=${t} .forum=${forum} @osg-close=${close}></osg-my-profile>`,
  };
}
