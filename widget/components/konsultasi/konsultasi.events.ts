import type { ConnectionState } from '../../i18n.js';

/**
 * The events `<osg-konsultasi>` tells its host page. They bubble and are composed, so a listener on the element,
 * the document or any ancestor hears them. Details carry ids only: never a name, a text or a token.
 */

/** `osg-question-asked`: the visitor's question is stored on the server (once per question). */
export interface QuestionAskedDetail {
  site: string;
  threadId: string;
  /** The topic id, e.g. `kenaikan-pangkat`. */
  category: string;
}

/** `osg-answer-posted`: the visitor's answer is stored on the server (once per answer). */
export interface AnswerPostedDetail {
  site: string;
  threadId: string;
  postId: string;
}

/** `osg-connection-change`: the live connection's state changed (the `status` part shows it in words). */
export interface ConnectionChangeDetail {
  /**
   * `connecting` (first attempt), `online`, `offline` (retrying), `unavailable` (the server is restarting;
   * retrying), `stopped` (no retry can help: an unlisted origin, an unknown site, another protocol version).
   */
  state: ConnectionState;
}

export interface OsgKonsultasiEventMap {
  'osg-question-asked': CustomEvent<QuestionAskedDetail>;
  'osg-answer-posted': CustomEvent<AnswerPostedDetail>;
  'osg-connection-change': CustomEvent<ConnectionChangeDetail>;
}

declare global {
  // Typed listeners for pages written in TypeScript: el.addEventListener('osg-answer-posted', (e) => e.detail.postId).
  interface GlobalEventHandlersEventMap extends OsgKonsultasiEventMap {}
}
