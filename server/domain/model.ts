/**
 * Stored records. They are what a Store keeps and what the journal replays; the public views in
 * protocol.ts are derived from them by server/domain/views.ts.
 */
import type { FollowUpStatus, SessionEndReason } from '../protocol.js';

export type Role = 'member' | 'officer';

/** What a member says about themself; shown as self-declared until an officer verifies it. */
export interface Profile {
  instansi?: string;
  jabatan?: string;
  bidang?: string;
  yearsExperience?: number;
}

/** An officer's confirmation of a member's civil-service background (from a verification request). */
export interface Verified {
  instansi: string;
  jabatan: string;
  at: string;
  by: string;
  requestId: string;
}

/** Counts derived from stored posts, threads and votes by server/domain/trust.ts; never set by clients. */
export interface MemberStats {
  questions: number;
  answers: number;
  helpfulAnswers: number;
  acceptedAnswers: number;
  endorsedAnswers: number;
}

/**
 * A member (anonymous visitor or officer). Fields after `updatedAt` were added with trust; records
 * written before them lack them and read as the defaults (member, no profile, reputation 1).
 */
export interface Visitor {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  role?: Role;
  /** Officers sign in with this name (server/config.ts officers); members have none. */
  username?: string;
  profile?: Profile;
  verified?: Verified;
  /** Materialised from stored events by the domain; `recomputeReputation` can always rebuild it. */
  reputation?: number;
  stats?: MemberStats;
  lastActiveAt?: string;
  /** WIB calendar days (YYYY-MM-DD) with activity, newest last, at most the last 100 days. */
  activeDays?: string[];
}

/** Fields of a member the domain may change; id and createdAt never change. */
export type MemberPatch = Partial<Omit<Visitor, 'id' | 'createdAt'>> & { updatedAt: string };

export interface Thread {
  id: string;
  site: string;
  /** Sequence number of the change that created it, per site. Assigned by the store at commit. */
  seq: number;
  title: string;
  body: string;
  category: string;
  authorId: string;
  authorName: string;
  /** The author's idempotency key: (authorId, clientId) identifies one post forever. */
  clientId: string;
  createdAt: string;
  lastActivityAt: string;
  answerCount: number;
  /** The answer the asker marked "Jawaban terbaik", if any. */
  acceptedPostId?: string;
  acceptedAt?: string;
  /**
   * The public part of the thread's follow-up (server/domain/follow-up/), kept on the thread by the store
   * whenever the follow-up's tracking number or status changes, in the same commit and sequenced event, so
   * that thread lists and live `thread.updated` events carry it without another lookup.
   */
  followUp?: { tracking: string; status: FollowUpStatus };
}

export interface Post {
  id: string;
  threadId: string;
  site: string;
  seq: number;
  body: string;
  authorId: string;
  authorName: string;
  clientId: string;
  createdAt: string;
  /** Set by the domain when the author was an officer at posting time: an official answer. */
  official?: boolean;
  editedAt?: string;
  /** Counts of the stored votes; kept by the store together with each vote. Missing means 0. */
  up?: number;
  down?: number;
  endorsedBy?: string;
  endorsedAt?: string;
  hidden?: HiddenState;
}

export const FLAG_REASONS = ['salah_informasi', 'spam', 'tidak_pantas'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** An answer taken out of public view: by members' flags pending review, or removed by an officer. */
export interface HiddenState {
  reason: FlagReason;
  at: string;
  status: 'pending' | 'removed';
  by?: string;
}

export interface Vote {
  postId: string;
  threadId: string;
  site: string;
  voterId: string;
  /** The answer's author, whose reputation the vote moves. */
  authorId: string;
  value: 1 | -1;
  castAt: string;
  /** Whether the voter had participated enough when voting; votes that do not count are still shown. */
  counts: boolean;
}

export interface Flag {
  postId: string;
  memberId: string;
  reason: FlagReason;
  /** The flagger's weight by level when flagging. */
  weight: number;
  at: string;
}

export interface VerificationRequest {
  id: string;
  memberId: string;
  /** Personal data: officers may see it; it never reaches a public view, an event or a log. */
  nip: string;
  instansi: string;
  jabatan: string;
  note?: string;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  decisionNote?: string;
}

export type AuditAction =
  | 'verification.approve'
  | 'verification.reject'
  | 'verification.revoke'
  | 'post.endorse'
  | 'post.unendorse'
  | 'post.restore'
  | 'post.remove'
  | 'votes.reverse'
  | 'reputation.recompute'
  /** Follow-ups (server/domain/follow-up-service.ts): `details` name the thread, tracking number and change. */
  | 'followup.status'
  | 'followup.assign'
  /** A follow-up breached its target; `officerId` is `system`, `details.notified` the supervisors told. */
  | 'followup.escalate';

/** One officer action on badges, roles, reputation or content; append-only. */
export interface AuditEntry {
  id: string;
  at: string;
  officerId: string;
  action: AuditAction;
  memberId?: string;
  postId?: string;
  details?: Record<string, string | number | boolean>;
}

/**
 * One officer sign-in (server/domain/officer-sessions.ts). The officer's token names it (`sid`); every
 * officer request checks it. Never shown to members; holds no password material beyond a one-way stamp.
 */
export interface OfficerSession {
  id: string;
  /** The officer's member id (`officer-<username>`). */
  officerId: string;
  username: string;
  /** One-way stamp of the password hash the session was opened with: a changed password no longer matches. */
  credential: string;
  createdAt: string;
  /** The absolute end, equal to the token's expiry. */
  expiresAt: string;
  /** Last recorded activity. Recorded at most about once a minute, so it may lag the last request by that much. */
  lastSeenAt: string;
  endedAt?: string;
  endReason?: SessionEndReason;
}

/** A thread or post as the domain builds it, before the store gives it a sequence number. */
export type NewThread = Omit<Thread, 'seq'>;
export type NewPost = Omit<Post, 'seq'>;

/** One committed change of a site. Kept (bounded) so that reconnecting clients can resume. */
export type Change =
  | { kind: 'thread.created'; thread: Thread }
  | { kind: 'post.created'; post: Post; answerCount: number; lastActivityAt: string }
  /** Votes, edits, endorsement, hiding: the whole post as it now is. */
  | { kind: 'post.updated'; post: Post }
  /** The accepted answer or the public follow-up (tracking number, status) changed. */
  | { kind: 'thread.updated'; thread: Thread };

export interface ChangeEvent {
  site: string;
  seq: number;
  at: string;
  change: Change;
}

export type ThreadFilter = 'all' | 'unanswered' | 'answered';
