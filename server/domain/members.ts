import type { MemberSummary } from '../protocol.js';
import type { Store } from '../store/store.js';
import type { MemberPatch, Post, Thread, Visitor } from './model.js';
import { computeReputation, memberFacts, memberSummary, touchActivity, type AskerFacts, type TrustRules } from './trust.js';

/**
 * Members as others see them: summaries for views, reputation and counts kept up to date from stored
 * events, and a signal when what others see of a member changes (for the live `member` frame).
 */
export class MemberDirectory {
  readonly #listeners = new Set<(member: MemberSummary) => void>();

  constructor(
    private readonly store: Store,
    readonly rules: TrustRules,
    private readonly now: () => number,
  ) {}

  summary(member: Visitor): MemberSummary {
    return memberSummary(member, this.now(), this.rules);
  }

  /** Summaries of these members, keyed by id (unknown ids are left out). */
  async summaries(ids: Iterable<string>): Promise<Map<string, MemberSummary>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const members = await this.store.getMembers({ ids: unique });
    return new Map(members.map((m) => [m.id, this.summary(m)]));
  }

  onChange(listener: (member: MemberSummary) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stores a patch; tells listeners when the public summary changed. */
  async update(member: Visitor, patch: Omit<MemberPatch, 'updatedAt'>): Promise<Visitor> {
    const updated = await this.store.updateMember({ id: member.id, patch: { ...patch, updatedAt: new Date(this.now()).toISOString() } });
    if (!updated) return member;
    this.noteChange(member, updated);
    return updated;
  }

  /** A member was changed by another write (a post's counts): tells listeners when the public summary changed. */
  noteChange(before: Visitor, after: Visitor): void {
    const summary = this.summary(after);
    if (JSON.stringify(summary) !== JSON.stringify(this.summary(before))) for (const l of this.#listeners) l(summary);
  }

  /** Notes that the member took part now (at most one write an hour). */
  async touch(member: Visitor): Promise<Visitor> {
    const patch = touchActivity(member, this.now());
    return patch ? this.update(member, patch) : member;
  }

  /** Recomputes a member's reputation and counts from stored records, storing them if they changed. */
  async refresh(memberId: string): Promise<Visitor | undefined> {
    const [member] = await this.store.getMembers({ ids: [memberId] });
    if (!member) return undefined;
    const { reputation, stats } = await this.compute(memberId);
    // A member never refreshed shows the starting reputation: writing it would change nothing anyone sees.
    const shown = member.reputation ?? this.rules.reputation.start;
    if (reputation === shown && JSON.stringify(stats) === JSON.stringify(member.stats)) return member;
    return this.update(member, { reputation, stats });
  }

  async refreshAll(ids: Iterable<string>): Promise<void> {
    for (const id of new Set(ids)) await this.refresh(id);
  }

  async compute(memberId: string) {
    const { threads, posts } = await this.store.activityOf({ memberId });
    const answered = posts.length ? await this.store.getThreadRecords({ ids: posts.map((p) => p.threadId) }) : [];
    const answerThreads = new Map<string, Thread>(answered.map((t) => [t.id, t]));
    const [votesReceived, votesInOwnThreads] = await Promise.all([
      this.store.votesFor({ authorId: memberId }),
      threads.length ? this.store.votesInThreads({ threadIds: threads.map((t) => t.id) }) : Promise.resolve([]),
    ]);
    const askers = await this.#askersOf(memberId, posts, answerThreads);
    const { facts, stats } = memberFacts({ memberId, threads, posts, answerThreads, askers, votesReceived, votesInOwnThreads, rules: this.rules });
    return { ...computeReputation(facts, this.rules.reputation), stats };
  }

  /** Whether each asker who accepted one of these answers had participated enough: their age and post times. */
  async #askersOf(memberId: string, posts: Post[], answerThreads: Map<string, Thread>): Promise<Map<string, AskerFacts>> {
    const ids = new Set<string>();
    for (const p of posts) {
      const t = answerThreads.get(p.threadId);
      if (t?.acceptedPostId === p.id && t.authorId !== memberId) ids.add(t.authorId);
    }
    const askers = new Map<string, AskerFacts>();
    if (ids.size === 0) return askers;
    for (const asker of await this.store.getMembers({ ids: [...ids] })) {
      const activity = await this.store.activityOf({ memberId: asker.id });
      const postTimes = [...activity.threads, ...activity.posts].map((x) => x.createdAt);
      askers.set(asker.id, { createdAt: asker.createdAt, officer: asker.role === 'officer', postTimes });
    }
    return askers;
  }
}
