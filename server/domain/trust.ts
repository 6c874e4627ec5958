import type { LevelId, MemberSummary, PostView, ProfileView } from '../protocol.js';
import type { LockoutRule } from './login-lockout.js';
import type { BucketRule } from './rate-limit.js';
import type { MemberStats, Post, Thread, Visitor, Vote } from './model.js';

/**
 * The rules of trust: reputation, levels, vote weight, flags and limits. Pure functions of stored
 * records, so reputation can always be recomputed from what is stored. docs/TRUST.md explains them.
 */
export interface TrustRules {
  reputation: {
    start: number;
    helpfulVote: number;
    unhelpfulVote: number;
    accepted: number;
    endorsed: number;
    questionHelped: number;
    /** Most reputation earned from votes, question bonuses and acceptances per WIB day. */
    dailyVoteCap: number;
    floor: number;
  };
  /** A vote (or an acceptance) moves reputation only if its voter (asker) had participated this much then. */
  countingVoter: { minPosts: number; minAccountAgeHours: number };
  /** One asker's acceptances of one answerer's answers earn reputation at most `maxPerPair` times in `pairDays`. */
  acceptance: { maxPerPair: number; pairDays: number };
  voteLockMinutes: number;
  /** Ascending; a member holds the highest level whose minimums they meet. */
  levels: Array<{ id: LevelId; minReputation: number; minPosts: number }>;
  /** A top-level member inactive this long drops one level until they take part again. */
  topLevelGraceDays: number;
  flags: { hideAtWeight: number; weights: Record<LevelId | 'officer', number> };
  limits: {
    /** Members younger than this get the `newMember` rules. */
    newMemberHours: number;
    post: { member: BucketRule; newMember: BucketRule; ip: BucketRule };
    vote: { member: BucketRule; newMember: BucketRule; ip: BucketRule; daily: number; newMemberDaily: number };
    flag: { member: BucketRule; ip: BucketRule; daily: number };
    visitor: { ip: BucketRule };
    /** `account`: failed sign-ins per username that lock it (server/domain/login-lockout.ts). */
    login: { ip: BucketRule; account: LockoutRule };
    profile: { member: BucketRule };
  };
}

export const DEFAULT_TRUST_RULES: TrustRules = {
  reputation: { start: 1, helpfulVote: 10, unhelpfulVote: -2, accepted: 15, endorsed: 25, questionHelped: 2, dailyVoteCap: 200, floor: 1 },
  countingVoter: { minPosts: 1, minAccountAgeHours: 24 },
  acceptance: { maxPerPair: 3, pairDays: 30 },
  voteLockMinutes: 5,
  levels: [
    { id: 'baru', minReputation: 0, minPosts: 0 },
    { id: 'anggota', minReputation: 15, minPosts: 2 },
    { id: 'aktif', minReputation: 100, minPosts: 10 },
    { id: 'terpercaya', minReputation: 500, minPosts: 30 },
  ],
  topLevelGraceDays: 60,
  flags: { hideAtWeight: 3, weights: { baru: 0.5, anggota: 1, aktif: 1.5, terpercaya: 2, officer: 3 } },
  limits: {
    newMemberHours: 24,
    post: { member: { capacity: 6, perMinute: 3 }, newMember: { capacity: 3, perMinute: 1 }, ip: { capacity: 60, perMinute: 30 } },
    vote: {
      member: { capacity: 20, perMinute: 10 },
      newMember: { capacity: 10, perMinute: 4 },
      ip: { capacity: 120, perMinute: 60 },
      daily: 60,
      newMemberDaily: 15,
    },
    flag: { member: { capacity: 5, perMinute: 1 }, ip: { capacity: 30, perMinute: 10 }, daily: 20 },
    visitor: { ip: { capacity: 20, perMinute: 2 } },
    login: { ip: { capacity: 10, perMinute: 2 }, account: { failures: 5, windowMinutes: 15 } },
    profile: { member: { capacity: 10, perMinute: 5 } },
  },
};

const DAY_MS = 86_400_000;
const WIB_OFFSET_MS = 7 * 3_600_000;

/** The WIB (UTC+7) calendar day of a time, as YYYY-MM-DD: the day a daily cap or limit counts in. */
export function wibDay(time: number | string): string {
  const t = typeof time === 'string' ? Date.parse(time) : time;
  return new Date(t + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/** The dated facts reputation is computed from. */
export interface ReputationFacts {
  /** Votes received on the member's answers, only those that count. */
  votes: Array<{ value: 1 | -1; at: string }>;
  /** Times the member's answers were accepted by someone else, only acceptances that count. */
  accepted: string[];
  /** Times the member's answers were endorsed by an officer. */
  endorsed: string[];
  /** For each of the member's questions that got a counted helpful vote on someone else's answer: when. */
  questionsHelped: string[];
}

export interface ReputationBreakdown {
  reputation: number;
  /** From votes, question bonuses and acceptances, after the daily cap. */
  fromDaily: number;
  fromEndorsed: number;
  /** Reputation the daily cap withheld. */
  capped: number;
}

/**
 * Reputation from facts: start + votes, question bonuses and acceptances (capped per WIB day) + endorsements,
 * floored.
 */
export function computeReputation(facts: ReputationFacts, rules: TrustRules['reputation']): ReputationBreakdown {
  const perDay = new Map<string, number>();
  const add = (at: string, amount: number) => {
    const day = wibDay(at);
    perDay.set(day, (perDay.get(day) ?? 0) + amount);
  };
  for (const v of facts.votes) add(v.at, v.value === 1 ? rules.helpfulVote : rules.unhelpfulVote);
  for (const at of facts.questionsHelped) add(at, rules.questionHelped);
  for (const at of facts.accepted) add(at, rules.accepted);
  let fromDaily = 0;
  let capped = 0;
  for (const amount of perDay.values()) {
    const kept = Math.min(amount, rules.dailyVoteCap);
    capped += amount - kept;
    fromDaily += kept;
  }
  const fromEndorsed = facts.endorsed.length * rules.endorsed;
  const reputation = Math.max(rules.floor, rules.start + fromDaily + fromEndorsed);
  return { reputation, fromDaily, fromEndorsed, capped };
}

/** What decides whether an asker's acceptance counts: the same as for a voter, at the time they accepted. */
export interface AskerFacts {
  createdAt: string;
  officer: boolean;
  /** When the asker's questions and answers were posted. */
  postTimes: string[];
}

/** Whether a member with these facts had participated enough at `at` for their vote or acceptance to count. */
function participated(who: { officer: boolean; createdAt: string; posts: number }, at: number, rules: TrustRules): boolean {
  if (who.officer) return true;
  const oldEnough = at - Date.parse(who.createdAt) >= rules.countingVoter.minAccountAgeHours * 3_600_000;
  return oldEnough && who.posts >= rules.countingVoter.minPosts;
}

/**
 * The acceptance times that earn reputation, oldest first: the asker had participated enough when accepting
 * (as for a vote), and the same asker had not already given this answerer `maxPerPair` counted acceptances
 * within the `pairDays` before. Ties fall back to the thread id, so the result never depends on read order.
 */
export function countedAcceptances(
  accepted: Array<{ askerId: string; at: string; threadId: string }>,
  askers: ReadonlyMap<string, AskerFacts>,
  rules: TrustRules,
): string[] {
  const windowMs = rules.acceptance.pairDays * DAY_MS;
  const byAsker = new Map<string, number[]>();
  const counted: string[] = [];
  const ordered = [...accepted].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.threadId < b.threadId ? -1 : 1));
  for (const a of ordered) {
    const asker = askers.get(a.askerId);
    const at = Date.parse(a.at);
    if (!asker || !participated({ officer: asker.officer, createdAt: asker.createdAt, posts: asker.postTimes.filter((p) => p <= a.at).length }, at, rules)) continue;
    const earlier = byAsker.get(a.askerId) ?? [];
    if (earlier.filter((t) => t > at - windowMs).length >= rules.acceptance.maxPerPair) continue;
    byAsker.set(a.askerId, [...earlier, at]);
    counted.push(a.at);
  }
  return counted;
}

/**
 * Gathers a member's facts and counts from stored records: their threads and posts, the threads their
 * answers are in (for acceptance), those threads' askers, the votes on their posts and the votes in their threads.
 */
export function memberFacts(input: {
  memberId: string;
  threads: Thread[];
  posts: Post[];
  answerThreads: Map<string, Thread>;
  /** The askers of `answerThreads` whose acceptance is in question; a missing asker's acceptance does not count. */
  askers?: ReadonlyMap<string, AskerFacts>;
  votesReceived: Vote[];
  votesInOwnThreads: Vote[];
  rules: TrustRules;
}): { facts: ReputationFacts; stats: MemberStats } {
  const { memberId } = input;
  const live = input.posts.filter((p) => p.hidden?.status !== 'removed');
  const liveIds = new Set(live.map((p) => p.id));
  const facts: ReputationFacts = {
    votes: input.votesReceived.filter((v) => v.counts && liveIds.has(v.postId)).map((v) => ({ value: v.value, at: v.castAt })),
    accepted: [],
    endorsed: live.filter((p) => p.endorsedAt).map((p) => p.endorsedAt!),
    questionsHelped: [],
  };
  const accepted: Array<{ askerId: string; at: string; threadId: string }> = [];
  for (const p of live) {
    const t = input.answerThreads.get(p.threadId);
    // Accepting one's own answer earns nothing.
    if (t?.acceptedPostId === p.id && t.authorId !== memberId && t.acceptedAt) accepted.push({ askerId: t.authorId, at: t.acceptedAt, threadId: t.id });
  }
  facts.accepted = countedAcceptances(accepted, input.askers ?? new Map(), input.rules);
  const firstHelp = new Map<string, string>();
  for (const v of input.votesInOwnThreads) {
    if (!v.counts || v.value !== 1 || v.authorId === memberId) continue;
    const seen = firstHelp.get(v.threadId);
    if (!seen || v.castAt < seen) firstHelp.set(v.threadId, v.castAt);
  }
  const ownThreads = new Set(input.threads.map((t) => t.id));
  for (const [threadId, at] of firstHelp) if (ownThreads.has(threadId)) facts.questionsHelped.push(at);

  const stats: MemberStats = {
    questions: input.threads.length,
    answers: input.posts.length,
    helpfulAnswers: live.filter((p) => (p.up ?? 0) - (p.down ?? 0) > 0).length,
    // Every "Jawaban terbaik" shown in a thread, whether or not it moved reputation.
    acceptedAnswers: accepted.length,
    endorsedAnswers: facts.endorsed.length,
  };
  return { facts, stats };
}

const EMPTY_STATS: MemberStats = { questions: 0, answers: 0, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0 };

/** The level a member holds now; the top level lapses after `topLevelGraceDays` without activity. */
export function levelOf(member: Visitor, now: number, rules: TrustRules): LevelId {
  const reputation = member.reputation ?? rules.reputation.start;
  const stats = member.stats ?? EMPTY_STATS;
  const posts = stats.questions + stats.answers;
  let index = 0;
  rules.levels.forEach((level, i) => {
    if (reputation >= level.minReputation && posts >= level.minPosts) index = i;
  });
  if (index === rules.levels.length - 1 && index > 0) {
    const last = Date.parse(member.lastActiveAt ?? member.createdAt);
    if (now - last > rules.topLevelGraceDays * DAY_MS) index -= 1;
  }
  return rules.levels[index]!.id;
}

export function isNewMember(member: Visitor, now: number, rules: TrustRules): boolean {
  return member.role !== 'officer' && now - Date.parse(member.createdAt) < rules.limits.newMemberHours * 3_600_000;
}

/** Whether a vote cast now by this member moves reputation (it is shown either way). */
export function voteCounts(voter: Visitor, now: number, rules: TrustRules): boolean {
  const stats = voter.stats ?? EMPTY_STATS;
  return participated({ officer: voter.role === 'officer', createdAt: voter.createdAt, posts: stats.questions + stats.answers }, now, rules);
}

/** A vote can still be changed within the lock window, or after the answer was edited since. */
export function voteLocked(vote: Vote, post: Post, now: number, rules: TrustRules): boolean {
  const lockedAt = Date.parse(vote.castAt) + rules.voteLockMinutes * 60_000;
  if (now < lockedAt) return false;
  return !(post.editedAt && post.editedAt > vote.castAt);
}

export function flagWeight(member: Visitor, now: number, rules: TrustRules): number {
  return member.role === 'officer' ? rules.flags.weights.officer : rules.flags.weights[levelOf(member, now, rules)];
}

export function memberSummary(member: Visitor, now: number, rules: TrustRules): MemberSummary {
  const summary: MemberSummary = {
    id: member.id,
    name: member.name,
    reputation: member.reputation ?? rules.reputation.start,
    level: levelOf(member, now, rules),
    officer: member.role === 'officer',
  };
  if (member.verified) summary.verified = { jabatan: member.verified.jabatan, instansi: member.verified.instansi, at: member.verified.at };
  return summary;
}

/** The days of the last 100 (WIB) on which the member was active, as flags oldest first. */
export function activityStrip(activeDays: string[] | undefined, now: number): boolean[] {
  const days = new Set(activeDays ?? []);
  return Array.from({ length: 100 }, (_, i) => days.has(wibDay(now - (99 - i) * DAY_MS)));
}

/** Records activity now; returns the patch to store, or undefined when nothing worth writing changed. */
export function touchActivity(member: Visitor, now: number): Pick<Visitor, 'lastActiveAt' | 'activeDays'> | undefined {
  const today = wibDay(now);
  const days = member.activeDays ?? [];
  const last = member.lastActiveAt ? Date.parse(member.lastActiveAt) : 0;
  // One write per member per hour at most: "last active" is shown to the hour.
  if (days[days.length - 1] === today && now - last < 3_600_000) return undefined;
  const oldest = wibDay(now - 99 * DAY_MS);
  const kept = days.filter((d) => d >= oldest && d !== today);
  return { lastActiveAt: new Date(now).toISOString(), activeDays: [...kept, today] };
}

export function profileView(member: Visitor, now: number, rules: TrustRules): ProfileView {
  const activity = activityStrip(member.activeDays, now);
  const view: ProfileView = {
    ...memberSummary(member, now, rules),
    profile: { ...(member.profile ?? {}) },
    stats: { ...(member.stats ?? EMPTY_STATS) },
    memberSince: member.createdAt,
    activity,
    activeDays: activity.filter(Boolean).length,
  };
  if (member.lastActiveAt) view.lastActiveAt = member.lastActiveAt;
  return view;
}

/** Official and endorsed answers first, then the accepted one, then by score, then oldest first; hidden last. */
export function orderAnswers(posts: PostView[], acceptedPostId: string | undefined): PostView[] {
  const rank = (p: PostView) =>
    p.hidden ? -1 : (p.official || p.endorsed ? 2 : 0) + (p.id === acceptedPostId ? 1 : 0);
  return [...posts].sort((a, b) => rank(b) - rank(a) || b.score - a.score || a.seq - b.seq);
}
