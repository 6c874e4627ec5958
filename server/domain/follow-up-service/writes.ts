/**
 * Changes to follow-ups. Officers' writes (status, assignment, answers) carry the version the officer saw:
 * they run one at a time per thread in this process and the store's compare-and-set catches writers
 * elsewhere; a stale one is refused with `stale_view` and the current QueueItem, and changes nothing.
 * Changes that must not be lost (an answer already posted, the asker's reply, auto-close) are re-read and
 * retried instead.
 */
import type { FollowUpStatus, OfficerAnswerResponse, QueueItem } from '../../protocol.js';
import { DomainError } from '../errors.js';
import { assign, changeStatus, isOpen, recordOfficerAnswer, roundRobinOfficer, slaView, type Clock, type FollowUp } from '../follow-up/index.js';
import type { AuditAction } from '../model.js';
import { accountRole, accountSites } from '../officer-accounts.js';
import { officerId } from '../officer-service.js';
import { cleanText } from '../rules.js';
import type { Actor } from '../service.js';
import type { FollowUpCore, OfficerContext } from './core.js';
import { escalate } from './escalation.js';

export class FollowUpWrites {
  readonly #core: FollowUpCore;
  /** Official answers recorded by answer() itself, whose store event must not record them again. */
  readonly #recorded = new Set<string>();

  constructor(core: FollowUpCore) {
    this.#core = core;
  }

  /** True once for an answer answer() already recorded on the follow-up (its store event skips it). */
  takeRecorded(postId: string): boolean {
    return this.#recorded.delete(postId);
  }

  async changeStatus(ctx: OfficerContext, threadId: string, input: { status: FollowUpStatus; version: number; note?: string }): Promise<QueueItem> {
    const note = input.note === undefined ? undefined : cleanText('note', input.note, 0, 1000, true) || undefined;
    return this.#write(ctx, threadId, 'followup.status', (followUp, clock) =>
      changeStatus(followUp, { to: input.status, officerId: ctx.member.id, expectedVersion: input.version, ...(note && { note }) }, clock),
    );
  }

  /**
   * Assigns to oneself, or (supervisor, admin) to another officer of the thread's site; `null` unassigns
   * (an officer only themselves).
   */
  async assign(ctx: OfficerContext, threadId: string, input: { officerId: string | null; version: number }): Promise<QueueItem> {
    const target = input.officerId;
    const manager = ctx.role === 'supervisor' || ctx.role === 'admin';
    if (target !== null && target !== ctx.member.id && !manager) throw new DomainError('forbidden', 'Only a supervisor or an admin assigns others');
    return this.#write(ctx, threadId, 'followup.assign', (followUp, clock) => {
      if (target === null && followUp.assigneeId !== undefined && followUp.assigneeId !== ctx.member.id && !manager) {
        throw new DomainError('forbidden', 'Only a supervisor or an admin takes a follow-up off another officer');
      }
      if (target !== null && !this.#core.officerAccess(target)?.sites.includes(followUp.site)) {
        throw new DomainError('bad_request', `officerId: not an officer of site ${followUp.site}`, { field: 'officerId' });
      }
      return assign(followUp, { assigneeId: target, expectedVersion: input.version }, clock);
    });
  }

  /**
   * An official answer. With `followUpVersion` it is posted only if the follow-up is still at that version
   * (else `stale_view` and nothing is posted); the first one moves `baru` to `diproses`.
   */
  async answer(
    ctx: OfficerContext,
    threadId: string,
    input: { body: string; clientId: string; followUpVersion?: number },
  ): Promise<OfficerAnswerResponse & { duplicate: boolean }> {
    const core = this.#core;
    return core.serial(threadId, async () => {
      await core.threadFor(ctx, threadId);
      const actor: Actor = { visitor: ctx.member };
      const before = await core.store.getFollowUp({ threadId });
      // A retry of an answer already posted is answered as such, whatever the version is now.
      const earlier = await core.store.findByClientId({ authorId: ctx.member.id, clientId: input.clientId });
      if (!earlier?.post && before && input.followUpVersion !== undefined && input.followUpVersion !== before.version) {
        throw await core.stale(before, `follow-up ${before.tracking} is at version ${before.version}, not ${input.followUpVersion}: reload it`);
      }
      const { post, duplicate } = await core.consultation.answer(actor, threadId, { body: input.body, clientId: input.clientId });
      if (duplicate || !before) {
        const now = await core.store.getFollowUp({ threadId });
        return { post, duplicate, ...(now && { followUp: (await core.item(now)).followUp }) };
      }
      this.#recorded.add(post.id);
      const after = await this.apply(threadId, (followUp, clock) => recordOfficerAnswer(followUp, { officerId: ctx.member.id }, clock));
      return { post, duplicate, ...(after && { followUp: (await core.item(after)).followUp }) };
    });
  }

  /**
   * Round robin: a follow-up just opened goes to the officer (role `officer`, in the accounts in force now)
   * whose turn its tracking number is; an audit entry by `system` records it. One already taken meanwhile is
   * left alone. Returns the follow-up as stored after.
   */
  async roundRobin(followUp: FollowUp): Promise<FollowUp> {
    const core = this.#core;
    const siteIds = core.consultation.siteIds();
    const officers = core
      .accounts()
      .filter((a) => accountRole(a) === 'officer' && accountSites(a, siteIds).includes(followUp.site))
      .map((a) => officerId(a.username));
    const target = roundRobinOfficer(officers, followUp.tracking);
    if (!target) return followUp;
    const after = await this.apply(followUp.threadId, (current, clock) =>
      current.assigneeId === undefined ? assign(current, { assigneeId: target, expectedVersion: current.version }, clock) : undefined,
    );
    if (!after || after.assigneeId !== target || after.version === followUp.version) return after ?? followUp;
    const details = { threadId: after.threadId, tracking: after.tracking, version: after.version, assignee: target, roundRobin: true };
    await core.store.appendAudit({ entry: { id: core.newId(), at: core.iso(), officerId: 'system', action: 'followup.assign', details } });
    return after;
  }

  /**
   * Applies a change that must not be lost (an answer already posted, the asker's reply, auto-close):
   * compare-and-set, re-read and retried when another instance wrote in between. Undefined without a follow-up.
   * The caller runs it in the thread's turn.
   */
  async apply(threadId: string, change: (followUp: FollowUp, clock: Clock) => FollowUp | undefined): Promise<FollowUp | undefined> {
    const core = this.#core;
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await core.store.getFollowUp({ threadId });
      if (!before) return undefined;
      const next = change(before, core.clockOf(before.site));
      if (next === undefined || next === before) return before;
      const result = await core.store.updateFollowUp({ followUp: next, expectedVersion: before.version });
      if (result.ok) {
        await this.changed(before, result.followUp);
        return result.followUp;
      }
    }
    throw new Error(`follow-up of thread ${threadId} kept changing under five attempts to update it`);
  }

  /** After every stored change: tell subscribers, and escalate a breach the change itself revealed. */
  async changed(before: FollowUp, after: FollowUp): Promise<void> {
    const core = this.#core;
    if (before.slaState !== 'breached' && after.slaState === 'breached' && isOpen(after)) {
      await escalate(core, after, slaView(after, core.calendar(after.site), core.now()).target);
    }
    await core.emit(after);
  }

  /** An officer's write: access, then the lifecycle (version first), then compare-and-set and the audit log. */
  async #write(ctx: OfficerContext, threadId: string, action: AuditAction, change: (followUp: FollowUp, clock: Clock) => FollowUp): Promise<QueueItem> {
    const core = this.#core;
    return core.serial(threadId, async () => {
      await core.threadFor(ctx, threadId);
      const before = await core.store.getFollowUp({ threadId });
      if (!before) throw new DomainError('follow_up_not_found', 'This thread is not in the follow-up queue');
      let next: FollowUp;
      try {
        next = change(before, core.clockOf(before.site));
      } catch (err) {
        if (err instanceof DomainError && err.code === 'stale_view') throw await core.stale(before, err.message);
        throw err;
      }
      if (next === before) return core.item(before);
      const result = await core.store.updateFollowUp({ followUp: next, expectedVersion: before.version });
      if (!result.ok) throw await core.stale(result.current ?? before, `follow-up ${before.tracking} changed meanwhile: reload it`);
      const details: Record<string, string | number | boolean> = { threadId, tracking: next.tracking, version: next.version };
      if (next.status !== before.status) Object.assign(details, { from: before.status, to: next.status });
      if (next.assigneeId !== before.assigneeId) details.assignee = next.assigneeId ?? 'none';
      await core.store.appendAudit({ entry: { id: core.newId(), at: core.iso(), officerId: ctx.member.id, action, details } });
      await this.changed(before, result.followUp);
      return core.item(result.followUp);
    });
  }
}
