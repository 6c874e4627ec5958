/**
 * The on-demand module of <osg-konsultasi>: the profile card, "Profil saya" and the verification form, the
 * display-name form, the answer edit form and report menu, the asker's follow-up request and status
 * (`<osg-follow-up>`), TrustActions (votes, acceptance, reports, edits),
 * the English catalogues and the Indonesian words only those actions need (their error codes and field names).
 * Only a visitor's action (or lang="en") loads it: a page that is only read requests nothing more. Built to
 * dist/widget/osg-konsultasi-profile.mjs without Lit: `install()` receives the main bundle's Lit
 * (widget/lib/on-demand-module.ts), so both share one copy and one LitElement base.
 */
import { answerTools } from '../components/answer/answer-tools.js';
import { defineFollowUp } from '../components/follow-up/follow-up.js';
import { konsultasiTools } from '../components/konsultasi/konsultasi-tools.js';
import { defineNameForm } from '../components/konsultasi/name-form.js';
import { TrustActions } from '../controllers/trust-actions.js';
import { en } from '../i18n-en.js';
import { ACTION_WORDS_ID } from '../i18n.js';
import { define } from '../lib/define.js';
import type { LitKit, OnDemand } from '../lib/on-demand-module.js';
import { defineMyProfile } from './my-profile.js';
import { defineProfileCard } from './profile-card.js';

export function install(kit: LitKit): OnDemand {
  define('osg-profile-card', defineProfileCard(kit));
  define('osg-my-profile', defineMyProfile(kit));
  define('osg-name-form', defineNameForm(kit));
  define('osg-follow-up', defineFollowUp(kit));
  return {
    en,
    actionWordsId: ACTION_WORDS_ID,
    answerTools: answerTools(kit),
    TrustActions,
    konsultasiTools: konsultasiTools(kit),
  };
}
