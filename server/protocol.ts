/**
 * The wire format of osg-konsultasi: the single source of every REST body, WebSocket frame and error code.
 *
 * The widget imports this file with `import type` only, so zod and the schemas never reach its bundle.
 * docs/PROTOCOL.md and docs/API.md describe the same shapes for people; change them together.
 */
import { z } from 'zod';

/**
 * Version of the WebSocket protocol; a client sends it in `hello` and the server refuses others.
 * 2: bodies go only to the watchers of a thread, the list gets `digest` frames. 1 (every `event` to every
 * client) is still served, for widgets cached before 2 and for other systems.
 */
export const PROTOCOL_VERSION = 2;
/** The versions this server speaks. */
export const PROTOCOL_VERSIONS = [1, 2] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
const version = z.union([z.literal(1), z.literal(2)]);

/** Hard limits on the wire. Domain rules (server/domain/rules.ts) are tighter; these only bound parsing. */
export const WIRE_LIMITS = {
  /** A WebSocket frame above this closes the connection with 1009. */
  maxFrameBytes: 64 * 1024,
  /** A JSON request body above this is refused with 413. */
  maxBodyBytes: 64 * 1024,
  maxTitleChars: 150,
  maxBodyChars: 5000,
  maxNameChars: 40,
  maxQueryChars: 100,
  maxPageSize: 50,
} as const;

// ---- error codes -------------------------------------------------------------------------------

/** Stable error codes. The widget maps each to words in the visitor's language (widget/i18n.ts). */
export const ERROR_CODES = [
  'bad_request', // body or frame is not valid JSON, has unknown fields or wrong types
  'too_short', // a text field is shorter than its minimum (see `field`, `limit`)
  'too_long', // a text field is longer than its maximum (see `field`, `limit`)
  'invalid_text', // a text field holds control or hidden characters, or nothing visible
  'invalid_category', // the category is not one of the site's
  'unknown_site', // no such site is configured
  'thread_not_found',
  'visitor_not_found',
  'not_found', // no such route
  'unauthorized', // missing, malformed or forged token
  'token_expired',
  'origin_not_allowed', // the request's Origin is not listed for this site
  'not_subscribed', // a WebSocket command that needs `hello` first
  'rate_limited', // see `retryAfterMs`
  'payload_too_large',
  'unsupported_version', // WebSocket protocol version mismatch
  'unavailable', // shutting down, storage takes no writes now (`storage_full` in the message), or too many sign-ins being checked; see `retryAfterMs`
  'internal',
  'post_not_found',
  'forbidden', // an officer's action, or another member's post
  'self_vote', // members cannot rate their own answers
  'already_voted', // the same vote again; change or withdraw it instead
  'vote_locked', // votes lock 5 minutes after they are cast, unless the answer is edited afterwards
  'not_asker', // only the asker can mark the accepted answer
  'not_an_answer', // the post is not an answer of this thread
  'already_flagged',
  'answer_hidden', // hidden answers cannot be rated or flagged until an officer reviews them
  'invalid_nip', // see `field`: the NIP's birth date, start month or gender digit is not valid
  'verification_pending', // a request is already waiting for an officer
  'already_verified',
  'request_not_found',
  'request_decided', // an officer already decided this request
  'not_verified', // revoking a badge the member does not have
  'bad_credentials', // officer sign-in refused
  'invalid_transition', // the follow-up lifecycle does not allow this status change
  'stale_view', // the follow-up changed since the officer saw it (another reply, assignment or status); reload
  'follow_up_not_found', // the thread has no follow-up (it is not in the officers' queue)
  'name_reserved', // the display name is an officer's or claims a role or badge (field: name)
  'session_ended', // the officer session was ended (see `reason`): sign out, sign in again
  'login_locked', // too many failed sign-ins for this username: wait `retryAfterMs` (same for unknown names)
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each code; the WebSocket layer sends the same body in an `error` frame. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  too_short: 400,
  too_long: 400,
  invalid_text: 400,
  invalid_category: 400,
  unknown_site: 404,
  thread_not_found: 404,
  visitor_not_found: 404,
  not_found: 404,
  unauthorized: 401,
  token_expired: 401,
  origin_not_allowed: 403,
  not_subscribed: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_version: 400,
  unavailable: 503,
  internal: 500,
  post_not_found: 404,
  forbidden: 403,
  self_vote: 403,
  already_voted: 409,
  vote_locked: 409,
  not_asker: 403,
  not_an_answer: 400,
  already_flagged: 409,
  answer_hidden: 409,
  invalid_nip: 400,
  verification_pending: 409,
  already_verified: 409,
  request_not_found: 404,
  request_decided: 409,
  not_verified: 409,
  bad_credentials: 401,
  invalid_transition: 409,
  stale_view: 409,
  follow_up_not_found: 404,
  name_reserved: 409,
  session_ended: 401,
  login_locked: 429,
};

/** The body of every error: `{ "error": ErrorBody }` over HTTP, `{ type: "error", error: ErrorBody }` over WS. */
export interface ErrorBody {
  code: ErrorCode;
  /** English text for logs and API users; the widget shows its own words for `code`. */
  message: string;
  /** The offending field, for validation codes. */
  field?: string;
  /** The limit that was crossed, for `too_short` / `too_long`. */
  limit?: number;
  /** For `rate_limited`, `login_locked` and `unavailable` (also sent as the `Retry-After` header). */
  retryAfterMs?: number;
  /** For `session_ended`: why the officer session ended. */
  reason?: SessionEndReason;
  /** For `stale_view`: the thread and follow-up as they are now, so the page can show what changed. */
  current?: QueueItem;
}

/**
 * Why an officer session ended: signed out, replaced by a newer sign-in of the same account, idle too long,
 * the account's password changed, or the account was removed. (Reaching its absolute end is `token_expired`.)
 */
export const SESSION_END_REASONS = ['logout', 'replaced', 'idle', 'credentials_changed', 'account_removed'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

// ---- public views ------------------------------------------------------------------------------

/** Anonymous member identity. `id` is public; the token that proves it is not. */
export interface VisitorView {
  id: string;
  name: string;
  createdAt: string;
}

export type LevelId = 'baru' | 'anggota' | 'aktif' | 'terpercaya';

/**
 * How a member appears next to every post: name, reputation, level and badges. Computed by the server
 * from stored events and officers' decisions only; nothing a client sends can set it.
 */
export interface MemberSummary {
  id: string;
  name: string;
  reputation: number;
  level: LevelId;
  /** "Petugas BKN" badge. */
  officer: boolean;
  /** "Terverifikasi · <jabatan> · <instansi>" badge, with the date of verification. */
  verified?: { jabatan: string; instansi: string; at: string };
}

/** A member's profile card. NIP is never part of it. */
export interface ProfileView extends MemberSummary {
  /** Self-declared ("menurut pengakuan sendiri") unless the same fields appear in `verified`. */
  profile: { instansi?: string; jabatan?: string; bidang?: string; yearsExperience?: number };
  stats: { questions: number; answers: number; helpfulAnswers: number; acceptedAnswers: number; endorsedAnswers: number };
  memberSince: string;
  lastActiveAt?: string;
  /** 100 flags, oldest first, one per WIB day up to today: whether the member was active that day. */
  activity: boolean[];
  /** Days active among the last 100. */
  activeDays: number;
}

export type ThreadStatus = 'unanswered' | 'answered';

export interface ThreadView {
  id: string;
  site: string;
  /** The site's sequence number of the change that created the thread. */
  seq: number;
  title: string;
  body: string;
  category: string;
  authorId: string;
  /** The author's display name when the thread was posted. */
  authorName: string;
  /** The author's own id for this post (idempotency key); lets a widget match its outbox. */
  clientId: string;
  createdAt: string;
  lastActivityAt: string;
  answerCount: number;
  status: ThreadStatus;
  /** The asker's "Jawaban terbaik", if marked. */
  acceptedPostId?: string;
  /** The author as they are now (level and badges change live; `authorName` is the name at posting). */
  author?: MemberSummary;
  /** Present once the thread entered the officers' follow-up queue: what every visitor may see of it. */
  followUp?: PublicFollowUp;
}

export interface PostView {
  id: string;
  threadId: string;
  site: string;
  seq: number;
  /** Empty while the answer is hidden, except for its author. */
  body: string;
  authorId: string;
  authorName: string;
  clientId: string;
  createdAt: string;
  editedAt?: string;
  /** Posted by an officer: an official answer. */
  official: boolean;
  /** "Membantu" and "Tidak membantu" votes, including those that do not move reputation. */
  up: number;
  down: number;
  score: number;
  /** "Dibenarkan petugas". */
  endorsed?: { at: string; by: string };
  hidden?: { reason: 'salah_informasi' | 'spam' | 'tidak_pantas'; status: 'pending' | 'removed' };
  author?: MemberSummary;
}

export interface ThreadWithPosts {
  thread: ThreadView;
  /** Endorsed and accepted answers first, then by score, then by time. */
  posts: PostView[];
  /** With a visitor token: that member's votes on these posts (postId → 1 or -1). */
  myVotes?: Record<string, 1 | -1>;
  /** With a visitor token: posts of this thread that member flagged. */
  myFlags?: string[];
}

export interface CategoryView {
  id: string;
  label: { id: string; en: string };
}

export interface SiteView {
  id: string;
  name: string;
  categories: CategoryView[];
  languages: Array<'id' | 'en'>;
  limits: {
    titleMin: number;
    titleMax: number;
    bodyMin: number;
    bodyMax: number;
    answerMin: number;
    answerMax: number;
    nameMin: number;
    nameMax: number;
  };
}

/** One committed change, as pushed live and replayed on resume. `seq` counts per site without gaps. */
export type ChangeView =
  | { kind: 'thread.created'; thread: ThreadView }
  | {
      kind: 'post.created';
      post: PostView;
      thread: Pick<ThreadView, 'id' | 'answerCount' | 'lastActivityAt' | 'status'>;
    }
  /** Score, edit, endorsement or hidden state changed: the whole post as it now is. */
  | { kind: 'post.updated'; post: PostView }
  /** The accepted answer changed. */
  | { kind: 'thread.updated'; thread: ThreadView };

export interface EventView {
  site: string;
  seq: number;
  at: string;
  change: ChangeView;
}

/** What the thread list shows of a thread that got answers: the `thread` part of `post.created`. */
export type ThreadSummary = Pick<ThreadView, 'id' | 'answerCount' | 'lastActivityAt' | 'status'>;

/**
 * Protocol 2: what the thread list needs of every event of a site with `fromSeq` ≤ seq ≤ `toSeq`, coalesced
 * (each thread once, as it stood at the end of the range). It stands for the whole range, so a client's
 * `lastSeq` becomes `toSeq`. Answers' bodies, edits and votes are not in it: they go as `event` frames to the
 * thread's watchers only.
 */
export interface DigestView {
  site: string;
  fromSeq: number;
  toSeq: number;
  /** Threads created or changed (accepted answer, follow-up) in the range: the whole thread as it now is. */
  threads: ThreadView[];
  /** Threads that only got answers in the range (not also listed in `threads`). */
  activity: ThreadSummary[];
}

// ---- REST bodies -------------------------------------------------------------------------------

const text = (max: number) => z.string().max(max * 4); // bytes-ish bound; exact limits are domain rules
const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientId: 8-64 characters of A-Z a-z 0-9 _ -');
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const siteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);
const generation = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const CreateVisitorBody = z.strictObject({ name: text(WIRE_LIMITS.maxNameChars).optional() });
export type CreateVisitorBody = z.infer<typeof CreateVisitorBody>;
export interface CreateVisitorResponse {
  token: string;
  visitor: VisitorView;
  /** When the token stops being accepted (ISO time); the widget asks for a new identity after that. */
  expiresAt: string;
}

const profileText = z.string().max(400);
export const UpdateVisitorBody = z.strictObject({
  name: text(WIRE_LIMITS.maxNameChars).optional(),
  /** Self-declared profile; an empty string clears a field. */
  instansi: profileText.optional(),
  jabatan: profileText.optional(),
  bidang: profileText.optional(),
  yearsExperience: z.number().int().min(0).max(60).nullable().optional(),
});
export type UpdateVisitorBody = z.infer<typeof UpdateVisitorBody>;

export const CreateThreadBody = z.strictObject({
  title: text(WIRE_LIMITS.maxTitleChars),
  body: text(WIRE_LIMITS.maxBodyChars),
  category: z.string().max(40),
  clientId,
});
export type CreateThreadBody = z.infer<typeof CreateThreadBody>;

export const CreatePostBody = z.strictObject({ body: text(WIRE_LIMITS.maxBodyChars), clientId });
export type CreatePostBody = z.infer<typeof CreatePostBody>;

export const VoteBody = z.strictObject({ value: z.union([z.literal(1), z.literal(-1), z.literal(0)]) });
export type VoteBody = z.infer<typeof VoteBody>;
export const AcceptBody = z.strictObject({ postId: id.nullable() });
export const FlagBody = z.strictObject({ reason: z.enum(['salah_informasi', 'spam', 'tidak_pantas']) });
export const EditPostBody = z.strictObject({ body: text(WIRE_LIMITS.maxBodyChars) });
export const VerificationRequestBody = z.strictObject({
  nip: z.string().max(40),
  instansi: profileText,
  jabatan: profileText,
  note: z.string().max(2000).optional(),
});
export const DecisionBody = z.strictObject({ note: z.string().max(1000).optional() });
export const EndorseBody = z.strictObject({ endorsed: z.boolean() });
export const VerificationListQuery = z.strictObject({ status: z.enum(['pending', 'approved', 'rejected']).optional() });
export const FlaggedQuery = z.strictObject({ status: z.enum(['pending', 'removed']).optional() });
export const AuditQuery = z.strictObject({ memberId: id.optional(), limit: z.coerce.number().int().min(1).max(500).optional() });

export interface OfficerLoginResponse {
  token: string;
  expiresAt: string;
  officer: MemberSummary;
}

/** Officers only: a member's profile with their verification requests (NIP included). */
export interface OfficerMemberView {
  profile: ProfileView;
  requests: VerificationRequestView[];
}

export const OfficerLoginBody = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });

/**
 * A member's own view of their latest verification request (never someone else's). The NIP is shown masked.
 * `revoked`: the request was approved, then an officer revoked the badge (`revokedAt`, `revocationNote`);
 * the member may ask again.
 */
export interface MyVerificationView {
  status: 'none' | 'pending' | 'approved' | 'rejected' | 'revoked';
  nipMasked?: string;
  instansi?: string;
  jabatan?: string;
  decidedAt?: string;
  decisionNote?: string;
  revokedAt?: string;
  revocationNote?: string;
}

/** Officers only: a verification request including the NIP and what it encodes. */
export interface VerificationRequestView {
  id: string;
  member: MemberSummary;
  nip: string;
  nipInfo: { birthDate: string; startMonth: string; gender: 'pria' | 'wanita' };
  instansi: string;
  jabatan: string;
  note?: string;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  decisionNote?: string;
}

export interface AuditEntryView {
  id: string;
  at: string;
  officer: MemberSummary;
  action: string;
  memberId?: string;
  postId?: string;
  details?: Record<string, string | number | boolean>;
}

export interface FlaggedPostView {
  post: PostView & { body: string };
  thread: { id: string; title: string; site: string };
  flags: Array<{ reason: string; weight: number; at: string; member: MemberSummary }>;
}

export const ListThreadsQuery = z.strictObject({
  q: z.string().max(WIRE_LIMITS.maxQueryChars).optional(),
  status: z.enum(['all', 'unanswered', 'answered']).optional(),
  limit: z.coerce.number().int().min(1).max(WIRE_LIMITS.maxPageSize).optional(),
  cursor: z.string().regex(/^\d{1,15}$/).optional(),
});
export type ListThreadsQuery = z.infer<typeof ListThreadsQuery>;
export interface ListThreadsResponse {
  threads: ThreadView[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
  /** The site's latest sequence number when the page was read: subscribe from here to miss nothing. */
  seq: number;
  /** The store generation `seq` belongs to; send both in `hello`. */
  generation: string;
}

/** `GET /healthz`: 200 when `ok`; 503 while `stopping` (draining for a shutdown) or `failing` (see `reason`). */
export interface HealthResponse {
  status: 'ok' | 'stopping' | 'failing';
  uptimeSeconds: number;
  store: string;
  /** With `failing`: why the store takes no writes, e.g. `storage_full` (it recovers by itself when space is freed). */
  reason?: string;
  connections: number;
  /** On PostgreSQL: whether the database takes writes now. */
  database?: 'up' | 'down';
  /**
   * With OSG_REDIS_URL: whether Redis answers. Down is not failing: posts are still stored and acknowledged,
   * and live delivery from other instances is filled from the database.
   */
  redis?: 'up' | 'down';
}

// ---- officers' follow-up queue ---------------------------------------------------------------
// The rules are server/domain/follow-up/ (lifecycle, SLA clocks in working time, queue rules, tracking
// numbers); docs/FOLLOW-UP.md explains them for people.

/**
 * Where a follow-up stands, in the words officers and askers already know from LAPOR!: `baru` (no officer
 * answer yet), `diproses` (an officer is on it), `menunggu_penanya` (waiting for the asker; clocks paused),
 * `selesai` (resolved; closes by itself after the site's autoCloseWorkingDays unless the asker replies),
 * `ditutup` (closed). docs/FOLLOW-UP.md has the transitions.
 */
export const FOLLOW_UP_STATUSES = ['baru', 'diproses', 'menunggu_penanya', 'selesai', 'ditutup'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
/** The SLA of the target due next: ok, warning (75% of it used), breached, paused (waiting for the asker), met. */
export const SLA_STATES = ['ok', 'warning', 'breached', 'paused', 'met'] as const;
export type SlaState = (typeof SLA_STATES)[number];
/** Why the thread entered the queue: the asker asked, or one of the site's queue rules fired. */
export const FOLLOW_UP_REASONS = ['asker_request', 'unanswered', 'no_official_answer', 'flagged', 'negative_score'] as const;
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number];
export type OfficerRole = 'officer' | 'supervisor' | 'admin';

/** What every visitor sees of a thread's follow-up (the asker sees the same, plus the button that made it). */
export interface PublicFollowUp {
  /** PREFIX-YYYY-NNNNNN, e.g. KR1-2026-000042. */
  tracking: string;
  status: FollowUpStatus;
}

/** Officers only: a follow-up with its clocks. Times are ISO instants; the page shows them in `timeZone`. */
export interface FollowUpView extends PublicFollowUp {
  threadId: string;
  site: string;
  reason: FollowUpReason;
  assignee?: MemberSummary;
  createdAt: string;
  updatedAt: string;
  firstResponseDue: string;
  resolutionDue: string;
  firstRespondedAt?: string;
  resolvedAt?: string;
  autoCloseAt?: string;
  closedAt?: string;
  slaState: SlaState;
  /** Working minutes left on the target `slaState` speaks of (negative when late); absent when paused or met. */
  minutesLeft?: number;
  /** The site's zone, e.g. Asia/Makassar. */
  timeZone: string;
  /** Every officer write carries the version it was decided on; a stale one is refused with `stale_view`. */
  version: number;
  /** The statuses this officer may move it to now. */
  allowedStatuses: FollowUpStatus[];
  history: Array<{ at: string; from: FollowUpStatus | null; to: FollowUpStatus; cause: string; by?: MemberSummary; note?: string }>;
}

export interface QueueItem {
  thread: ThreadView;
  followUp: FollowUpView;
}

/** `status`, `sla` and `category` take one value or a comma-separated list; `assignee` is me, none or an officer id. */
export const QueueQuery = z.strictObject({
  site: z.string().max(400).optional(),
  status: z.string().max(80).optional(),
  assignee: z.string().max(80).optional(),
  sla: z.string().max(80).optional(),
  category: z.string().max(400).optional(),
  q: z.string().max(WIRE_LIMITS.maxQueryChars).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(WIRE_LIMITS.maxPageSize).optional(),
});
export type QueueQuery = z.infer<typeof QueueQuery>;
export interface QueueResponse {
  /** Soonest due first (then oldest). */
  items: QueueItem[];
  nextCursor?: string;
  /** Over the officer's sites and the `site` filter, regardless of the other filters. */
  counts: { byStatus: Record<FollowUpStatus, number>; bySla: Record<SlaState, number> };
}

/** Officers only: a thread with every post (hidden ones included), its follow-up and who else is on it. */
export interface OfficerThreadView extends ThreadWithPosts {
  followUp?: FollowUpView;
  officers: OfficerPresence[];
}

export interface OfficerPresence {
  officer: MemberSummary;
  typing: boolean;
}

export const FollowUpStatusBody = z.strictObject({
  status: z.enum(FOLLOW_UP_STATUSES),
  version: z.number().int().min(1),
  note: z.string().max(1000).optional(),
});
export const AssignBody = z.strictObject({ officerId: id.nullable(), version: z.number().int().min(1) });
export const OfficerAnswerBody = z.strictObject({ body: text(WIRE_LIMITS.maxBodyChars), clientId, followUpVersion: z.number().int().min(1).optional() });

/** `POST /api/threads/:id/follow-up` (the asker): 201 the first time, 200 with the same follow-up after. */
export interface FollowUpRequestResponse {
  followUp: PublicFollowUp;
}

/** `POST /api/officer/threads/:id/answers`: 201 with the official answer (200 for a retry) and the follow-up after it. */
export interface OfficerAnswerResponse {
  post: PostView;
  /** Absent when the thread has no follow-up. */
  followUp?: FollowUpView;
}

export const NotificationsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).optional() });
export const MarkNotificationsReadBody = z.strictObject({ ids: z.array(id).min(1).max(200) });

/** `GET /api/officer/me`: who is signed in, what they may do, and the sites and colleagues for the pickers. */
export interface OfficerMeView {
  officer: MemberSummary;
  role: OfficerRole;
  sites: Array<{ id: string; name: string; timeZone: string; categories: CategoryView[] }>;
  /** Officers of these sites (for assignment). */
  colleagues: Array<{ officer: MemberSummary; role: OfficerRole; sites: string[] }>;
}

/** A supervisor's notification: a follow-up of one of their sites breached its target. */
export interface NotificationView {
  id: string;
  at: string;
  kind: 'sla_breached';
  threadId: string;
  tracking: string;
  site: string;
  target: 'first_response' | 'resolution';
  read: boolean;
}

// ---- WebSocket frames --------------------------------------------------------------------------

/** Frames a client sends. Every frame is JSON; unknown `type`s or fields are refused with `bad_request`. */
export const ClientMessage = z.discriminatedUnion('type', [
  /**
   * First frame: joins a site's live stream. `lastSeq` resumes after a reconnect; `generation` is the store
   * generation it belongs to (from `welcome` or a thread list): with another one the client is told to resync.
   */
  z.strictObject({
    type: z.literal('hello'),
    v: version,
    site: siteId,
    token: z.string().max(512).optional(),
    lastSeq: z.number().int().min(0).optional(),
    generation: generation.optional(),
  }),
  /** The thread this client is looking at (its viewer count; in protocol 2 its bodies), or null for none. */
  z.strictObject({ type: z.literal('watch'), threadId: id.nullable() }),
  z.strictObject({
    type: z.literal('ask'),
    clientId,
    title: text(WIRE_LIMITS.maxTitleChars),
    body: text(WIRE_LIMITS.maxBodyChars),
    category: z.string().max(40),
  }),
  z.strictObject({ type: z.literal('answer'), clientId, threadId: id, body: text(WIRE_LIMITS.maxBodyChars) }),
  /** 1 "Membantu", -1 "Tidak membantu", 0 withdraws the vote. */
  z.strictObject({ type: z.literal('vote'), postId: id, value: z.union([z.literal(1), z.literal(-1), z.literal(0)]) }),
  /** The asker marks (or with null clears) the accepted answer. */
  z.strictObject({ type: z.literal('accept'), threadId: id, postId: id.nullable() }),
  z.strictObject({ type: z.literal('flag'), postId: id, reason: z.enum(['salah_informasi', 'spam', 'tidak_pantas']) }),
  /** An officer's first frame instead of `hello`: follows the queue of the officer's sites. */
  z.strictObject({ type: z.literal('officer-hello'), v: version, token: z.string().max(512) }),
  /** Officers: the thread this officer has open (presence "sedang melihat"), or null. */
  z.strictObject({ type: z.literal('view'), threadId: id.nullable() }),
  /** Officers: typing a reply in this thread ("sedang mengetik"); lapses after a few seconds without another. */
  z.strictObject({ type: z.literal('typing'), threadId: id }),
  /** Application-level ping for clients that cannot see protocol pings (browsers). */
  z.strictObject({ type: z.literal('ping'), id: z.number().int().min(0).optional() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Frames the server sends. */
export type ServerMessage =
  /**
   * Answer to `hello`. Unless `resync`, the missed events (seq > lastSeq) follow it in order, then live
   * ones. `visitor` is absent when no token or a refused one was sent (the connection can then only read).
   * `generation` identifies the store's history: when it is not the one the client sent, its seqs may have
   * been handed out again (a lost journal tail, a restore), so `resync` is true.
   */
  | { type: 'welcome'; site: string; seq: number; generation: string; visitor?: VisitorView; resync: boolean }
  /**
   * A committed change. Protocol 1: every event of the site, in `seq` order without gaps. Protocol 2: only
   * events of the watched thread, at once; they do not move `lastSeq` (the `digest` covering them does).
   */
  | { type: 'event'; event: EventView }
  /** Protocol 2: at most one per fan-out window (OSG_FANOUT_WINDOW_MS), in `seq` order, ranges without gaps. */
  | { type: 'digest'; digest: DigestView }
  /** The answer to `ask`/`answer`: sent only after the change is durable. `duplicate` marks a retry. */
  | { type: 'ack'; clientId: string; duplicate: boolean; thread?: ThreadView; post?: PostView }
  | { type: 'presence'; threadId: string; viewers: number }
  /** A member's name, reputation, level or badges changed; update every place that shows them. */
  | { type: 'member'; member: MemberSummary }
  /** The answer to `vote`, `accept` and `flag` (the change itself arrives as an `event`). */
  | { type: 'done'; ref: 'vote' | 'accept' | 'flag'; postId?: string; threadId?: string }
  | { type: 'pong'; id?: number }
  /** Answer to `officer-hello`. Queue frames are not sequenced: after a reconnect the page reloads the queue. */
  | { type: 'officer-welcome'; officer: MemberSummary; role: OfficerRole; sites: string[] }
  /** Officers: a follow-up of one of their sites changed (or entered the queue). */
  | { type: 'queue'; item: QueueItem }
  /** Officers: who else has this thread open or is typing in it (the receiver is never listed). */
  | { type: 'officer-presence'; threadId: string; officers: OfficerPresence[] }
  /** Supervisors: an escalation. */
  | { type: 'notification'; notification: NotificationView }
  /** `clientId` names the post that failed, when it was one. The connection stays open. */
  | { type: 'error'; error: ErrorBody; clientId?: string; ref?: 'vote' | 'accept' | 'flag'; postId?: string };

/** WebSocket close codes this server uses besides the standard ones. */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
  messageTooBig: 1009,
  tryAgainLater: 1013,
  /** Refused identity or site in `hello`. */
  forbidden: 4003,
  /** The client read too slowly and its queue overflowed. */
  slowConsumer: 4008,
} as const;
