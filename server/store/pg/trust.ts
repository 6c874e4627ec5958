import type { AuditEntry, Flag, VerificationRequest } from '../../domain/model.js';
import { col, Columns, jsonCol } from './columns.js';
import type { Queryable } from './db.js';
import { interactive, pipelined, type LaneOp } from './lanes.js';

/** Flags on posts, members' verification requests and the officers' audit log: records without a seq. */

export const FLAGS = new Columns<Flag>({
  postId: col('post_id'),
  memberId: col('member_id'),
  reason: col('reason'),
  weight: col('weight', 'double precision'),
  at: col('at'),
});

export const REQUESTS = new Columns<VerificationRequest>({
  id: col('id'),
  memberId: col('member_id'),
  nip: col('nip'),
  instansi: col('instansi'),
  jabatan: col('jabatan'),
  note: col('note'),
  status: col('status'),
  createdAt: col('created_at'),
  decidedAt: col('decided_at'),
  decidedBy: col('decided_by'),
  decisionNote: col('decision_note'),
});

export const AUDIT = new Columns<AuditEntry>({
  id: col('id'),
  at: col('at'),
  officerId: col('officer_id'),
  action: col('action'),
  memberId: col('member_id'),
  postId: col('post_id'),
  details: jsonCol('details'),
});

/** The first flag of a member on a post stays; a second one changes nothing. Returns the post's flags. */
export function addFlagOp(flag: Flag): LaneOp<Flag[]> {
  return interactive(async (tx) => {
    const { rowCount } = await tx.query({ name: 'osg_post_exists', text: 'SELECT 1 FROM posts WHERE id = $1', values: [flag.postId] });
    if (rowCount === 0) throw new Error(`cannot flag post ${flag.postId}: it does not exist`);
    await tx.query({
      name: 'osg_flag_add',
      text: `INSERT INTO flags (${FLAGS.names.join(', ')}) VALUES (${FLAGS.params(1)}) ON CONFLICT (post_id, member_id) DO NOTHING`,
      values: FLAGS.values(flag),
    });
    return flagsFor(tx, flag.postId);
  });
}

export function clearFlagsOp(postId: string): LaneOp<void> {
  return pipelined(async (tx) => {
    await tx.query({ name: 'osg_flags_clear', text: 'DELETE FROM flags WHERE post_id = $1', values: [postId] });
  });
}

/** A post's flags in the order they were raised. */
export async function flagsFor(db: Queryable, postId: string): Promise<Flag[]> {
  const { rows } = await db.query({ name: 'osg_flags_for', text: 'SELECT * FROM flags WHERE post_id = $1 ORDER BY n', values: [postId] });
  return rows.map((row) => FLAGS.fromRow(row));
}

/** The flags on any of these posts (only this member's, when given), each post's in the order raised. */
export async function flagsOn(db: Queryable, postIds: string[], memberId?: string): Promise<Flag[]> {
  if (postIds.length === 0) return [];
  const { rows } = await db.query({
    name: 'osg_flags_on',
    text: 'SELECT * FROM flags WHERE post_id = ANY($1::text[]) AND ($2::text IS NULL OR member_id = $2) ORDER BY post_id, n',
    values: [[...new Set(postIds)], memberId ?? null],
  });
  return rows.map((row) => FLAGS.fromRow(row));
}

export function createRequestOp(request: VerificationRequest): LaneOp<VerificationRequest> {
  return pipelined(async (tx) => {
    const { rows } = await tx.query({
      name: 'osg_request_create',
      text: `INSERT INTO verification_requests (${REQUESTS.names.join(', ')}) VALUES (${REQUESTS.params(1)}) ON CONFLICT (id) DO NOTHING RETURNING *`,
      values: REQUESTS.values(request),
    });
    if (!rows[0]) throw new Error(`verification request ${request.id} already exists`);
    return REQUESTS.fromRow(rows[0]);
  });
}

/** Records the decision; a missing decisionNote clears an earlier one. */
export function decideRequestOp(req: {
  id: string;
  status: 'approved' | 'rejected';
  decidedAt: string;
  decidedBy: string;
  decisionNote?: string;
}): LaneOp<VerificationRequest | undefined> {
  return pipelined(async (tx) => {
    const { rows } = await tx.query({
      name: 'osg_request_decide',
      text: 'UPDATE verification_requests SET status = $2, decided_at = $3, decided_by = $4, decision_note = $5 WHERE id = $1 RETURNING *',
      values: [req.id, req.status, req.decidedAt, req.decidedBy, req.decisionNote ?? null],
    });
    return rows[0] && REQUESTS.fromRow(rows[0]);
  });
}

export async function getRequest(db: Queryable, id: string): Promise<VerificationRequest | undefined> {
  const { rows } = await db.query({ name: 'osg_request_get', text: 'SELECT * FROM verification_requests WHERE id = $1', values: [id] });
  return rows[0] && REQUESTS.fromRow(rows[0]);
}

/** Requests newest (createdAt) first; among equal times, the later created first. */
export async function listRequests(db: Queryable, req: { status?: VerificationRequest['status']; memberId?: string; limit: number }): Promise<VerificationRequest[]> {
  if (req.limit <= 0) return [];
  const values: unknown[] = [];
  const where: string[] = [];
  if (req.status !== undefined) where.push(`status = $${values.push(req.status)}`);
  if (req.memberId !== undefined) where.push(`member_id = $${values.push(req.memberId)}`);
  const { rows } = await db.query(
    `SELECT * FROM verification_requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, n DESC LIMIT $${values.push(req.limit)}`,
    values,
  );
  return rows.map((row) => REQUESTS.fromRow(row));
}

export function appendAuditOp(entry: AuditEntry): LaneOp<void> {
  return pipelined(async (tx) => {
    await tx.query({ name: 'osg_audit_append', text: `INSERT INTO audit (${AUDIT.names.join(', ')}) VALUES (${AUDIT.params(1)})`, values: AUDIT.values(entry) });
  });
}

/** The audit log, last appended first, optionally for one member. */
export async function listAudit(db: Queryable, req: { memberId?: string; limit: number }): Promise<AuditEntry[]> {
  if (req.limit <= 0) return [];
  const { rows } =
    req.memberId === undefined
      ? await db.query({ name: 'osg_audit_list', text: 'SELECT * FROM audit ORDER BY n DESC LIMIT $1', values: [req.limit] })
      : await db.query({ name: 'osg_audit_member', text: 'SELECT * FROM audit WHERE member_id = $1 ORDER BY n DESC LIMIT $2', values: [req.memberId, req.limit] });
  return rows.map((row) => AUDIT.fromRow(row));
}
