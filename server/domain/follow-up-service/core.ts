/**
 * What every part of the follow-up service shares: the store and services it works through, the clock,
 * one-at-a-time work per thread, the officers' access as the accounts say now, subscribers, and queue items.
 * Internal to server/domain/follow-up-service*; callers use FollowUpService.
 */
import type { MemberSummary, OfficerRole, QueueItem } from '../../protocol.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/store.js';
import { DomainError } from '../errors.js';
import { calendarFor, type Clock, type FollowUp, type OfficerNotification, type WorkCalendar } from '../follow-up/index.js';
import { followUpMemberIds, followUpView } from '../follow-up-views.js';
import type { MemberDirectory } from '../members.js';
import type { Thread, Visitor } from '../model.js';
import { accountRole, accountSites, type OfficerAccount } from '../officer-accounts.js';
import { officerId, type OfficerService } from '../officer-service.js';
import type { ConsultationService } from '../service.js';
import type { SiteSettings } from '../sites.js';
import { threadView } from '../views.js';

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

export interface FollowUpCoreOptions {
  store: Store;
  consultation: ConsultationService;
  officers: OfficerService;
  now: () => number;
  newId: () => string;
  log: Logger;
}

export class FollowUpCore {
  readonly store: Store;
  readonly consultation: ConsultationService;
  readonly officers: OfficerService;
  readonly members: MemberDirectory;
  readonly now: () => number;
  readonly newId: () => string;
  readonly log: Logger;
  readonly #listeners = new Set<(change: FollowUpChange) => void>();
  /** The tail of each thread's chain of follow-up work: one at a time per thread in this process. */
  readonly #locks = new Map<string, Promise<void>>();
  /** Background work started by store events, so that tests and shutdown can wait for it. */
  readonly #pending = new Set<Promise<unknown>>();

  constructor(options: FollowUpCoreOptions) {
    this.store = options.store;
    this.consultation = options.consultation;
    this.officers = options.officers;
    this.members = options.consultation.members;
    this.now = options.now;
    this.newId = options.newId;
    this.log = options.log;
  }

  // ---- sites, accounts, clocks -----------------------------------------------------------------

  sites(): SiteSettings[] {
    return this.consultation.siteIds().map((id) => this.consultation.site(id));
  }

  accounts(): readonly OfficerAccount[] {
    return this.officers.accounts();
  }

  accountOf(memberId: string): OfficerAccount | undefined {
    return this.accounts().find((a) => officerId(a.username) === memberId);
  }

  /** Role and sites of an officer (by member id) as the accounts say now, or undefined once the account is gone. */
  officerAccess(memberId: string): { role: OfficerRole; sites: string[] } | undefined {
    const account = this.accountOf(memberId);
    return account && { role: accountRole(account), sites: accountSites(account, this.consultation.siteIds()) };
  }

  calendar(site: string): WorkCalendar {
    return calendarFor(this.consultation.site(site).followUp);
  }

  clockOf(site: string): Clock {
    return { calendar: this.calendar(site), now: this.now() };
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** The thread, if the officer works its site; otherwise `thread_not_found`, as if it did not exist. */
  async threadFor(ctx: OfficerContext, threadId: string): Promise<Thread> {
    const thread = await this.store.getThreadRecord({ id: threadId });
    if (!thread || !ctx.sites.includes(thread.site)) throw new DomainError('thread_not_found', 'Thread not found');
    return thread;
  }

  // ---- one at a time per thread ----------------------------------------------------------------

  /** Runs `fn` after the thread's earlier follow-up work in this process. */
  serial<T>(threadId: string, fn: () => Promise<T>): Promise<T> {
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

  /** `serial`, started from an event: failures are logged, and settled() waits for it. */
  background(threadId: string, fn: () => Promise<unknown>): void {
    const run = this.serial(threadId, fn).catch((err) => this.log('error', 'follow-up update failed', { threadId, err }));
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
  }

  async settled(): Promise<void> {
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
  }

  // ---- subscribers -----------------------------------------------------------------------------

  subscribe(listener: (change: FollowUpChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async emit(followUp: FollowUp): Promise<void> {
    if (this.#listeners.size === 0) return;
    this.tell({ kind: 'queue', site: followUp.site, item: await this.item(followUp) });
  }

  tell(change: FollowUpChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        this.log('error', 'follow-up listener failed', { err });
      }
    }
  }

  // ---- views -----------------------------------------------------------------------------------

  /** `stale_view` with the current state, for the page to show what changed. */
  async stale(current: FollowUp, message: string): Promise<DomainError> {
    return new DomainError('stale_view', message, { current: await this.item(current) });
  }

  async item(followUp: FollowUp): Promise<QueueItem> {
    const [item] = await this.items([followUp]);
    return item!;
  }

  async items(followUps: FollowUp[]): Promise<QueueItem[]> {
    const threads = await Promise.all(followUps.map((f) => this.store.getThreadRecord({ id: f.threadId })));
    const people = await this.members.summaries([...threads.flatMap((t) => (t ? [t.authorId] : [])), ...followUps.flatMap(followUpMemberIds)]);
    const now = this.now();
    return followUps.flatMap((followUp, i) => {
      const thread = threads[i];
      return thread ? [{ thread: threadView(thread, people), followUp: followUpView(followUp, this.calendar(followUp.site), now, people) }] : [];
    });
  }
}
