import type { MemberPatch, Visitor } from '../../domain/model.js';
import { jsonCopy } from '../record-patch.js';
import { col, Columns, jsonCol } from './columns.js';
import type { Queryable } from './db.js';
import { pipelined, type LaneOp } from './lanes.js';

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
  });
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
  });
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
