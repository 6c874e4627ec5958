import type { EventView, MemberSummary } from '../protocol.js';
import type { Store } from '../store/store.js';
import { MemberChangeLog, type DurableMemberChanges } from './member-changes.js';
import type { MemberDirectory } from './members.js';
import type { ChangeEvent } from './model.js';
import { eventMemberIds, eventView } from './views.js';

export interface SiteEventsOptions {
  store: Store;
  members: MemberDirectory;
  /** The configured site ids: the member change log keeps each one's seq. */
  sites: readonly string[];
  /** How many missed events a reconnecting client is sent before it is told to resync instead. */
  maxReplay: number;
  /** The durable member change log (PostgreSQL); without it, one in this process's memory. */
  memberChanges?: DurableMemberChanges;
}

/**
 * The sites' committed events as clients receive them, and what a reconnecting client missed: the events since
 * its `lastSeq` and the members whose summary changed meanwhile (a change that is not sequenced, so it is noted
 * against each site's seq in the member change log). Cut out of ConsultationService, which hands these calls on.
 */
export class SiteEvents {
  readonly #store: Store;
  readonly #sites: readonly string[];
  readonly #maxReplay: number;
  readonly members: MemberDirectory;
  #eventChain: Promise<void> = Promise.resolve();
  readonly #memberChanges: MemberChangeLog;
  readonly #durableChanges: DurableMemberChanges | undefined;
  /** Per site, the highest seq at which a change could not be noted in the durable log: resumes before it resync. */
  readonly #unnoted = new Map<string, number>();
  /** A change could not be noted and the seqs then were unknown: the next seqs read become the floor. */
  #unnotedLater = false;
  /** Member changes are noted one after another; a resume waits for those already signalled. */
  #memberNotes: Promise<void> = Promise.resolve();

  constructor(options: SiteEventsOptions) {
    this.#store = options.store;
    this.#sites = options.sites;
    this.#maxReplay = options.maxReplay;
    this.members = options.members;
    this.#memberChanges = new MemberChangeLog(this.#maxReplay);
    this.#durableChanges = options.memberChanges;
    if (this.#durableChanges) {
      this.members.onChange((member) => void this.#noteDurable(member.id));
    } else {
      // Opened now, at each site's seq as the (already opened) store has it: changes from here on are known.
      void this.#withMemberChanges(() => undefined);
      this.members.onChange((member) => void this.#withMemberChanges(async (log) => log.note(member.id, await this.#siteSeqs())));
    }
  }

  /**
   * What a reconnecting client missed since `lastSeq`: the site's events, then the current summaries of the
   * members whose summary changed meanwhile (those changes are not sequenced). `resync: true` when that is
   * too much or no longer known, or when `lastSeq` belongs to another store generation (the seq may have been
   * handed out again since), in which case it must reload through the REST API.
   */
  async resume(
    siteId: string,
    lastSeq: number | undefined,
    generation?: string,
  ): Promise<{ seq: number; generation: string; resync: boolean; events: EventView[]; members: MemberSummary[] }> {
    // Asked first: a member change after this point reaches the client live (the hub subscribed it already).
    const changed = lastSeq === undefined ? undefined : await this.#memberChangesSince(siteId, lastSeq);
    const current = await this.#store.generation();
    const seq = await this.#store.currentSeq({ site: siteId });
    const resync = { seq, generation: current, resync: true, events: [], members: [] };
    if (lastSeq === undefined || changed === undefined) return resync;
    // A client without a generation (an older widget) is taken at its word, as before generations existed.
    if (generation !== undefined && generation !== current) return resync;
    if (lastSeq > seq) return resync; // a client from another data set
    if (seq - lastSeq > this.#maxReplay) return resync;
    const events = await this.#store.eventsSince({ site: siteId, afterSeq: lastSeq, limit: this.#maxReplay });
    if (!events) return resync;
    const authors = await this.members.summaries([...events.flatMap(eventMemberIds), ...changed]);
    const members = changed.flatMap((id) => authors.get(id) ?? []);
    return { seq, generation: current, resync: false, events: events.map((e) => eventView(e, authors)), members };
  }

  /**
   * Committed events after `afterSeq` as clients receive them (with author summaries), at most the replay
   * limit; undefined when some are no longer retained. Fills gaps in live delivery between instances.
   */
  async eventsSince(siteId: string, afterSeq: number): Promise<EventView[] | undefined> {
    const events = await this.#store.eventsSince({ site: siteId, afterSeq, limit: this.#maxReplay });
    if (!events) return undefined;
    const authors = await this.members.summaries(events.flatMap(eventMemberIds));
    return events.map((e) => eventView(e, authors));
  }

  /**
   * Committed changes as public events, in per-site order, after they are durable. Author summaries
   * are looked up per event; the chain keeps the store's order while those look-ups are awaited.
   */
  onEvent(listener: (event: EventView) => void): () => void {
    return this.#store.subscribe((event: ChangeEvent) => {
      this.#eventChain = this.#eventChain
        .then(() => this.members.summaries(eventMemberIds(event)))
        .then((authors) => listener(eventView(event, authors)))
        .catch(() => listener(eventView(event)));
    });
  }

  /**
   * Runs `fn` on the member change log after the changes noted before it, first opening the log at each
   * site's current seq if needed. If noting a change failed, the log starts over as after a restart.
   */
  #withMemberChanges<T>(fn: (log: MemberChangeLog) => T | Promise<T>): Promise<T> {
    const log = this.#memberChanges;
    const run = this.#memberNotes.then(async () => {
      for (const site of this.#sites) if (!log.knows(site)) log.open(site, await this.#store.currentSeq({ site }));
      return fn(log);
    });
    this.#memberNotes = run.then(
      () => undefined,
      () => log.clear(),
    );
    return run;
  }

  async #memberChangesSince(site: string, lastSeq: number): Promise<string[] | undefined> {
    const durable = this.#durableChanges;
    if (!durable) return this.#withMemberChanges((log) => log.since(site, lastSeq));
    await this.#memberNotes;
    if (this.#unnotedLater) {
      this.#markUnnoted(await this.#siteSeqs());
      this.#unnotedLater = false;
    }
    if (lastSeq <= (this.#unnoted.get(site) ?? -1)) return undefined;
    return durable.since(site, lastSeq);
  }

  /** Notes a change in the durable log after those before it; one that cannot be noted makes older resumes resync. */
  #noteDurable(memberId: string): Promise<void> {
    const run = this.#memberNotes.then(async () => {
      const seqs = await this.#siteSeqs().catch(() => undefined);
      try {
        if (!seqs) throw new Error('site seqs unknown');
        await this.#durableChanges!.note(memberId, seqs);
      } catch {
        if (seqs) this.#markUnnoted(seqs);
        else this.#unnotedLater = true;
      }
    });
    this.#memberNotes = run;
    return run;
  }

  #markUnnoted(seqs: ReadonlyMap<string, number>): void {
    for (const [site, seq] of seqs) this.#unnoted.set(site, Math.max(this.#unnoted.get(site) ?? -1, seq));
  }

  async #siteSeqs(): Promise<Map<string, number>> {
    const seqs = new Map<string, number>();
    for (const site of this.#sites) seqs.set(site, await this.#store.currentSeq({ site }));
    return seqs;
  }
}
