import type { MemberPatch, Visitor } from '../../domain/model.js';
import { applyMemberPatch, copyVisitor, patchRecord } from '../memory-records.js';
import { jsonCopy } from '../record-patch.js';
import type { AuthorUpdate } from '../store.js';
import { col, Columns, jsonCol } from './columns.js';
import type { Queryable } from './db.js';
import { pipelined, type Batch, type LaneOp, type MemberLocks } from './lanes.js';

export const VISITORS = new Columns<Visitor>({
  id: col('id'),
  name: col('name'),
  createdAt: col('created_at'),
  updatedAt: col('updated_at'),
  role: col('role'),
  username: col('username'),
  profile: jsonCol('profile'),
  verified: jsonCol('verified'),
  reputation: col('reputation', 'double precision'),
  stats: jsonCol('stats'),
  lastActiveAt: col('last_active_at'),
  activeDays: col('active_days', 'text[]'),
});

export function createVisitorOp(visitor: Visitor): LaneOp<Visitor> {
  return pipelined(async (tx) => {
    const { rows } = await tx.query({
      name: 'osg_visitor_create',
      text: `INSERT INTO visitors (${VISITORS.names.join(', ')}) VALUES (${VISITORS.params(1)}) ON CONFLICT (id) DO NOTHING RETURNING *`,
      values: VISITORS.values(visitor),
    });
    if (!rows[0]) throw new Error(`visitor ${visitor.id} already exists`);
    return VISITORS.fromRow(rows[0]);
  });
}

export function renameVisitorOp(req: { id: string; name: string; at: string }): LaneOp<Visitor | undefined> {
  return pipelined(async (tx) => {
    const { rows } = await tx.query({
      name: 'osg_visitor_rename',
      text: 'UPDATE visitors SET name = $2, updated_at = $3 WHERE id = $1 RETURNING *',
      values: [req.id, req.name, req.at],
    });
    return rows[0] && VISITORS.fromRow(rows[0]);
  }, { ids: [req.id] });
}

/** Sets the patch's fields; a key present with `undefined` or `null` clears that field. id and createdAt never change. */
export function updateMemberOp(req: { id: string; patch: MemberPatch }): LaneOp<Visitor | undefined> {
  const values: unknown[] = [req.id];
  const sets: string[] = [];
  for (const [field, value] of Object.entries(req.patch) as Array<[keyof Visitor, unknown]>) {
    if (field === 'id' || field === 'createdAt') continue;
    const column = VISITORS.column(field);
    sets.push(`${column.name} = $${values.push(VISITORS.encode(field, value === undefined ? null : jsonCopy(value)))}${column.cast ? `::${column.cast}` : ''}`);
  }
  return pipelined(async (tx) => {
    if (sets.length === 0) return getVisitor(tx, req.id);
    const { rows } = await tx.query(`UPDATE visitors SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, values);
    return rows[0] && VISITORS.fromRow(rows[0]);
  }, { ids: [req.id] });
}

/**
 * Locks these members' rows for the transaction and reads them. In id order, as every transaction
 * locks members (lanes.ts): none waits for one that waits for it.
 */
export async function lockMembers(tx: Queryable, ids: string[]): Promise<Map<string, Visitor>> {
  const { rows } = await tx.query({ name: 'osg_visitors_lock', text: 'SELECT * FROM visitors WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', values: [ids] });
  return new Map(rows.map((row) => [row.id as string, VISITORS.fromRow(row)]));
}

/** The lock a new thread or answer with an author update takes: the author's row, which it reads. */
export function authorLock(authorId: string, update: AuthorUpdate | undefined): MemberLocks | undefined {
  return update && { ids: [authorId], reads: true };
}

/**
 * The author as `update` leaves them, worked out from their row as this transaction locked it (so
 * their earlier posts, committed before, are counted); undefined when unknown or left unchanged.
 */
export function updatedAuthor(batch: Batch, authorId: string, update: AuthorUpdate | undefined): Visitor | undefined {
  const current = update && batch.members.get(authorId);
  const patch = current && update!(copyVisitor(current));
  return patch ? applyMemberPatch(current!, patchRecord(patch)) : undefined;
}

/**
 * The CTE `m` that writes a member's whole row from parameters `$first…` when `when` holds: the
 * author of a new post, in the post's statement, only when the post is written. The row is locked
 * by the transaction (lockMembers), so nothing else changed it since it was read.
 */
export function saveMemberCte(first: number, idParam: number, when: string): string {
  return `m AS (UPDATE visitors SET (${VISITORS.names.join(', ')}) = ROW(${VISITORS.params(first)}) WHERE id = $${idParam} AND ${when})`;
}

export async function getVisitor(db: Queryable, id: string): Promise<Visitor | undefined> {
  const { rows } = await db.query({ name: 'osg_visitor_get', text: 'SELECT * FROM visitors WHERE id = $1', values: [id] });
  return rows[0] && VISITORS.fromRow(rows[0]);
}

export async function getMembers(db: Queryable, ids: string[]): Promise<Visitor[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query({ name: 'osg_visitors_get', text: 'SELECT * FROM visitors WHERE id = ANY($1::text[])', values: [[...new Set(ids)]] });
  return rows.map((row) => VISITORS.fromRow(row));
}

export async function findMemberByUsername(db: Queryable, username: string): Promise<Visitor | undefined> {
  const { rows } = await db.query({ name: 'osg_visitor_by_username', text: 'SELECT * FROM visitors WHERE username = $1', values: [username] });
  return rows[0] && VISITORS.fromRow(rows[0]);
}
