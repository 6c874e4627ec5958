import type { ChangeEvent } from '../../domain/model.js';
import type { Queryable } from './db.js';

/**
 * Per-site sequence numbers and the retained events. `site_seq` holds each site's latest seq; the
 * `events` table holds the last `eventRetention` events of each site, contiguous, so that
 * `eventsSince` works across restarts and across instances.
 */

/** Locks the site's counter row for the transaction, creating it at 0 for a new site. */
export async function lockSite(tx: Queryable, site: string): Promise<void> {
  await tx.query({
    name: 'osg_site_lock',
    text: 'INSERT INTO site_seq AS s (site, seq) VALUES ($1, 0) ON CONFLICT (site) DO UPDATE SET seq = s.seq',
    values: [site],
  });
}

/**
 * The CTE `s` that takes the site's next seq (the site is parameter `$site`): for a statement that
 * writes one change. With `when`, only if that condition holds (so a write that turns out to be a
 * no-op uses no number).
 */
export function nextSeqCte(site: number, when?: string): string {
  return `s AS (UPDATE site_seq SET seq = seq + 1 WHERE site = $${site}${when ? ` AND ${when}` : ''} RETURNING seq)`;
}

/** Drops the site's events that fell out of the retention window. */
export async function pruneEvents(tx: Queryable, site: string, retention: number): Promise<void> {
  await tx.query({
    name: 'osg_events_prune',
    text: 'DELETE FROM events WHERE site = $1 AND seq <= (SELECT seq FROM site_seq WHERE site = $1) - $2::bigint',
    values: [site, Math.max(retention, 0)],
  });
}

export async function currentSeq(db: Queryable, site: string): Promise<number> {
  const { rows } = await db.query<{ seq: number }>({ name: 'osg_site_seq', text: 'SELECT seq FROM site_seq WHERE site = $1', values: [site] });
  return rows[0]?.seq ?? 0;
}

/**
 * The site's events after `afterSeq`, at most `limit`; undefined when the first of them is no longer
 * retained. One statement, so the latest seq and the events come from the same snapshot.
 */
export async function eventsSince(db: Queryable, req: { site: string; afterSeq: number; limit: number }): Promise<ChangeEvent[] | undefined> {
  const afterSeq = Math.max(req.afterSeq, 0);
  const { rows } = await db.query<{ current: number; seq: number | null; at: string | null; change: ChangeEvent['change'] | null }>({
    name: 'osg_events_since',
    text: `SELECT s.seq AS current, e.seq, e.at, e.change
           FROM site_seq s
           LEFT JOIN LATERAL (SELECT seq, at, change FROM events WHERE site = $1 AND seq > $2 ORDER BY seq LIMIT $3) e ON true
           WHERE s.site = $1
           ORDER BY e.seq`,
    values: [req.site, afterSeq, Math.max(req.limit, 0)],
  });
  const current = rows[0]?.current ?? 0;
  if (afterSeq >= current || req.limit <= 0) return [];
  const events = rows.filter((r) => r.seq !== null).map((r) => ({ site: req.site, seq: r.seq!, at: r.at!, change: r.change! }));
  if (events[0]?.seq !== afterSeq + 1) return undefined;
  return events;
}
