/**
 * The officers' follow-up queue, wired: the pure rules of server/domain/follow-up/ applied to stored threads
 * and follow-ups. HTTP (server/http/officer-queue-routes.ts) and the officers' WebSocket channel call only this.
 * The parts live in server/domain/follow-up-service/: core (shared state, one-at-a-time per thread, views),
 * access (officer context), queue (reading), writes (status, assignment, answers), escalation (breaches,
 * notifications).
 *
 * - Access: every call that acts for an officer takes an OfficerContext made from the accounts in force now
 *   (officerContext), never from the token's claims; another site's thread is `thread_not_found`, so its
 *   existence does not leak.
 * - Writes: status, assignment and answers carry the version the officer saw; a stale one is refused with
 *   `stale_view` and the current QueueItem, and changes nothing.
 * - Queue rules: a thread enters when its asker asks, when an answer is flagged or its score drops below zero
 *   (store events and TrustService's flags), and by the clock pass for the timed rules (follow-up-clock.ts).
 * - Answers made elsewhere still count: an officer's answer through the visitors' route is a first response,
 *   the asker's answer in their own thread resumes or reopens the follow-up (both from store events).
 */
import { nanoid } from 'nanoid';
import type {
  FollowUpStatus,
  NotificationView,
  OfficerAnswerResponse,
  OfficerMeView,
  OfficerRole,
  OfficerThreadView,
  PublicFollowUp,
  QueueItem,
  QueueQuery,
  QueueResponse,
} from '../protocol.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { DomainError } from './errors.js';
import { calendarFor, openFollowUp, queueDecision, recordAskerReply, recordOfficerAnswer, threadFacts, trackingYear, type FollowUp, type FollowUpReason } from './follow-up/index.js';
import { FollowUpClock, type ClockPassResult } from './follow-up-clock.js';
import { officerContext, officerMe } from './follow-up-service/access.js';
import { FollowUpCore, type FollowUpChange, type OfficerContext } from './follow-up-service/core.js';
import { listNotifications, markNotificationsRead, escalate } from './follow-up-service/escalation.js';
import { officerThread, queuePage, type PresenceLookup } from './follow-up-service/queue.js';
import { FollowUpWrites } from './follow-up-service/writes.js';
import type { ChangeEvent, Post, Thread } from './model.js';
import type { OfficerService } from './officer-service.js';
import type { Actor, CheckOptions, ConsultationService } from './service.js';
import type { TrustService } from './trust-service.js';

export type { FollowUpChange, OfficerContext } from './follow-up-service/core.js';
export type { PresenceLookup } from './follow-up-service/queue.js';
export type { ClockPassResult } from './follow-up-clock.js';

export interface FollowUpServiceOptions {
  store: Store;
  consultation: ConsultationService;
  officers: OfficerService;
  /** Its flags that do not hide an answer emit no store event; the service listens to them here. */
  trust?: TrustService;
  now?: () => number;
  newId?: () => string;
  log?: Logger;
  /** How far back the clock pass looks for threads the timed queue rules may put in the queue (days). */
  lookbackDays?: number;
}

export class FollowUpService {
  readonly #core: FollowUpCore;
  readonly #writes: FollowUpWrites;
  readonly #clock: FollowUpClock;
  readonly #unsubscribe: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: FollowUpServiceOptions) {
    const core = new FollowUpCore({
      store: options.store,
      consultation: options.consultation,
      officers: options.officers,
      now: options.now ?? Date.now,
      newId: options.newId ?? (() => nanoid(16)),
      log: options.log ?? (() => {}),
    });
    this.#core = core;
    this.#writes = new FollowUpWrites(core);
    this.#clock = new FollowUpClock({
      store: core.store,
      sites: () => core.sites(),
      lookbackDays: options.lookbackDays ?? 14,
      evaluate: (threadId) => core.serial(threadId, () => this.#evaluate(threadId)),
      apply: (threadId, change) => core.serial(threadId, () => this.#writes.apply(threadId, change)),
      slaChanged: async (followUp, target) => {
        if (target) await escalate(core, followUp, target);
        await core.emit(followUp);
      },
    });
    this.#unsubscribe = core.store.subscribe((event) => this.#onEvent(event));
    options.trust?.onFlag((post) => core.background(post.threadId, () => this.#evaluate(post.threadId)));
  }

  // ---- subscribers, access ---------------------------------------------------------------------

  /** Calls `listener` with every queue change and notification; returns the function that unsubscribes. */
  subscribe(listener: (change: FollowUpChange) => void): () => void {
    return this.#core.subscribe(listener);
  }

  /**
   * The officer a token proves, with role and sites from the accounts in force now. Throws DomainError
   * `unauthorized`, `session_ended`, `token_expired` (from the session check) or `forbidden` (not an officer).
   */
  officerContext(token: string | undefined, check?: CheckOptions): Promise<OfficerContext> {
    return officerContext(this.#core, token, check);
  }

  /**
   * Role and sites of an officer (by member id) as the accounts say now, or undefined once the account is
   * gone: for re-checking a live connection without its token.
   */
  officerAccess(memberId: string): { role: OfficerRole; sites: string[] } | undefined {
    return this.#core.officerAccess(memberId);
  }

  /** Resolves when the officer may open the thread (presence); `thread_not_found` for another site's, as everywhere. */
  async checkThread(ctx: OfficerContext, threadId: string): Promise<void> {
    await this.#core.threadFor(ctx, threadId);
  }

  me(ctx: OfficerContext): Promise<OfficerMeView> {
    return officerMe(this.#core, ctx);
  }

  // ---- the asker -------------------------------------------------------------------------------

  /** "Minta jawaban petugas": the asker puts their thread in the queue; `created` is false when it already was. */
  async request(actor: Actor, threadId: string): Promise<{ followUp: PublicFollowUp; created: boolean }> {
    const core = this.#core;
    const thread = await core.store.getThreadRecord({ id: threadId });
    if (!thread || (actor.site !== undefined && actor.site !== thread.site)) throw new DomainError('thread_not_found', 'Thread not found');
    core.consultation.siteFor(thread.site, actor.origin);
    if (thread.authorId !== actor.visitor.id) throw new DomainError('not_asker', "Only the asker can ask for an officer's answer");
    const { followUp, created } = await core.serial(threadId, () => this.#open(thread, 'asker_request'));
    return { followUp: { tracking: followUp.tracking, status: followUp.status }, created };
  }

  // ---- the queue -------------------------------------------------------------------------------

  queue(ctx: OfficerContext, query: QueueQuery): Promise<QueueResponse> {
    return queuePage(this.#core, ctx, query);
  }

  /** A thread with every post, its follow-up and who else has it open. */
  thread(ctx: OfficerContext, threadId: string, presence?: PresenceLookup): Promise<OfficerThreadView> {
    return officerThread(this.#core, ctx, threadId, presence);
  }

  // ---- officers' writes ------------------------------------------------------------------------

  changeStatus(ctx: OfficerContext, threadId: string, input: { status: FollowUpStatus; version: number; note?: string }): Promise<QueueItem> {
    return this.#writes.changeStatus(ctx, threadId, input);
  }

  /** Assigns to oneself, or (supervisor, admin) to another officer of the thread's site; `null` unassigns. */
  assign(ctx: OfficerContext, threadId: string, input: { officerId: string | null; version: number }): Promise<QueueItem> {
    return this.#writes.assign(ctx, threadId, input);
  }

  /** An official answer; with `followUpVersion`, posted only if the follow-up is still at that version. */
  answer(ctx: OfficerContext, threadId: string, input: { body: string; clientId: string; followUpVersion?: number }): Promise<OfficerAnswerResponse & { duplicate: boolean }> {
    return this.#writes.answer(ctx, threadId, input);
  }

  // ---- notifications ---------------------------------------------------------------------------

  notifications(ctx: OfficerContext, limit = 50): Promise<{ notifications: NotificationView[]; unread: number }> {
    return listNotifications(this.#core, ctx, limit);
  }

  markRead(ctx: OfficerContext, ids: string[]): Promise<void> {
    return markNotificationsRead(this.#core, ctx, ids);
  }

  // ---- the clock -------------------------------------------------------------------------------

  /** One pass: timed queue rules, SLA states (breaches escalate), auto-close. Runs one at a time. */
  clockPass(): Promise<ClockPassResult> {
    return this.#clock.pass(this.#core.now());
  }

  /** Runs the clock pass every `intervalMs` (and once now) until stop(). */
  start(intervalMs: number): void {
    const run = () => void this.clockPass().catch((err) => this.#core.log('error', 'follow-up clock pass failed', { err }));
    this.#timer = setInterval(run, intervalMs);
    this.#timer.unref();
    run();
  }

  /** Stops the timer and the event listener, and waits for work already started. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#unsubscribe();
    await this.#clock.idle();
    await this.settled();
  }

  /** Resolves once the follow-up work started by store events so far is done (a barrier for tests). */
  settled(): Promise<void> {
    return this.#core.settled();
  }

  // ---- entering the queue, store events --------------------------------------------------------

  async #open(thread: Thread, reason: FollowUpReason): Promise<{ followUp: FollowUp; created: boolean }> {
    const core = this.#core;
    const site = core.consultation.site(thread.site);
    const clock = core.clockOf(site.id);
    const { tracking: _none, ...fresh } = openFollowUp(
      { threadId: thread.id, site: site.id, category: thread.category, tracking: '', reason, settings: site.followUp },
      clock,
    );
    const result = await core.store.openFollowUp({ followUp: fresh, prefix: site.followUp.trackingPrefix, year: trackingYear(clock.now, site.followUp.timeZone) });
    if (!result) throw new DomainError('thread_not_found', 'Thread not found');
    this.#clock.forget(thread.id);
    if (!result.created) return result;
    if (site.followUp.assignment === 'round_robin') {
      try {
        // Announced once, assigned (roundRobin's update tells subscribers).
        const assigned = await this.#writes.roundRobin(result.followUp);
        if (assigned !== result.followUp) return { followUp: assigned, created: true };
      } catch (err) {
        // The follow-up is open and numbered either way; an officer can still take it by hand.
        core.log('error', 'round-robin assignment failed', { threadId: thread.id, err });
      }
    }
    await core.emit(result.followUp);
    return result;
  }

  #onEvent(event: ChangeEvent): void {
    const change = event.change;
    if (change.kind === 'post.created') this.#core.background(change.post.threadId, () => this.#onPost(change.post));
    // Votes and hiding: a score below zero or a flagged answer may put the thread in the queue.
    else if (change.kind === 'post.updated') this.#core.background(change.post.threadId, () => this.#evaluate(change.post.threadId));
  }

  async #onPost(post: Post): Promise<void> {
    this.#clock.forget(post.threadId);
    if (post.official && this.#writes.takeRecorded(post.id)) return;
    if (post.official) {
      await this.#writes.apply(post.threadId, (followUp, clock) => recordOfficerAnswer(followUp, { officerId: post.authorId }, clock));
      return;
    }
    const thread = await this.#core.store.getThreadRecord({ id: post.threadId });
    if (thread?.followUp && thread.authorId === post.authorId) await this.#writes.apply(post.threadId, (followUp, clock) => recordAskerReply(followUp, clock));
  }

  /** Runs the queue rules on a thread without a follow-up; opens one when a rule fires. Returns whether it did. */
  async #evaluate(threadId: string): Promise<boolean> {
    const { store, consultation } = this.#core;
    const found = await store.getThread({ id: threadId });
    if (!found || found.thread.followUp || !consultation.siteIds().includes(found.thread.site)) return false;
    const site = consultation.site(found.thread.site);
    // Flags from members whose flags do not count yet (weight 0) do not put a thread in the queue either.
    const flagged = new Set<string>();
    for (const post of found.posts) if ((await store.flagsFor({ postId: post.id })).some((f) => f.weight > 0)) flagged.add(post.id);
    const now = this.#core.now();
    const decision = queueDecision(threadFacts(found.thread, found.posts, flagged), site.followUp.queueRules, calendarFor(site.followUp), now);
    if (!decision.enter) {
      this.#clock.remember(threadId, decision.checkAt);
      return false;
    }
    await this.#open(found.thread, decision.reason);
    return true;
  }
}
