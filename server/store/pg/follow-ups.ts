import { isOpen, queueDueAt, type FollowUp, type NewFollowUp } from '../../domain/follow-up/model.js';
import { formatTracking, MAX_TRACKING_NUMBER, parseTracking } from '../../domain/follow-up/tracking.js';
import type { ChangeEvent, Thread } from '../../domain/model.js';
import { FOLLOW_UP_STATUSES, SLA_STATES, type SlaState } from '../../protocol.js';
import { jsonCopy } from '../record-patch.js';
import type { FollowUpCommit, FollowUpCounts, FollowUpCursor, FollowUpQuery, FollowUpUpdate } from '../store.js';
import { col, Columns, jsonCol } from './columns.js';
import { containsPattern, type Queryable } from './db.js';
import { nextSeqCte } from './events.js';
import { interactive, pipelined, type LaneOp } from './lanes.js';
import { getThreadRecord } from './threads.js';

/**
 * The officers' follow-ups (server/domain/follow-up/, docs/STORAGE.md "Follow-ups"). Opening and
 * changing one go through the thread's site lane: under the site's row lock, like every sequenced
 * change, so the thread's public `followUp` and its `thread.updated` event commit with the record, and
 * the writers of one site's follow-ups (on every instance) take turns. Beside the record, `due_at`
 * keeps queueDueAt(record), which the queue pages by.
 */

export const FOLLOW_UPS = new Columns<FollowUp>({
  threadId: col('thread_id'),
  site: col('site'),
  category: col('category'),
  tracking: col('tracking'),
  status: col('status'),
  reason: col('reason'),
  assigneeId: col('assignee_id'),
  createdAt: col('created_at'),
  updatedAt: col('updated_at'),
  firstResponseMinutes: col('first_response_minutes', 'integer'),
  resolutionMinutes: col('resolution_minutes', 'integer'),
  firstResponseDue: col('first_response_due'),
  resolutionDue: col('resolution_due'),
  firstRespondedAt: col('first_responded_at'),
  resolvedAt: col('resolved_at'),
  autoCloseAt: col('auto_close_at'),
  autoCloseWorkingDays: col('auto_close_working_days', 'integer'),
  closedAt: col('closed_at'),
  pausedAt: col('paused_at'),
  pausedWorkingMinutes: col('paused_working_minutes', 'double precision'),
  slaState: col('sla_state'),
  version: col('version', 'integer'),
  history: jsonCol('history'),
});

/** The part every thread read shows. */
const publicPart = (followUp: FollowUp): NonNullable<Thread['followUp']> => ({ tracking: followUp.tracking, status: followUp.status });

// The counter's next number. The row stays locked until COMMIT: a second opening for the same prefix and
// year (another site lane, another instance) waits for it, then counts on from what it committed. Past the
// last number nothing is updated and no row comes back.
const NEXT_TRACKING = {
  name: 'osg_tracking_next',
  text: `INSERT INTO tracking_counters AS c (prefix, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (prefix, year) DO UPDATE SET last = c.last + 1 WHERE c.last < $3
         RETURNING last`,
};

// Parameters of OPEN and SAVE: $1 site, $2 time, $3 the event's change, $4 the thread's new public part
// (NULL in SAVE when it stays: then no seq is taken and no event written), $5 due_at, then (SAVE) $6 the
// expected version, then the follow-up's columns (the first is its thread id).
const OPEN_PARAMS = 5;
const OPEN = {
  name: 'osg_follow_up_open',
  text: `WITH ${nextSeqCte(1)}, f AS (
           INSERT INTO follow_ups (${FOLLOW_UPS.names.join(', ')}, due_at) VALUES (${FOLLOW_UPS.params(OPEN_PARAMS + 1)}, $5::timestamptz)
         ), u AS (
           UPDATE threads SET follow_up = $4::jsonb WHERE id = $${OPEN_PARAMS + 1}
         ), e AS (
           INSERT INTO events (site, seq, at, change) SELECT $1, s.seq, $2, $3::jsonb FROM s
         )
         SELECT seq FROM s`,
};

const SAVE_PARAMS = 6;
const SAVE = {
  name: 'osg_follow_up_save',
  text: `WITH ${nextSeqCte(1, '$4::jsonb IS NOT NULL')}, f AS (
           UPDATE follow_ups SET (${FOLLOW_UPS.names.join(', ')}, due_at) = ROW(${FOLLOW_UPS.params(SAVE_PARAMS + 1)}, $5::timestamptz)
           WHERE thread_id = $${SAVE_PARAMS + 1} AND version = $6 RETURNING 1
         ), u AS (
           UPDATE threads SET follow_up = $4::jsonb WHERE id = $${SAVE_PARAMS + 1} AND EXISTS (SELECT FROM s)
         ), e AS (
           INSERT INTO events (site, seq, at, change) SELECT $1, s.seq, $2, $3::jsonb FROM s
         )
         SELECT (SELECT count(*) FROM f)::int AS saved, (SELECT seq FROM s) AS seq`,
};

/**
 * Numbers and writes the thread's follow-up, sets the thread's public part, as one thread.updated change;
 * a thread that has one already gets it back (`created: false`) and the counter does not move. Undefined
 * for no such thread.
 */
export function openFollowUpOp(req: { followUp: NewFollowUp; prefix: string; year: number }): LaneOp<FollowUpCommit | undefined> {
  return interactive(async (tx, batch) => {
    const input = jsonCopy(req.followUp);
    // Refuses a prefix or year no tracking number can have before anything is written.
    formatTracking(req.prefix, req.year, 1);
    const thread = await getThreadRecord(tx, input.threadId);
    if (!thread) return undefined;
    batch.assertSite(thread.site, `thread ${thread.id}`);
    if (input.site !== thread.site) throw new Error(`follow-up for thread ${thread.id} names site ${input.site}, the thread is on ${thread.site}`);
    const existing = await getFollowUp(tx, thread.id);
    if (existing) return { followUp: existing, created: false };
    const counted = await tx.query<{ last: number }>({ ...NEXT_TRACKING, values: [req.prefix, req.year, MAX_TRACKING_NUMBER] });
    if (!counted.rows[0]) throw new Error(`every tracking number of ${req.prefix}-${req.year} has been given (${MAX_TRACKING_NUMBER})`);
    const followUp: FollowUp = { ...input, tracking: formatTracking(req.prefix, req.year, counted.rows[0].last) };
    const updated: Thread = { ...thread, followUp: publicPart(followUp) };
    const change = { kind: 'thread.updated' as const, thread: updated };
    const at = followUp.createdAt;
    const { rows } = await tx.query<{ seq: number }>({
      ...OPEN,
      values: [thread.site, at, JSON.stringify(change), JSON.stringify(updated.followUp), queueDueAt(followUp), ...FOLLOW_UPS.values(followUp)],
    });
    const event: ChangeEvent = { site: thread.site, seq: rows[0].seq, at, change };
    batch.announce(event);
    return { followUp: jsonCopy(followUp), created: true, event };
  });
}

/**
 * Compare-and-set: writes the follow-up when the stored one has the expected version. When its tracking
 * number or status changed, the thread's public part changes with it as one thread.updated change.
 */
export function updateFollowUpOp(req: { followUp: FollowUp; expectedVersion: number }): LaneOp<FollowUpUpdate> {
  return interactive(async (tx, batch) => {
    const next = jsonCopy(req.followUp);
    // FOR UPDATE: the SLA sweep (the only writer outside the site lane) waits until this commits.
    const current = await getFollowUp(tx, next.threadId, true);
    if (!current || current.version !== req.expectedVersion) return { ok: false, current };
    batch.assertSite(current.site, `follow-up of thread ${current.threadId}`);
    if (next.site !== current.site) throw new Error(`follow-up of thread ${current.threadId} is on site ${current.site}, not ${next.site}`);
    const thread = current.tracking === next.tracking && current.status === next.status ? undefined : await getThreadRecord(tx, next.threadId);
    const change = thread && { kind: 'thread.updated' as const, thread: { ...thread, followUp: publicPart(next) } };
    const at = next.updatedAt;
    const { rows } = await tx.query<{ saved: number; seq: number | null }>({
      ...SAVE,
      values: [
        current.site,
        at,
        change ? JSON.stringify(change) : null,
        change ? JSON.stringify(change.thread.followUp) : null,
        queueDueAt(next),
        req.expectedVersion,
        ...FOLLOW_UPS.values(next),
      ],
    });
    // Cannot happen under the row lock; said rather than assumed.
    if (rows[0].saved !== 1) throw new Error(`follow-up of thread ${current.threadId} changed while locked`);
    if (!change || rows[0].seq === null) return { ok: true, followUp: jsonCopy(next) };
    const event: ChangeEvent = { site: current.site, seq: rows[0].seq, at, change };
    batch.announce(event);
    return { ok: true, followUp: jsonCopy(next), event };
  });
}

// Rows are locked in thread id order, so that two sweeps (two instances) never wait on each other in a
// circle; rows whose state is already right are neither locked nor written.
const SET_SLA = {
  name: 'osg_follow_up_sla',
  text: `WITH c AS (
           SELECT * FROM unnest($1::text[], $2::text[]) AS c (thread_id, sla_state)
         ), l AS (
           SELECT f.thread_id FROM follow_ups f JOIN c ON c.thread_id = f.thread_id
           WHERE f.sla_state <> c.sla_state ORDER BY f.thread_id FOR UPDATE OF f
         )
         UPDATE follow_ups f SET sla_state = c.sla_state FROM c
         WHERE f.thread_id = c.thread_id AND f.thread_id IN (SELECT thread_id FROM l)`,
};

/** Stores recomputed SLA states; versions stay. Unknown thread ids are skipped. */
export function setSlaStatesOp(changes: Array<{ threadId: string; slaState: SlaState }>): LaneOp<void> {
  // The last change of a thread wins, as if applied one by one.
  const byThread = new Map(changes.map((c) => [c.threadId, c.slaState]));
  return pipelined(async (tx) => {
    await tx.query({ ...SET_SLA, values: [[...byThread.keys()], [...byThread.values()]] });
  });
}

export async function getFollowUp(db: Queryable, threadId: string, lock = false): Promise<FollowUp | undefined> {
  const { rows } = await db.query(
    lock
      ? { name: 'osg_follow_up_lock', text: 'SELECT * FROM follow_ups WHERE thread_id = $1 FOR UPDATE', values: [threadId] }
      : { name: 'osg_follow_up_get', text: 'SELECT * FROM follow_ups WHERE thread_id = $1', values: [threadId] },
  );
  return rows[0] && FOLLOW_UPS.fromRow(rows[0]);
}

export async function getFollowUps(db: Queryable, threadIds: string[]): Promise<FollowUp[]> {
  if (threadIds.length === 0) return [];
  const { rows } = await db.query({ name: 'osg_follow_ups_get', text: 'SELECT * FROM follow_ups WHERE thread_id = ANY($1::text[])', values: [threadIds] });
  return rows.map((row) => FOLLOW_UPS.fromRow(row));
}

/** Every follow-up that is not closed (`ditutup`): its clocks or its auto-close can still change. */
export async function activeFollowUps(db: Queryable): Promise<FollowUp[]> {
  const { rows } = await db.query({ name: 'osg_follow_ups_active', text: `SELECT * FROM follow_ups WHERE status <> 'ditutup' ORDER BY thread_id` });
  return rows.map((row) => FOLLOW_UPS.fromRow(row));
}

/**
 * A page of the queue, soonest due first, then by thread id. Each site (and each status or SLA state
 * asked for) is read from its own index range in due order, at most a page from each, and the ranges are
 * merged: a page costs about `limit` rows per range however long the queue is.
 */
export async function queryFollowUps(db: Queryable, req: FollowUpQuery): Promise<{ followUps: FollowUp[]; next?: FollowUpCursor }> {
  if (req.limit <= 0 || req.sites.length === 0) return { followUps: [] };
  const values: unknown[] = [];
  const param = (value: unknown, cast = '') => `$${values.push(value)}${cast}`;
  const ranges = [`unnest(${param([...new Set(req.sites)], '::text[]')}) AS k (site)`];
  const where = ['f.site = k.site'];
  // An empty list filters nothing, as in the other stores.
  if (req.statuses?.length) {
    ranges.push(`unnest(${param([...new Set(req.statuses)], '::text[]')}) AS st (status)`);
    where.push('f.status = st.status');
  }
  if (req.slaStates?.length) {
    ranges.push(`unnest(${param([...new Set(req.slaStates)], '::text[]')}) AS sl (sla_state)`);
    where.push('f.sla_state = sl.sla_state');
  }
  if (req.categories?.length) where.push(`f.category = ANY(${param(req.categories, '::text[]')})`);
  if (req.assignee === 'none') where.push('f.assignee_id IS NULL');
  else if (req.assignee) where.push(`f.assignee_id = ${param(req.assignee.id)}`);
  const words = (req.words ?? []).filter((word) => word.length > 0);
  let join = '';
  if (words.length > 0) {
    // Every word in the title or body (as listThreads searches), or the whole query one tracking number.
    join = 'JOIN threads t ON t.id = f.thread_id';
    const text = words.map((word) => `(t.title || E'\\n' || t.body) ILIKE ${param(containsPattern(word))}`).join(' AND ');
    const tracking = parseTracking(words.join(' '));
    where.push(tracking ? `((${text}) OR f.tracking = ${param(formatTracking(tracking.prefix, tracking.year, tracking.number))})` : `(${text})`);
  }
  if (req.after) where.push(`(f.due_at, f.thread_id) > (${param(req.after.dueAt, '::timestamptz')}, ${param(req.after.threadId)})`);
  const limit = param(req.limit + 1);
  const { rows } = await db.query(
    `SELECT r.* FROM ${ranges.join(' CROSS JOIN ')}
     CROSS JOIN LATERAL (
       SELECT f.* FROM follow_ups f ${join} WHERE ${where.join(' AND ')} ORDER BY f.due_at, f.thread_id LIMIT ${limit}
     ) r
     ORDER BY r.due_at, r.thread_id LIMIT ${limit}`,
    values,
  );
  const followUps = rows.slice(0, req.limit).map((row) => FOLLOW_UPS.fromRow(row));
  if (rows.length <= req.limit) return { followUps };
  const last = followUps[followUps.length - 1];
  return { followUps, next: { dueAt: queueDueAt(last), threadId: last.threadId } };
}

/** Follow-ups of these sites per status, and per SLA state among the open ones; read from the status index alone. */
export async function countFollowUps(db: Queryable, sites: string[]): Promise<FollowUpCounts> {
  const counts: FollowUpCounts = {
    byStatus: Object.fromEntries(FOLLOW_UP_STATUSES.map((s) => [s, 0])) as FollowUpCounts['byStatus'],
    bySla: Object.fromEntries(SLA_STATES.map((s) => [s, 0])) as FollowUpCounts['bySla'],
  };
  if (sites.length === 0) return counts;
  const { rows } = await db.query<{ status: FollowUp['status']; sla_state: SlaState; n: number }>({
    name: 'osg_follow_ups_count',
    text: 'SELECT status, sla_state, count(*)::int AS n FROM follow_ups WHERE site = ANY($1::text[]) GROUP BY status, sla_state',
    values: [sites],
  });
  for (const { status, sla_state: sla, n } of rows) {
    counts.byStatus[status] += n;
    if (isOpen({ status })) counts.bySla[sla] += n;
  }
  return counts;
}
