import { css, html, LitElement, nothing, type CSSResult } from 'lit';
import type { AnswerTools } from '../components/answer/answer-tools.js';
import type { KonsultasiTools } from '../components/konsultasi/konsultasi-tools.js';
import type { TrustActions } from '../controllers/trust-actions.js';
import { addActionWords, addCatalogue, type ActionWords, type Messages } from '../i18n.js';
import baseStyles from '../styles/base.styles.js';

/** What the on-demand module takes from this bundle instead of carrying its own copy of Lit. */
export interface LitKit {
  LitElement: typeof LitElement;
  html: typeof html;
  css: typeof css;
  nothing: typeof nothing;
  baseStyles: CSSResult;
}

/** What the on-demand module gives back from `install(kit)`, besides defining its elements. */
export interface OnDemand {
  /** The English catalogue; messages() knows it from then on. */
  en: Messages;
  /** The Bahasa Indonesia only these actions need (ACTION_WORDS_ID): their error codes and field names. */
  actionWordsId: ActionWords;
  /** The answer author's edit form and the report menu of `<osg-answer>`. */
  answerTools: AnswerTools;
  /** Votes, acceptance, reports and edits (ForumController.useTrust). */
  TrustActions: typeof TrustActions;
  /** The display-name form and the profile dialogs of `<osg-konsultasi>`. */
  konsultasiTools: KonsultasiTools;
}

/** Set by the build (vite.config.ts): `osg-konsultasi-profile-<content hash>.mjs`. */
declare const __OSG_ON_DEMAND_FILE__: string;

/**
 * File name of the on-demand module beside the main script (dist/widget/, served by the server), named by its
 * content: this script loads the module it was built with, never a newer one. It began with the profile
 * dialogs, hence the name.
 */
export const ON_DEMAND_MODULE = __OSG_ON_DEMAND_FILE__;

const loaded = new Map<string, Promise<OnDemand>>();

/**
 * Loads `<server>/osg-konsultasi-profile-<hash>.mjs` once per server: the profile card, "Profil saya" and the
 * verification form (defined here with this bundle's Lit), the display-name form, the answer edit form and
 * report menu, what sends votes, acceptance, reports and edits, the English words, and the Indonesian words for
 * the errors only those actions meet. They are kept out of the main script to keep it under its size budget:
 * most visitors only read, and most pages are in Bahasa Indonesia. Only a visitor's action (or lang="en")
 * loads it: a page that is only read requests nothing else.
 */
export function loadOnDemandModule(serverBase: string): Promise<OnDemand> {
  let promise = loaded.get(serverBase);
  if (!promise) {
    promise = import(/* @vite-ignore */ `${serverBase}/${ON_DEMAND_MODULE}`).then(
      (module: { install(kit: LitKit): OnDemand }) => {
        const onDemand = module.install({ LitElement, html, css, nothing, baseStyles });
        addCatalogue(onDemand.en);
        addActionWords(onDemand.actionWordsId);
        return onDemand;
      },
    );
    // A failed load (offline) may succeed later.
    promise.catch(() => loaded.delete(serverBase));
    loaded.set(serverBase, promise);
  }
  return promise;
}
