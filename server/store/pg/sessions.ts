import type { OfficerSession } from '../../domain/model.js';
import type { SessionEndReason } from '../../protocol.js';
import { col, Columns } from './columns.js';
import type { Queryable } from './db.js';
import { pipelined, type LaneOp } from './lanes.js';

/**
 * Officer sessions (server/domain/officer-sessions.ts). Every officer request reads its session here, so
 * an ended session is ended for every instance at once; nothing is cached. The same rules as the JSON
 * store (officer-session-state.ts): activity only moves forward, an ended session stays ended, and each
 * new session drops those that expired by its creation time.
 */

export const SESSIONS = new Columns<OfficerSession>({
  id: col('id'),
  officerId: col('officer_id'),
  username: col('username'),
  credential: col('credential'),
  createdAt: col('created_at'),
  expiresAt: col('expires_at'),
  lastSeenAt: col('last_seen_at'),
  endedAt: col('ended_at'),
  endReason: col('end_reason'),
});

/**
 * The advisory lock class of one officer's sessions (the key's other half is a hash of the officer id;
 * a shared hash only makes two officers take turns). Held by a new session that ends the others, and by
 * ending them all: the second of two racing sign-ins waits, then sees the first one's session and ends it.
 * (Without it, each would end only what was committed when its statement started, and both survive.)
 */
const OFFICER_LOCK = 0x05c0_5e55;

function lockOfficer(tx: Queryable, officerId: string): void {
  tx.query({ name: 'osg_officer_lock', text: 'SELECT pg_advisory_xact_lock($1, hashtext($2))', values: [OFFICER_LOCK, officerId] }).catch(() => {});
}

// $1 is the new session's id in each: when it exists already, nothing is written (and create throws).
const PRUNE = {
  name: 'osg_sessions_prune',
  // Best effort: a session another transaction holds is dropped next time, rather than waited for.
  text: `DELETE FROM officer_sessions WHERE id IN (
           SELECT id FROM officer_sessions WHERE expires_at <= $2 AND NOT EXISTS (SELECT FROM officer_sessions WHERE id = $1) FOR UPDATE SKIP LOCKED
         )`,
};
const END_OTHERS = {
  name: 'osg_sessions_replace',
  text: `UPDATE officer_sessions SET ended_at = $2, end_reason = 'replaced'
         WHERE officer_id = $3 AND ended_at IS NULL AND NOT EXISTS (SELECT FROM officer_sessions WHERE id = $1)`,
};
const CREATE = {
  name: 'osg_session_create',
  text: `INSERT INTO officer_sessions (${SESSIONS.names.join(', ')}) VALUES (${SESSIONS.params(1)}) ON CONFLICT (id) DO NOTHING RETURNING *`,
};

/** A new session; with `endOthers` the officer's other live sessions end in the same transaction (reason `replaced`). */
export function createSessionOp(session: OfficerSession, endOthers: boolean): LaneOp<OfficerSession> {
  return pipelined(async (tx) => {
    if (endOthers) lockOfficer(tx, session.officerId);
    tx.query({ ...PRUNE, values: [session.id, session.createdAt] }).catch(() => {});
    if (endOthers) tx.query({ ...END_OTHERS, values: [session.id, session.createdAt, session.officerId] }).catch(() => {});
    const { rows } = await tx.query({ ...CREATE, values: SESSIONS.values(session) });
    if (!rows[0]) throw new Error(`officer session ${session.id} already exists`);
    return SESSIONS.fromRow(rows[0]);
  });
}

export function touchSessionOp(req: { id: string; at: string }): LaneOp<void> {
  return pipelined(async (tx) => {
    await tx.query({
      name: 'osg_session_touch',
      text: 'UPDATE officer_sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL AND last_seen_at < $2',
      values: [req.id, req.at],
    });
  });
}

export function endSessionOp(req: { id: string; at: string; reason: SessionEndReason }): LaneOp<void> {
  return pipelined(async (tx) => {
    await tx.query({
      name: 'osg_session_end',
      text: 'UPDATE officer_sessions SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL',
      values: [req.id, req.at, req.reason],
    });
  });
}

export function endSessionsOfOp(req: { officerId: string; at: string; reason: SessionEndReason }): LaneOp<void> {
  return pipelined(async (tx) => {
    lockOfficer(tx, req.officerId);
    await tx.query({
      name: 'osg_sessions_end_all',
      text: 'UPDATE officer_sessions SET ended_at = $2, end_reason = $3 WHERE officer_id = $1 AND ended_at IS NULL',
      values: [req.officerId, req.at, req.reason],
    });
  });
}

export async function getSession(db: Queryable, id: string): Promise<OfficerSession | undefined> {
  const { rows } = await db.query({ name: 'osg_session_get', text: 'SELECT * FROM officer_sessions WHERE id = $1', values: [id] });
  return rows[0] && SESSIONS.fromRow(rows[0]);
}
