/**
 * The log kept in a database (server/store/pg/member-changes.ts): shared by several instances and kept across
 * restarts, so it can always tell. Same meaning as MemberChangeLog's `note` and `since`.
 */
export interface DurableMemberChanges {
  note(memberId: string, seqs: ReadonlyMap<string, number>): Promise<void>;
  since(site: string, lastSeq: number): Promise<string[]>;
}

/**
 * Which members' public summaries changed since a site's sequence number, so that a resuming client can be
 * sent the `member` frames it missed. Member changes have no sequence number of their own: each is noted
 * with every site's latest seq at that moment, because a member can show on any site.
 *
 * The memory lives in the process and holds the latest `capacity` changes. For a `lastSeq` it cannot vouch
 * for (changes before the process started, or forgotten since), `since` answers `undefined` and the client
 * must resync.
 */
export class MemberChangeLog {
  readonly #capacity: number;
  /** memberId → each site's seq when that member's summary last changed; least recently changed first. */
  readonly #changes = new Map<string, ReadonlyMap<string, number>>();
  /** Per site, the highest lastSeq this log cannot answer for. */
  readonly #floors = new Map<string, number>();

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  /** True once `open` was called for this site. */
  knows(site: string): boolean {
    return this.#floors.has(site);
  }

  /** Starts following a site whose latest seq is `seq`: what changed before now is unknown. */
  open(site: string, seq: number): void {
    if (this.#floors.has(site)) return;
    // A site without events shows no member yet, so a client at 0 cannot have missed a change.
    this.#floors.set(site, seq === 0 ? -1 : seq);
  }

  /** Notes that a member's summary changed while each site was at the given seq. */
  note(memberId: string, seqs: ReadonlyMap<string, number>): void {
    this.#changes.delete(memberId);
    this.#changes.set(memberId, seqs);
    if (this.#changes.size <= this.#capacity) return;
    const [oldestId, oldest] = this.#changes.entries().next().value!;
    this.#changes.delete(oldestId);
    for (const [site, seq] of oldest) this.#floors.set(site, Math.max(this.#floors.get(site) ?? -1, seq));
  }

  /**
   * Members whose summary changed at or after `lastSeq` of the site (at, because a change made while the
   * site stood at `lastSeq` may have come after the client left), or `undefined` when the log cannot tell.
   */
  since(site: string, lastSeq: number): string[] | undefined {
    const floor = this.#floors.get(site);
    if (floor === undefined || lastSeq <= floor) return undefined;
    const ids: string[] = [];
    for (const [id, seqs] of this.#changes) if ((seqs.get(site) ?? -1) >= lastSeq) ids.push(id);
    return ids;
  }

  /** Forgets everything, as after a restart (a change could not be noted). */
  clear(): void {
    this.#changes.clear();
    this.#floors.clear();
  }
}
