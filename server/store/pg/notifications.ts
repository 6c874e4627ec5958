import type { OfficerNotification } from '../../domain/follow-up/model.js';
import { col, Columns } from './columns.js';
import type { Queryable } from './db.js';
import { pipelined, type LaneOp } from './lanes.js';

/** Officers' notifications (escalations to supervisors): records without a seq, each for one officer. */

export const NOTIFICATIONS = new Columns<OfficerNotification>({
  id: col('id'),
  officerId: col('officer_id'),
  at: col('at'),
  kind: col('kind'),
  threadId: col('thread_id'),
  tracking: col('tracking'),
  site: col('site'),
  target: col('target'),
  read: col('read', 'boolean'),
});

const CASTS = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'boolean'];

// One array per column, so that a clock pass's escalations are one statement however many. An id stored
// already keeps what it has (a clock pass retried after an unanswered COMMIT writes the same ones again).
const ADD = {
  name: 'osg_notifications_add',
  text: `INSERT INTO notifications (${NOTIFICATIONS.names.join(', ')})
         SELECT * FROM unnest(${CASTS.map((cast, i) => `$${i + 1}::${cast}[]`).join(', ')})
         ON CONFLICT (id) DO NOTHING`,
};

export function addNotificationsOp(notifications: OfficerNotification[]): LaneOp<void> {
  const rows = notifications.map((n) => NOTIFICATIONS.values(n));
  const columns = NOTIFICATIONS.names.map((_, i) => rows.map((row) => row[i]));
  return pipelined(async (tx) => {
    await tx.query({ ...ADD, values: columns });
  });
}

export function markReadOp(req: { officerId: string; ids: string[] }): LaneOp<void> {
  return pipelined(async (tx) => {
    await tx.query({
      name: 'osg_notifications_read',
      text: 'UPDATE notifications SET read = true WHERE officer_id = $1 AND id = ANY($2::text[]) AND NOT read',
      values: [req.officerId, req.ids],
    });
  });
}

/** An officer's notifications, newest first (the later stored first among those of one instant). */
export async function listNotifications(db: Queryable, req: { officerId: string; limit: number }): Promise<OfficerNotification[]> {
  if (req.limit <= 0) return [];
  const { rows } = await db.query({
    name: 'osg_notifications_list',
    text: 'SELECT * FROM notifications WHERE officer_id = $1 ORDER BY at DESC, n DESC LIMIT $2',
    values: [req.officerId, req.limit],
  });
  return rows.map((row) => NOTIFICATIONS.fromRow(row));
}
