import type { AuditEntry, Flag, VerificationRequest } from '../domain/model.js';
import { compareDesc, copyAudit, pushTo, regroup } from './memory-records.js';

type RequestStatus = VerificationRequest['status'];

/**
 * The moderation part of the memory state: members' flags on posts, verification requests and the audit
 * log, with their indexes. Only MemoryState changes it, from `apply`, so replay rebuilds it exactly.
 */
export class ModerationState {
  /** postId → memberId → flag. */
  private readonly flags = new Map<string, Map<string, Flag>>();

  readonly requests = new Map<string, VerificationRequest>();
  /** Creation order of each request, the tie-break for "newest first". */
  private readonly requestOrder = new Map<string, number>();
  private readonly requestsByMember = new Map<string, Map<string, VerificationRequest>>();
  private readonly requestsByStatus = new Map<RequestStatus, Map<string, VerificationRequest>>();

  /** In append order. */
  private readonly audit: AuditEntry[] = [];
  private readonly auditByMember = new Map<string, AuditEntry[]>();

  /** The first flag of a member on a post stays; a second one changes nothing. */
  addFlag(flag: Flag): void {
    let byMember = this.flags.get(flag.postId);
    if (!byMember) {
      byMember = new Map();
      this.flags.set(flag.postId, byMember);
    }
    if (!byMember.has(flag.memberId)) byMember.set(flag.memberId, flag);
  }

  clearFlags(postId: string): void {
    this.flags.delete(postId);
  }

  addRequest(request: VerificationRequest): void {
    this.requests.set(request.id, request);
    this.requestOrder.set(request.id, this.requestOrder.size);
    regroup(this.requestsByMember, request.id, undefined, request.memberId, request);
    regroup(this.requestsByStatus, request.id, undefined, request.status, request);
  }

  replaceRequest(before: VerificationRequest, after: VerificationRequest): void {
    this.requests.set(after.id, after);
    regroup(this.requestsByMember, after.id, before.memberId, after.memberId, after);
    regroup(this.requestsByStatus, after.id, before.status, after.status, after);
  }

  appendAudit(entry: AuditEntry): void {
    this.audit.push(entry);
    if (entry.memberId !== undefined) pushTo(this.auditByMember, entry.memberId, entry);
  }

  /** The stored flags and audit entries, for a snapshot. */
  toSnapshot(): { flags: Flag[]; audit: AuditEntry[] } {
    const flags: Flag[] = [];
    for (const byMember of this.flags.values()) flags.push(...byMember.values());
    return { flags, audit: [...this.audit] };
  }

  /** Members who have flagged this post. */
  flaggedBy(postId: string): Set<string> {
    return new Set(this.flags.get(postId)?.keys());
  }

  flagsFor(postId: string): Flag[] {
    const byMember = this.flags.get(postId);
    return byMember ? Array.from(byMember.values(), (f) => ({ ...f })) : [];
  }

  /** The flags on these posts (only this member's, when given), each post's in the order raised. */
  flagsOn(postIds: string[], memberId?: string): Flag[] {
    return [...new Set(postIds)].flatMap((postId) => this.flagsFor(postId).filter((f) => memberId === undefined || f.memberId === memberId));
  }

  /** Requests newest (createdAt) first; among equal times, the later created first. */
  listRequests(req: { status?: RequestStatus; memberId?: string; limit: number }): VerificationRequest[] {
    if (req.limit <= 0) return [];
    let candidates: Iterable<VerificationRequest>;
    if (req.memberId !== undefined) candidates = this.requestsByMember.get(req.memberId)?.values() ?? [];
    else if (req.status !== undefined) candidates = this.requestsByStatus.get(req.status)?.values() ?? [];
    else candidates = this.requests.values();
    const list: VerificationRequest[] = [];
    for (const request of candidates) if (req.status === undefined || request.status === req.status) list.push(request);
    list.sort((a, b) => compareDesc(a.createdAt, b.createdAt) || this.requestOrder.get(b.id)! - this.requestOrder.get(a.id)!);
    return list.slice(0, req.limit).map((r) => ({ ...r }));
  }

  /** Audit entries, last appended first. */
  listAudit(req: { memberId?: string; limit: number }): AuditEntry[] {
    const list = req.memberId === undefined ? this.audit : (this.auditByMember.get(req.memberId) ?? []);
    const out: AuditEntry[] = [];
    for (let i = list.length - 1; i >= 0 && out.length < req.limit; i--) out.push(copyAudit(list[i]));
    return out;
  }
}
