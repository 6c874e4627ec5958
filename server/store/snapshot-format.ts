import type { FollowUp, OfficerNotification } from '../domain/follow-up/model.js';
import type { AuditEntry, ChangeEvent, Flag, OfficerSession, Post, Thread, VerificationRequest, Visitor, Vote } from '../domain/model.js';

/**
 * What snapshot.json holds: the whole state as of journal record `journalRecord`. Format 2 added
 * votes, flags, verification requests and the audit log; format 1 files (without them) still load.
 */
export interface SnapshotData {
  format: 2;
  /** Number of the last journal record this snapshot includes (0: none). */
  journalRecord: number;
  /** The segment that was started for the records after it; older segments may be removed. */
  journalSegment: number;
  savedAt: string;
  visitors: Visitor[];
  threads: Thread[];
  /** Grouped by thread, each thread's posts in seq order. */
  posts: Post[];
  /** Latest sequence number per site. */
  seqs: Record<string, number>;
  /** The retained events per site, oldest first. */
  events: Record<string, ChangeEvent[]>;
  votes: Vote[];
  flags: Flag[];
  /** In creation order. */
  verificationRequests: VerificationRequest[];
  /** In append order. */
  audit: AuditEntry[];
  /** Officer sessions not yet past their end; absent in snapshots written before sessions (none then). */
  officerSessions?: OfficerSession[];
  /** The officers' queue; the three are absent in snapshots written before it (none then). */
  followUps?: FollowUp[];
  /** The last tracking number given per `PREFIX-YYYY`. */
  trackingCounters?: Record<string, number>;
  /** Officers' notifications in the order they were added. */
  notifications?: OfficerNotification[];
}

/** A snapshot as written before trust (format 1): no votes, flags, requests or audit log. */
export type SnapshotDataV1 = Omit<SnapshotData, 'format' | 'votes' | 'flags' | 'verificationRequests' | 'audit'> & { format: 1 };

/** Any snapshot this version can read. */
export type StoredSnapshot = SnapshotData | SnapshotDataV1;

export function emptySnapshot(): SnapshotData {
  return {
    format: 2,
    journalRecord: 0,
    journalSegment: 1,
    savedAt: new Date(0).toISOString(),
    visitors: [],
    threads: [],
    posts: [],
    seqs: {},
    events: {},
    votes: [],
    flags: [],
    verificationRequests: [],
    audit: [],
    officerSessions: [],
    followUps: [],
    trackingCounters: {},
    notifications: [],
  };
}

/** Cheap shape check of a parsed snapshot; returns the problem, if any. */
export function snapshotProblem(data: unknown): string | undefined {
  const s = data as Partial<SnapshotData> | Partial<SnapshotDataV1> | null;
  if (typeof s !== 'object' || s === null) return 'snapshot is not an object';
  if (s.format !== 1 && s.format !== 2) return `unknown snapshot format ${JSON.stringify(s.format)}`;
  if (!Number.isSafeInteger(s.journalRecord) || !Number.isSafeInteger(s.journalSegment)) return 'snapshot has no journal position';
  if (!Array.isArray(s.visitors) || !Array.isArray(s.threads) || !Array.isArray(s.posts)) return 'snapshot lacks visitors, threads or posts';
  if (typeof s.seqs !== 'object' || s.seqs === null || typeof s.events !== 'object' || s.events === null) return 'snapshot lacks seqs or events';
  if (s.format === 2) {
    const v2 = s as Partial<SnapshotData>;
    if (!Array.isArray(v2.votes) || !Array.isArray(v2.flags) || !Array.isArray(v2.verificationRequests) || !Array.isArray(v2.audit)) {
      return 'snapshot lacks votes, flags, verification requests or audit';
    }
    if (v2.officerSessions !== undefined && !Array.isArray(v2.officerSessions)) return 'snapshot has officer sessions that are not a list';
    if ((v2.followUps !== undefined && !Array.isArray(v2.followUps)) || (v2.notifications !== undefined && !Array.isArray(v2.notifications))) {
      return 'snapshot has follow-ups or notifications that are not a list';
    }
    if (v2.trackingCounters !== undefined && (typeof v2.trackingCounters !== 'object' || v2.trackingCounters === null)) return 'snapshot has tracking counters that are not an object';
  }
  return undefined;
}
