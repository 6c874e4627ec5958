/**
 * The officers' follow-up queue, wired: the pure rules of server/domain/follow-up/ applied to stored threads
 * and follow-ups. HTTP (server/http/officer-queue-routes.ts) and the officers' WebSocket channel call only this.
 *
 * - Access: every call that acts for an officer takes an OfficerContext made from the accounts in force now
 *   (officerContext), never from the token's claims; another site's thread is `thread_not_found`, so its
 *   existence does not leak.
 * - Writes: status, assignment and answers carry the version the officer saw. They run one at a time per
 *   thread in this process, and the store's compare-and-set catches writers elsewhere; a stale one is
 *   refused with `stale_view` and the current QueueItem, and changes nothing.
 * - Queue rules: a thread enters when its asker asks, when an answer is flagged or its score drops below zero
 *   (store events and TrustService's flags), and by the clock pass for the timed rules (follow-up-clock.ts).
 * - Answers made elsewhere still count: an officer's answer through the visitors' route is a first response,
 *   the asker's answer in their own thread resumes or reopens the follow-up (both from store events).
 */
import { nanoid } from 'nanoid';
import type {
  FollowUpStatus,
  MemberSummary,
  NotificationView,
  OfficerAnswerResponse,
  OfficerMeView,
  OfficerPresence,
  OfficerRole,
  OfficerThreadView,
  PublicFollowUp,
  QueueItem,
  QueueQuery,
  QueueResponse,

} from '../protocol.js';
import { FOLLOW_UP_STATUSES, SLA_STATES } from '../protocol.js';
import type { Logger } from '../log.js';
import type { FollowUpQuery, Store } from '../store/store.js';
import { DomainError } from './errors.js';
import {
  assign,
  calendarFor,
  changeStatus,
  isOpen,
  openFollowUp,
  queueDecision,
  recordAskerReply,
  recordOfficerAnswer,
  slaView,
  threadFacts,
  trackingYear,
  type Clock,
  type FollowUp,
  type FollowUpReason,
  type OfficerNotification,
  type SlaTarget,
  type WorkCalendar,
} from './follow-up/index.js';
import { FollowUpClock, type ClockPassResult } from './follow-up-clock.js';
import { decodeCursor, encodeCursor, followUpMemberIds, followUpView, notificationView } from './follow-up-views.js';
import type { MemberDirectory } from './members.js';
import type { AuditAction, ChangeEvent, Post, Thread, Visitor } from './model.js';
import { accountRole, accountSites, type OfficerAccount } from './officer-accounts.js';
import { officerId, type OfficerService } from './officer-service.js';
import { cleanText, searchWords } from './rules.js';
import type { Actor, CheckOptions, ConsultationService } from './service.js';
import type { SiteSettings } from './sites.js';
import type { TrustService } from './trust-service.js';
import { threadView } from './views.js';

/** What subscribers (the officers' WebSocket channel) hear: a queue item that changed, or a notification. */
export type FollowUpChange =
  | { kind: 'queue'; site: string; item: QueueItem }
  | { kind: 'notification'; notification: OfficerNotification };

/** An officer as the accounts in force say now: who, which role, which sites (configuration order). */
export interface OfficerContext {
  member: Visitor;
  summary: MemberSummary;
  role: OfficerRole;
  sites: string[];
}

/** Who else has a thread open (server/realtime/officer-presence.ts provides it). */
export type PresenceLookup = (threadId: string, exceptOfficerId: string) => OfficerPresence[];

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
  readonly #store: Store;
  readonly #consultation: ConsultationService;
  readonly #officers: OfficerService;
  readonly #members: MemberDirectory;
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #log: Logger;
  readonly #listeners = new Set<(change: FollowUpChange) => void>();
  /** The tail of each thread's chain of follow-up work: one at a time per thread in this process. */
  readonly #locks = new Map<string, Promise<void>>();
  /** Background work started by store events, so that tests and shutdown can wait for it. */
  readonly #pending = new Set<Promise<unknown>>();
  /** Official answers recorded by answer() itself, whose store event must not record them again. */
  readonly #recorded = new Set<string>();
  readonly #clock: FollowUpClock;
  readonly #unsubscribe: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: FollowUpServiceOptions) {
    this.#store = options.store;
    this.#consultation = options.consultation;
    this.#officers = options.officers;
    this.#members = options.consultation.members;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => nanoid(16));
    this.#log = options.log ?? (() => {});
    this.#clock = new FollowUpClock({
      store: this.#store,
      sites: () => this.#sites(),
      lookbackDays: options.lookbackDays ?? 14,
      evaluate: (threadId) => this.#serial(threadId, () => this.#evaluate(threadId)),
      apply: (threadId, change) => this.#serial(threadId, () => this.#apply(threadId, change)),
      slaChanged: (followUp, target) => this.#slaChanged(followUp, target),
    });
    this.#unsubscribe = this.#store.subscribe((event) => this.#onEvent(event));
    options.trust?.onFlag((post) => this.#background(post.threadId, () => this.#evaluate(post.threadId)));
  }

  // ---- subscribers, access ---------------------------------------------------------------------

  /** Calls `listener` with every queue change and notification; returns the function that unsubscribes. */
  subscribe(listener: (change: FollowUpChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The officer a token proves, with role and sites from the accounts in force now. Throws DomainError
   * `unauthorized`, `session_ended`, `token_expired` (from the session check) or `forbidden` (not an officer).
   */
  async officerContext(token: string | undefined, check?: CheckOptions): Promise<OfficerContext> {
    const member = await this.#officers.officer(token, check);
    const access = this.officerAccess(member.id);
    if (!access) throw new DomainError('forbidden', 'This officer account no longer exists');
    return { member, summary: this.#members.summary(member), ...access };
  }

  /**
   * Role and sites of an officer (by member id) as the accounts say now, or undefined once the account is
   * gone: for re-checking a live connection without its token.
   */
  officerAccess(memberId: string): { role: OfficerRole; sites: string[] } | undefined {
    const account = this.#accountOf(memberId);
    return account && { role: accountRole(account), sites: accountSites(account, this.#consultation.siteIds()) };
  }

  /** Resolves when the officer may open the thread (presence); `thread_not_found` for another site's, as everywhere. */
  async checkThread(ctx: OfficerContext, threadId: string): Promise<void> {
    await this.#threadFor(ctx, threadId);
  }

  async me(ctx: OfficerContext): Promise<OfficerMeView> {
    const colleagues = this.#officers.accounts().flatMap((account) => {
      const sites = accountSites(account, this.#consultation.siteIds()).filter((s) => ctx.sites.includes(s));
      return sites.length ? [{ id: officerId(account.username), role: accountRole(account), sites }] : [];
    });
    const people = await this.#members.summaries(colleagues.map((c) => c.id));
    return {
      officer: ctx.summary,
      role: ctx.role,
      sites: ctx.sites.map((id) => {
        const site = this.#consultation.site(id);
        return { id, name: site.name, timeZone: site.followUp.timeZone, categories: site.categories };
      }),
      colleagues: colleagues.flatMap((c) => {
        const officer = people.get(c.id);
        return officer ? [{ officer, role: c.role, sites: c.sites }] : [];
      }),
    };
  }

  // ---- the asker -------------------------------------------------------------------------------

  /** "Minta jawaban petugas": the asker puts their thread in the queue; `created` is false when it already was. */
  async request(actor: Actor, threadId: string): Promise<{ followUp: PublicFollowUp; created: boolean }> {
    const thread = await this.#store.getThreadRecord({ id: threadId });
    if (!thread || (actor.site !== undefined && actor.site !== thread.site)) throw new DomainError('thread_not_found', 'Thread not found');
    this.#consultation.siteFor(thread.site, actor.origin);
    if (thread.authorId !== actor.visitor.id) throw new DomainError('not_asker', "Only the asker can ask for an officer's answer");
    const { followUp, created } = await this.#serial(threadId, () => this.#open(thread, 'asker_request'));
    return { followUp: { tracking: followUp.tracking, status: followUp.status }, created };
  }

  // ---- the queue -------------------------------------------------------------------------------

  async queue(ctx: OfficerContext, query: QueueQuery): Promise<QueueResponse> {
    const sites = query.site === undefined ? ctx.sites : list(query.site);
    const foreign = sites.filter((s) => !ctx.sites.includes(s));
    if (foreign.length) throw new DomainError('forbidden', `Not one of your sites: ${foreign.join(', ')}`, { field: 'site' });
    const empty = { items: [], counts: { byStatus: zeros(FOLLOW_UP_STATUSES), bySla: zeros(SLA_STATES) } };
    if (sites.length === 0) return empty;
    const request: FollowUpQuery = { sites, limit: query.limit ?? 20 };
    if (query.status !== undefined) request.statuses = oneOf(query.status, FOLLOW_UP_STATUSES, 'status');
    if (query.sla !== undefined) request.slaStates = oneOf(query.sla, SLA_STATES, 'sla');
    if (query.category !== undefined) request.categories = list(query.category);
    if (query.assignee !== undefined && query.assignee !== '') {
      request.assignee = query.assignee === 'none' ? 'none' : { id: query.assignee === 'me' ? ctx.member.id : query.assignee };
    }
    const words = searchWords(query.q);
    if (words) request.words = words;
    if (query.cursor) request.after = decodeCursor(query.cursor);
    const [page, counts] = await Promise.all([this.#store.queryFollowUps(request), this.#store.countFollowUps({ sites })]);
    const items = await this.#items(page.followUps);
    return { items, ...(page.next && { nextCursor: encodeCursor(page.next) }), counts };
  }

  /** A thread with every post, its follow-up and who else has it open. */
  async thread(ctx: OfficerContext, threadId: string, presence?: PresenceLookup): Promise<OfficerThreadView> {
    await this.#threadFor(ctx, threadId);
    const view = await this.#consultation.getThread(threadId, undefined, ctx.member);
    const followUp = await this.#store.getFollowUp({ threadId });
    const result: OfficerThreadView = { ...view, officers: presence?.(threadId, ctx.member.id) ?? [] };
    if (followUp) result.followUp = (await this.#item(followUp)).followUp;
    return result;
  }

  // ---- officers' writes ------------------------------------------------------------------------

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
        throw new DomainError('forbidden', "Only a supervisor or an admin takes a follow-up off another officer");
      }
      if (target !== null && !this.officerAccess(target)?.sites.includes(followUp.site)) {
        throw new DomainError('bad_request', `officerId: not an officer of site ${followUp.site}`, { field: 'officerId' });
      }
      return assign(followUp, { assigneeId: target, expectedVersion: input.version }, clock);
    });
  }

  /**
   * An official answer. With `followUpVersion` it is posted only if the follow-up is still at that version
   * (else `stale_view` and nothing is posted); the first one moves `baru` to `diproses`.
   */
  async answer(ctx: OfficerContext, threadId: string, input: { body: string; clientId: string; followUpVersion?: number }): Promise<OfficerAnswerResponse & { duplicate: boolean }> {
    return this.#serial(threadId, async () => {
      await this.#threadFor(ctx, threadId);
      const actor: Actor = { visitor: ctx.member };
      const before = await this.#store.getFollowUp({ threadId });
      // A retry of an answer already posted is answered as such, whatever the version is now.
      const earlier = await this.#store.findByClientId({ authorId: ctx.member.id, clientId: input.clientId });
      if (!earlier?.post && before && input.followUpVersion !== undefined && input.followUpVersion !== before.version) {
        throw await this.#stale(before, `follow-up ${before.tracking} is at version ${before.version}, not ${input.followUpVersion}: reload it`);
      }
      const { post, duplicate } = await this.#consultation.answer(actor, threadId, { body: input.body, clientId: input.clientId });
      if (duplicate || !before) {
        const now = await this.#store.getFollowUp({ threadId });
        return { post, duplicate, ...(now && { followUp: (await this.#item(now)).followUp }) };
      }
      this.#recorded.add(post.id);
      const after = await this.#apply(threadId, (followUp, clock) => recordOfficerAnswer(followUp, { officerId: ctx.member.id }, clock));
      return { post, duplicate, ...(after && { followUp: (await this.#item(after)).followUp }) };
    });
  }

  // ---- notifications ---------------------------------------------------------------------------

  async notifications(ctx: OfficerContext, limit = 50): Promise<{ notifications: NotificationView[]; unread: number }> {
    const list = await this.#store.listNotifications({ officerId: ctx.member.id, limit });
    return { notifications: list.map(notificationView), unread: list.filter((n) => !n.read).length };
  }

  async markRead(ctx: OfficerContext, ids: string[]): Promise<void> {
    await this.#store.markNotificationsRead({ officerId: ctx.member.id, ids });
  }

  // ---- the clock -------------------------------------------------------------------------------

  /** One pass: timed queue rules, SLA states (breaches escalate), auto-close. Runs one at a time. */
  clockPass(): Promise<ClockPassResult> {
    return this.#clock.pass(this.#now());
  }

  /** Runs the clock pass every `intervalMs` (and once now) until stop(). */
  start(intervalMs: number): void {
    const run = () => void this.clockPass().catch((err) => this.#log('error', 'follow-up clock pass failed', { err }));
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
  async settled(): Promise<void> {
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
  }

  // ---- internals -------------------------------------------------------------------------------

  #sites(): SiteSettings[] {
    return this.#consultation.siteIds().map((id) => this.#consultation.site(id));
  }

  #accountOf(memberId: string): OfficerAccount | undefined {
    return this.#officers.accounts().find((a) => officerId(a.username) === memberId);
  }

  #calendar(site: string): WorkCalendar {
    return calendarFor(this.#consultation.site(site).followUp);
  }

  #clockOf(site: string): Clock {
    return { calendar: this.#calendar(site), now: this.#now() };
  }

  /** The thread, if the officer works its site; otherwise `thread_not_found`, as if it did not exist. */
  async #threadFor(ctx: OfficerContext, threadId: string): Promise<Thread> {
    const thread = await this.#store.getThreadRecord({ id: threadId });
    if (!thread || !ctx.sites.includes(thread.site)) throw new DomainError('thread_not_found', 'Thread not found');
    return thread;
  }

  /** Runs `fn` after the thread's earlier follow-up work in this process. */
  #serial<T>(threadId: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.#locks.get(threadId) ?? Promise.resolve()).then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(threadId, tail);
    void tail.then(() => {
      if (this.#locks.get(threadId) === tail) this.#locks.delete(threadId);
    });
    return run;
  }

  #background(threadId: string, fn: () => Promise<unknown>): void {
    const run = this.#serial(threadId, fn).catch((err) => this.#log('error', 'follow-up update failed', { threadId, err }));
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
  }

  async #open(thread: Thread, reason: FollowUpReason): Promise<{ followUp: FollowUp; created: boolean }> {
    const site = this.#consultation.site(thread.site);
    const clock = this.#clockOf(site.id);
    const { tracking: _none, ...fresh } = openFollowUp(
      { threadId: thread.id, site: site.id, category: thread.category, tracking: '', reason, settings: site.followUp },
      clock,
    );
    const result = await this.#store.openFollowUp({ followUp: fresh, prefix: site.followUp.trackingPrefix, year: trackingYear(clock.now, site.followUp.timeZone) });
    if (!result) throw new DomainError('thread_not_found', 'Thread not found');
    this.#clock.forget(thread.id);
    if (result.created) await this.#emit(result.followUp);
    return result;
  }

  /** An officer's write: access, then the lifecycle (version first), then compare-and-set and the audit log. */
  async #write(ctx: OfficerContext, threadId: string, action: AuditAction, change: (followUp: FollowUp, clock: Clock) => FollowUp): Promise<QueueItem> {
    return this.#serial(threadId, async () => {
      await this.#threadFor(ctx, threadId);
      const before = await this.#store.getFollowUp({ threadId });
      if (!before) throw new DomainError('follow_up_not_found', 'This thread is not in the follow-up queue');
      let next: FollowUp;
      try {
        next = change(before, this.#clockOf(before.site));
      } catch (err) {
        if (err instanceof DomainError && err.code === 'stale_view') throw await this.#stale(before, err.message);
        throw err;
      }
      if (next === before) return this.#item(before);
      const result = await this.#store.updateFollowUp({ followUp: next, expectedVersion: before.version });
      if (!result.ok) throw await this.#stale(result.current ?? before, `follow-up ${before.tracking} changed meanwhile: reload it`);
      const details: Record<string, string | number | boolean> = { threadId, tracking: next.tracking, version: next.version };
      if (next.status !== before.status) Object.assign(details, { from: before.status, to: next.status });
      if (next.assigneeId !== before.assigneeId) details.assignee = next.assigneeId ?? 'none';
      await this.#store.appendAudit({ entry: { id: this.#newId(), at: this.#iso(), officerId: ctx.member.id, action, details } });
      await this.#changed(before, result.followUp);
      return this.#item(result.followUp);
    });
  }

  /**
   * Applies a change that must not be lost (an answer already posted, the asker's reply, auto-close):
   * compare-and-set, re-read and retried when another instance wrote in between. Undefined without a follow-up.
   */
  async #apply(threadId: string, change: (followUp: FollowUp, clock: Clock) => FollowUp | undefined): Promise<FollowUp | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await this.#store.getFollowUp({ threadId });
      if (!before) return undefined;
      const next = change(before, this.#clockOf(before.site));
      if (next === undefined || next === before) return before;
      const result = await this.#store.updateFollowUp({ followUp: next, expectedVersion: before.version });
      if (result.ok) {
        await this.#changed(before, result.followUp);
        return result.followUp;
      }
    }
    throw new Error(`follow-up of thread ${threadId} kept changing under five attempts to update it`);
  }

  /** After every stored change: tell subscribers, and escalate a breach the change itself revealed. */
  async #changed(before: FollowUp, after: FollowUp): Promise<void> {
    if (before.slaState !== 'breached' && after.slaState === 'breached' && isOpen(after)) {
      await this.#escalate(after, slaView(after, this.#calendar(after.site), this.#now()).target);
    }
    await this.#emit(after);
  }

  /** From the clock pass: a follow-up's stored SLA state changed (versions stay). */
  async #slaChanged(followUp: FollowUp, target: SlaTarget | undefined): Promise<void> {
    if (target) await this.#escalate(followUp, target);
    await this.#emit(followUp);
  }

  /** A breach: a notification for each supervisor of the site, and one audit entry (`system`). */
  async #escalate(followUp: FollowUp, target: SlaTarget): Promise<void> {
    const at = this.#iso();
    const which = target === 'firstResponse' ? 'first_response' : 'resolution';
    const supervisors = this.#officers
      .accounts()
      .filter((a) => accountRole(a) === 'supervisor' && accountSites(a, this.#consultation.siteIds()).includes(followUp.site));
    const notifications: OfficerNotification[] = supervisors.map((a) => ({
      id: this.#newId(),
      officerId: officerId(a.username),
      at,
      kind: 'sla_breached',
      threadId: followUp.threadId,
      tracking: followUp.tracking,
      site: followUp.site,
      target: which,
      read: false,
    }));
    if (notifications.length) await this.#store.addNotifications({ notifications });
    await this.#store.appendAudit({
      entry: {
        id: this.#newId(),
        at,
        officerId: 'system',
        action: 'followup.escalate',
        details: { threadId: followUp.threadId, tracking: followUp.tracking, site: followUp.site, target: which, notified: notifications.length },
      },
    });
    for (const notification of notifications) this.#tell({ kind: 'notification', notification });
  }

  async #stale(current: FollowUp, message: string): Promise<DomainError> {
    return new DomainError('stale_view', message, { current: await this.#item(current) });
  }

  async #emit(followUp: FollowUp): Promise<void> {
    if (this.#listeners.size === 0) return;
    this.#tell({ kind: 'queue', site: followUp.site, item: await this.#item(followUp) });
  }

  #tell(change: FollowUpChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        this.#log('error', 'follow-up listener failed', { err });
      }
    }
  }

  async #item(followUp: FollowUp): Promise<QueueItem> {
    const [item] = await this.#items([followUp]);
    return item!;
  }

  async #items(followUps: FollowUp[]): Promise<QueueItem[]> {
    const threads = await Promise.all(followUps.map((f) => this.#store.getThreadRecord({ id: f.threadId })));
    const people = await this.#members.summaries([...threads.flatMap((t) => (t ? [t.authorId] : [])), ...followUps.flatMap(followUpMemberIds)]);
    const now = this.#now();
    return followUps.flatMap((followUp, i) => {
      const thread = threads[i];
      return thread ? [{ thread: threadView(thread, people), followUp: followUpView(followUp, this.#calendar(followUp.site), now, people) }] : [];
    });
  }

  #onEvent(event: ChangeEvent): void {
    const change = event.change;
    if (change.kind === 'post.created') this.#background(change.post.threadId, () => this.#onPost(change.post));
    // Votes and hiding: a score below zero or a flagged answer may put the thread in the queue.
    else if (change.kind === 'post.updated') this.#background(change.post.threadId, () => this.#evaluate(change.post.threadId));
  }

  async #onPost(post: Post): Promise<void> {
    this.#clock.forget(post.threadId);
    if (post.official && this.#recorded.delete(post.id)) return;
    if (post.official) {
      await this.#apply(post.threadId, (followUp, clock) => recordOfficerAnswer(followUp, { officerId: post.authorId }, clock));
      return;
    }
    const thread = await this.#store.getThreadRecord({ id: post.threadId });
    if (thread?.followUp && thread.authorId === post.authorId) await this.#apply(post.threadId, (followUp, clock) => recordAskerReply(followUp, clock));
  }

  /** Runs the queue rules on a thread without a follow-up; opens one when a rule fires. Returns whether it did. */
  async #evaluate(threadId: string): Promise<boolean> {
    const found = await this.#store.getThread({ id: threadId });
    if (!found || found.thread.followUp || !this.#consultation.siteIds().includes(found.thread.site)) return false;
    const site = this.#consultation.site(found.thread.site);
    // Flags from members whose flags do not count yet (weight 0) do not put a thread in the queue either.
    const flagged = new Set<string>();
    for (const post of found.posts) if ((await this.#store.flagsFor({ postId: post.id })).some((f) => f.weight > 0)) flagged.add(post.id);
    const now = this.#now();
    const decision = queueDecision(threadFacts(found.thread, found.posts, flagged), site.followUp.queueRules, calendarFor(site.followUp), now);
    if (!decision.enter) {
      this.#clock.remember(threadId, decision.checkAt);
      return false;
    }
    await this.#open(found.thread, decision.reason);
    return true;
  }

  #iso(): string {
    return new Date(this.#now()).toISOString();
  }
}

/** "a, b" → ["a", "b"]. */
function list(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
}

function oneOf<T extends string>(text: string, allowed: readonly T[], field: string): T[] {
  const values = list(text);
  const bad = values.filter((v) => !(allowed as readonly string[]).includes(v));
  if (bad.length) throw new DomainError('bad_request', `${field}: "${bad[0]}" is not one of ${allowed.join(', ')}`, { field });
  return values as T[];
}

function zeros<T extends string>(keys: readonly T[]): Record<T, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<T, number>;
}

export type { ClockPassResult } from './follow-up-clock.js';
