import type { FollowUp, NewFollowUp, OfficerNotification } from '../domain/follow-up/model.js';
import type { FollowUpStatus, SessionEndReason, SlaState } from '../protocol.js';
import type {
  AuditEntry,
  ChangeEvent,
  Flag,
  MemberPatch,
  OfficerSession,
  NewPost,
  NewThread,
  Post,
  Thread,
  ThreadFilter,
  VerificationRequest,
  Visitor,
  Vote,
} from '../domain/model.js';

/**
 * Persistence behind the domain. Every implementation passes test/server/store/contract.ts.
 * Rules (validation, ids, timestamps, permissions) are not the store's business: it keeps what the
 * domain hands it, assigns per-site sequence numbers, and makes changes durable before resolving.
 */
export interface Store {
  /** Short name for health checks and logs, e.g. "json". */
  readonly kind: string;
  /** Loads persisted state. Throws StoreCorruptError (naming file and position) rather than guess. */
  open(): Promise<void>;
  /** Waits for in-flight writes to become durable, then releases files or connections. */
  close(): Promise<void>;
  /**
   * Identifies the store's history: the same while every change it ever committed is still there with its
   * seq; a new one whenever it cannot vouch for that (an unclean start, data restored from a copy), because a
   * seq may then be handed out again. Clients keep it with their last seq and resync when it differs.
   * Valid once open.
   */
  generation(): Promise<string>;
  /** Whether writes can be taken now, and if not why (e.g. `storage_full`), for /healthz. */
  health(): Promise<StoreHealth>;

  /** Persists a new visitor. */
  createVisitor(req: { visitor: Visitor }): Promise<Visitor>;
  /** A visitor by id, or undefined. */
  getVisitor(req: { id: string }): Promise<Visitor | undefined>;
  /** Changes a visitor's display name; undefined when the visitor does not exist. */
  renameVisitor(req: { id: string; name: string; at: string }): Promise<Visitor | undefined>;

  /** Applies the patch to a member (profile, role, verification, reputation, stats, activity); a key present with `undefined` removes that field. */
  updateMember(req: { id: string; patch: MemberPatch }): Promise<Visitor | undefined>;
  /** The members with these ids that exist, in no particular order. */
  getMembers(req: { ids: string[] }): Promise<Visitor[]>;
  /** The member (an officer) signing in with this username, if any. */
  findMemberByUsername(req: { username: string }): Promise<Visitor | undefined>;
  /** The threads and posts a member wrote, each in sequence order. */
  activityOf(req: { memberId: string }): Promise<{ threads: Thread[]; posts: Post[] }>;

  /**
   * Commits a thread durably with the site's next sequence number, and `authorUpdate`'s patch of its author in
   * the same commit (one journal record, one transaction). If the author already posted with this clientId,
   * nothing is written and the original comes back with `created: false`.
   */
  createThread(req: { thread: NewThread; authorUpdate?: AuthorUpdate }): Promise<CommitResult<Thread>>;
  /**
   * Commits an answer durably, bumping the thread's answer count and activity time, with `authorUpdate` as
   * in createThread. Idempotent on (authorId, clientId) like createThread. Resolves `undefined` when the
   * thread does not exist.
   */
  createPost(req: { post: NewPost; authorUpdate?: AuthorUpdate }): Promise<CommitResult<Post> | undefined>;

  /** A post by id, or undefined. */
  getPost(req: { id: string }): Promise<Post | undefined>;
  /**
   * Changes a post's body/editedAt, endorsement or hidden state as one sequenced `post.updated` change.
   * A patch value of `null` removes the field. Undefined when the post does not exist.
   */
  updatePost(req: { id: string; patch: PostPatch }): Promise<{ post: Post; event: ChangeEvent } | undefined>;
  /** Sets (or with null clears) a thread's accepted answer as one sequenced `thread.updated` change. */
  setAccepted(req: { threadId: string; postId: string | null; at: string }): Promise<{ thread: Thread; event: ChangeEvent } | undefined>;

  /** A member's vote on a post, if any. */
  getVote(req: { postId: string; voterId: string }): Promise<Vote | undefined>;
  /** A member's votes on any of these posts, in no particular order (one read for a whole thread). */
  votesOn(req: { voterId: string; postIds: string[] }): Promise<Vote[]>;
  /**
   * Stores a vote (replacing the voter's earlier one on that post) or removes it, and updates the
   * post's up/down counts to match, as one sequenced `post.updated` change. Undefined for no such post.
   */
  putVote(req: { vote: Vote } | { remove: { postId: string; voterId: string; at: string } }): Promise<{ post: Post; event: ChangeEvent } | undefined>;
  /** Votes on this member's posts. */
  votesFor(req: { authorId: string }): Promise<Vote[]>;
  /** Votes this member cast. */
  votesBy(req: { voterId: string }): Promise<Vote[]>;
  /** Votes on any post of these threads (for "a question that got a helpful answer"). */
  votesInThreads(req: { threadIds: string[] }): Promise<Vote[]>;
  /** Every stored vote, for recomputing all reputation. */
  allVotes(): Promise<Vote[]>;

  /** Adds a member's flag on a post (a second flag by the same member changes nothing); returns all its flags. */
  addFlag(req: { flag: Flag }): Promise<Flag[]>;
  /** The flags on a post. */
  flagsFor(req: { postId: string }): Promise<Flag[]>;
  /** The flags on any of these posts (only this member's, when given), each post's in the order raised. */
  flagsOn(req: { postIds: string[]; memberId?: string }): Promise<Flag[]>;
  /** Removes every flag of a post (after an officer's review). */
  clearFlags(req: { postId: string }): Promise<void>;
  /** Posts whose hidden state has this status, newest first. */
  hiddenPosts(req: { status: 'pending' | 'removed'; limit: number }): Promise<Post[]>;

  /** Persists a new verification request. */
  createVerificationRequest(req: { request: VerificationRequest }): Promise<VerificationRequest>;
  /** A verification request by id, or undefined. */
  getVerificationRequest(req: { id: string }): Promise<VerificationRequest | undefined>;
  /** Records an officer's decision on a request; undefined when it does not exist. */
  decideVerificationRequest(req: {
    id: string;
    status: 'approved' | 'rejected';
    decidedAt: string;
    decidedBy: string;
    decisionNote?: string;
  }): Promise<VerificationRequest | undefined>;
  /** Requests, newest first, filtered by status and/or member. */
  listVerificationRequests(req: { status?: VerificationRequest['status']; memberId?: string; limit: number }): Promise<VerificationRequest[]>;

  /** Appends to the officers' audit log. */
  appendAudit(req: { entry: AuditEntry }): Promise<void>;
  /** The audit log, newest first, optionally for one member. */
  listAudit(req: { memberId?: string; limit: number }): Promise<AuditEntry[]>;

  /**
   * Persists a new officer session. With `endOthers`, every other live session of that officer ends in the
   * same durable write (reason `replaced`), so two sign-ins racing never leave two sessions.
   */
  createOfficerSession(req: { session: OfficerSession; endOthers: boolean }): Promise<OfficerSession>;
  /** An officer session by id, ended ones included until their `expiresAt` has passed; undefined otherwise. */
  getOfficerSession(req: { id: string }): Promise<OfficerSession | undefined>;
  /** Records activity: `lastSeenAt` only ever moves forward. Unknown or ended sessions are left alone. */
  touchOfficerSession(req: { id: string; at: string }): Promise<void>;
  /** Ends one session (sign-out, idle) unless it has already ended; an unknown id changes nothing. */
  endOfficerSession(req: { id: string; at: string; reason: SessionEndReason }): Promise<void>;
  /** Ends every live session of one officer (password changed, account removed). */
  endOfficerSessions(req: { officerId: string; at: string; reason: SessionEndReason }): Promise<void>;

  // ---- officers' follow-up queue (server/domain/follow-up/, docs/FOLLOW-UP.md) ----

  /**
   * Opens the thread's follow-up, numbered `prefix-year-NNNNNN` from the store's counter for (prefix, year):
   * no gap, no repeat, under concurrent calls and across restarts. In the same durable commit the thread's
   * public `followUp` part is set, as one sequenced `thread.updated` change (`event`). When the thread already
   * has a follow-up nothing is written (the counter does not move) and it comes back with `created: false`.
   * Undefined when the thread does not exist.
   */
  openFollowUp(req: { followUp: NewFollowUp; prefix: string; year: number }): Promise<FollowUpCommit | undefined>;
  /** The thread's follow-up, or undefined. */
  getFollowUp(req: { threadId: string }): Promise<FollowUp | undefined>;
  /** The follow-ups of these threads that exist, in no particular order. */
  getFollowUps(req: { threadIds: string[] }): Promise<FollowUp[]>;
  /**
   * Compare-and-set: replaces the follow-up when the stored one has `version === expectedVersion`, durably;
   * when its public part (tracking, status) changed, the thread's `followUp` changes in the same commit as a
   * sequenced `thread.updated` (`event`). Otherwise nothing is written: `{ ok: false, current }`.
   */
  updateFollowUp(req: { followUp: FollowUp; expectedVersion: number }): Promise<FollowUpUpdate>;
  /** Stores SLA states recomputed by the clock sweep; not a change a person made, so versions stay. Unknown ids are skipped. */
  setSlaStates(req: { changes: Array<{ threadId: string; slaState: SlaState }> }): Promise<void>;
  /** A page of follow-ups matching the query, soonest `queueDueAt` first, then by thread id. */
  queryFollowUps(req: FollowUpQuery): Promise<{ followUps: FollowUp[]; next?: FollowUpCursor }>;
  /** How many follow-ups of these sites there are per status, and per SLA state among the open ones. */
  countFollowUps(req: { sites: string[] }): Promise<FollowUpCounts>;
  /** Every follow-up whose clocks or auto-close can still change (status baru, diproses, menunggu_penanya, selesai). */
  activeFollowUps(): Promise<FollowUp[]>;

  /** Stores notifications (escalations), each for its officer. */
  addNotifications(req: { notifications: OfficerNotification[] }): Promise<void>;
  /** An officer's notifications, newest first. */
  listNotifications(req: { officerId: string; limit: number }): Promise<OfficerNotification[]>;
  /** Marks these notifications of the officer read; others' ids are ignored. */
  markNotificationsRead(req: { officerId: string; ids: string[] }): Promise<void>;

  /** A thread without its posts (cheap, for checks before an answer), or undefined. */
  getThreadRecord(req: { id: string }): Promise<Thread | undefined>;
  /** The threads with these ids that exist, without their posts, in no particular order. */
  getThreadRecords(req: { ids: string[] }): Promise<Thread[]>;
  /** The answers of these threads, each thread's in sequence order (threads in no particular order). */
  postsInThreads(req: { threadIds: string[] }): Promise<Post[]>;
  /** A thread with its posts in sequence order, or undefined. */
  getThread(req: { id: string }): Promise<{ thread: Thread; posts: Post[] } | undefined>;
  /** The author's earlier post or thread with this clientId, if any (for idempotent retries). */
  findByClientId(req: { authorId: string; clientId: string }): Promise<{ thread?: Thread; post?: Post } | undefined>;
  /** A page of a site's threads, newest first; `beforeSeq` continues after a previous page. */
  listThreads(req: ListThreadsRequest): Promise<{ threads: Thread[]; nextBeforeSeq?: number }>;

  /** The site's latest sequence number (0 before its first change). */
  currentSeq(req: { site: string }): Promise<number>;
  /**
   * The site's events with seq > afterSeq in order, at most `limit`; undefined when some of them are
   * no longer retained, so the caller must resynchronise from a fresh read instead.
   */
  eventsSince(req: { site: string; afterSeq: number; limit: number }): Promise<ChangeEvent[] | undefined>;
  /**
   * Calls `listener` with every committed event, in sequence order per site, after it is durable.
   * Returns the function that unsubscribes.
   */
  subscribe(listener: (event: ChangeEvent) => void): () => void;
}

export interface CommitResult<T> {
  record: T;
  created: boolean;
  /** The change this commit produced; absent when `created` is false. */
  event?: ChangeEvent;
  /** The author as `authorUpdate` left them; absent when nothing was created, the update changed nothing, or the author is unknown. */
  author?: Visitor;
}

/**
 * What a new thread or answer changes in its author's record (counts, activity), worked out from the author
 * as stored when the post commits, including changes of theirs still being committed, so that two posts in
 * flight both count (PostgreSQL: the member row read FOR UPDATE in the post's transaction). Undefined: no
 * change. It must be pure and quick: the JSON store calls it synchronously while queueing the write.
 */
export type AuthorUpdate = (author: Visitor) => MemberPatch | undefined;

/** Editable post fields; `null` removes an optional field. */
export interface PostPatch {
  body?: string;
  editedAt?: string;
  endorsedBy?: string | null;
  endorsedAt?: string | null;
  hidden?: Post['hidden'] | null;
}

export interface ListThreadsRequest {
  site: string;
  /** Words that must all appear (case-insensitive) in the title or body. */
  words?: string[];
  filter: ThreadFilter;
  limit: number;
  beforeSeq?: number;
}

export interface FollowUpCommit {
  followUp: FollowUp;
  created: boolean;
  /** The thread's `thread.updated` change carrying its public follow-up; absent when nothing was created. */
  event?: ChangeEvent;
}

export type FollowUpUpdate =
  | { ok: true; followUp: FollowUp; event?: ChangeEvent }
  | { ok: false; current: FollowUp | undefined };

/** Where a page of the queue ended: the last item's sort key. */
export interface FollowUpCursor {
  dueAt: string;
  threadId: string;
}

export interface FollowUpQuery {
  /** The officer's sites (after the `site` filter); never empty. */
  sites: string[];
  statuses?: FollowUpStatus[];
  slaStates?: SlaState[];
  categories?: string[];
  /** `none`: unassigned; otherwise an officer's member id. */
  assignee?: 'none' | { id: string };
  /** Words that must all appear (case-insensitive) in the thread's title or body, or one tracking number. */
  words?: string[];
  limit: number;
  after?: FollowUpCursor;
}

export interface FollowUpCounts {
  byStatus: Record<FollowUpStatus, number>;
  /** Open follow-ups only (baru, diproses, menunggu_penanya). */
  bySla: Record<SlaState, number>;
}

export type StoreHealth = { ok: true } | { ok: false; reason: string; message: string };

/**
 * The store refuses a write for now (full disk, database down, shutting down); nothing of it was kept or
 * acknowledged. The domain answers `unavailable` (503) with `retryAfterMs`; `reason` says why
 * (`storage_full`, `write_failed`, `stopping`, `database_unavailable`, or an implementation's own).
 * PostgreSQL also refuses reads this way while it cannot be reached, and a write whose connection broke
 * while its COMMIT was on the way, whose outcome is unknown (a retry with the same clientId is safe).
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** Stored data that cannot be read safely. The server must stop and leave the file untouched. */
export class StoreCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly position: string,
    reason: string,
  ) {
    super(`Data file ${file} is damaged at ${position}: ${reason}. It was left untouched; restore it from a backup or move it aside to start empty.`);
    this.name = 'StoreCorruptError';
  }
}
