import { html, nothing } from 'lit';
import type { FollowUpStatus, PublicFollowUp } from '../../../server/protocol.js';
import type { Messages } from '../../i18n.js';

/**
 * "Ditangani petugas" while a thread is in the officers' follow-up queue, "Selesai" once resolved or closed
 * (part `follow-up-chip`), next to a thread in the list and in its view. Every visitor sees it; the asker's
 * tracking number and status come with the on-demand module (`<osg-follow-up>`).
 */
export const renderFollowUpChip = (t: Messages, followUp?: PublicFollowUp) =>
  followUp
    ? html`<span part="follow-up-chip" class="chip">${RESOLVED.includes(followUp.status) ? t.followUpDone : t.followUpHandled}</span>`
    : nothing;

/** Resolved (`selesai`) or closed (`ditutup`): the asker got BKN's answer. */
const RESOLVED: readonly FollowUpStatus[] = ['selesai', 'ditutup'];
