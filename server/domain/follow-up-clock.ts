/**
 * The follow-up clock pass (FollowUpService runs it every 30 s, OSG_FOLLOW_UP_CLOCK_MS): what changes by
 * itself as time passes.
 * 1. Timed queue rules (`unanswered`, `no_official_answer`): each site's threads of the last `lookbackDays`
 *    without a follow-up are judged again once their `checkAt` has come (remembered per thread in memory;
 *    after a restart the first pass judges them all again).
 * 2. SLA states: one sweep over the active follow-ups; the changed states are stored (versions stay, so no
 *    officer's view goes stale), a change to `breached` escalates to the site's supervisors.
 * 3. Auto-close: `selesai` follow-ups whose time has come move to `ditutup`.
 */
import type { Store } from '../store/store.js';
import { autoClose, calendarFor, sweep, type Clock, type FollowUp, type SlaTarget, type WorkCalendar } from './follow-up/index.js';
import type { SiteSettings } from './sites.js';

const DAY_MS = 86_400_000;

export interface ClockPassResult {
  /** Threads the timed rules put in the queue. */
  opened: number;
  /** Follow-ups whose stored SLA state changed. */
  slaChanged: number;
  /** Of those, changes to `breached` (each escalated). */
  breached: number;
  autoClosed: number;
}

export interface FollowUpClockOptions {
  store: Store;
  sites: () => SiteSettings[];
  lookbackDays: number;
  /** Judges a thread by the queue rules (run in the thread's turn); true when it entered the queue. */
  evaluate(threadId: string): Promise<boolean>;
  /** Applies a change with compare-and-set, in the thread's turn. */
  apply(threadId: string, change: (followUp: FollowUp, clock: Clock) => FollowUp | undefined): Promise<FollowUp | undefined>;
  /** A stored SLA state changed; `target` is set when it became a breach of that target. */
  slaChanged(followUp: FollowUp, target: SlaTarget | undefined): Promise<void>;
}

export class FollowUpClock {
  readonly #options: FollowUpClockOptions;
  /** Threads without a follow-up and when the timed rules need them judged again (Infinity: only a change can). */
  readonly #checkAt = new Map<string, number>();
  #running: Promise<ClockPassResult> | undefined;

  constructor(options: FollowUpClockOptions) {
    this.#options = options;
  }

  /** The thread changed (a post) or entered the queue: judge it afresh. */
  forget(threadId: string): void {
    this.#checkAt.delete(threadId);
  }

  /** The rules need this thread again at `checkAt` (absent: only when it changes). */
  remember(threadId: string, checkAt: number | undefined): void {
    this.#checkAt.set(threadId, checkAt ?? Infinity);
  }

  /** One pass at `now`; a pass asked for while one runs shares it. */
  pass(now: number): Promise<ClockPassResult> {
    this.#running ??= this.#pass(now).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async idle(): Promise<void> {
    await this.#running?.catch(() => undefined);
  }

  async #pass(now: number): Promise<ClockPassResult> {
    const result: ClockPassResult = { opened: 0, slaChanged: 0, breached: 0, autoClosed: 0 };
    const sites = this.#options.sites();
    for (const site of sites) result.opened += await this.#timedRules(site, now);

    const { store } = this.#options;
    const calendars = new Map<string, WorkCalendar>(sites.map((s) => [s.id, calendarFor(s.followUp)]));
    // A site no longer configured keeps its follow-ups as they are: nobody can work them.
    const active = (await store.activeFollowUps()).filter((f) => calendars.has(f.site));
    const { changed, dueToClose } = sweep(active, now, calendars);
    // Stored without a version check: a state computed a moment before an officer's change is put right by
    // that change itself (every lifecycle change recomputes it) or by the next pass.
    if (changed.length) await store.setSlaStates({ changes: changed.map((c) => ({ threadId: c.followUp.threadId, slaState: c.to })) });
    for (const c of changed) {
      const breach = c.to === 'breached';
      result.slaChanged++;
      if (breach) result.breached++;
      await this.#options.slaChanged({ ...c.followUp, slaState: c.to }, breach ? c.view.target : undefined);
    }
    for (const followUp of dueToClose) {
      const closed = await this.#options.apply(followUp.threadId, (current, clock) => {
        // Judged again on the stored record: the asker may have replied since the sweep read it.
        const due = current.status === 'selesai' && current.autoCloseAt !== undefined && Date.parse(current.autoCloseAt) <= clock.now;
        return due ? autoClose(current, clock) : undefined;
      });
      if (closed?.status === 'ditutup' && closed.version !== followUp.version) result.autoClosed++;
    }
    return result;
  }

  /** Judges the site's recent threads without a follow-up whose time has come; returns how many entered. */
  async #timedRules(site: SiteSettings, now: number): Promise<number> {
    const rules = site.followUp.queueRules;
    if (rules.unansweredMinutes === false && rules.noOfficialAnswerHours === false) return 0;
    const since = now - this.#options.lookbackDays * DAY_MS;
    let opened = 0;
    let beforeSeq: number | undefined;
    do {
      const page = await this.#options.store.listThreads({ site: site.id, filter: 'all', limit: 200, ...(beforeSeq !== undefined && { beforeSeq }) });
      for (const thread of page.threads) {
        // Newest first: the rest of the site is older still.
        if (Date.parse(thread.createdAt) < since) return opened;
        if (thread.followUp) continue;
        if ((this.#checkAt.get(thread.id) ?? -Infinity) > now) continue;
        if (await this.#options.evaluate(thread.id)) opened++;
      }
      beforeSeq = page.nextBeforeSeq;
    } while (beforeSeq !== undefined);
    return opened;
  }
}
