import { newGeneration } from '../generation.js';
import type { Queryable } from './db.js';

/**
 * The store generation on PostgreSQL (docs/STORAGE.md, PostgreSQL, "Store generation"). PostgreSQL
 * keeps every committed transaction across crashes, so the generation only changes when the database
 * itself is not the history it was:
 *
 * - `restored`: the generation row is not the one the store wrote (its xmin is not its `birth`): the
 *   database was loaded from a dump (pg_restore, psql, a data-only COPY), so it may be older than what
 *   clients saw;
 * - `timeline`: the server is on another WAL timeline than when the row was written: a point-in-time
 *   recovery or a promoted standby, which may lack the last commits;
 * - `missing`: the row is gone;
 * - `requested`: `npm run migrate -- --new-generation`, for what neither shows (a file-system snapshot of
 *   the whole cluster rolled back, a crash with fsync or synchronous_commit off).
 */

/** The current transaction's xid as `xmin` shows it on the rows it writes (the low 32 bits of the 64-bit id). */
export const BIRTH_XID = `(pg_current_xact_id()::text::bigint % 4294967296)::text`;

export type RenewReason = 'restored' | 'timeline' | 'missing' | 'requested';

interface GenerationRow {
  id: string;
  intact: boolean;
  timeline: string | null;
  now_timeline: string | null;
  read_only: boolean;
}

/**
 * The generation, first renewed when the database cannot vouch for the history it names; and whether
 * the database takes no writes (a standby, or transactions read-only by default).
 */
export async function verifiedGeneration(db: Queryable): Promise<{ id: string; renewed?: RenewReason; readOnly: boolean }> {
  const { rows } = await db.query<GenerationRow>(
    `SELECT id, birth = xmin::text AS intact, timeline, store_timeline() AS now_timeline, current_setting('transaction_read_only') = 'on' AS read_only
     FROM store_generation`,
  );
  const row = rows[0];
  // A read-only database can neither take writes nor renew anything: health reports it, and writes are refused.
  if (row?.read_only) return { id: row.id, readOnly: true };
  const reason: RenewReason | undefined = !row
    ? 'missing'
    : !row.intact
      ? 'restored'
      : row.timeline !== null && row.now_timeline !== null && row.timeline !== row.now_timeline
        ? 'timeline'
        : undefined;
  if (!reason) return { id: row.id, readOnly: false };
  const renewed = await renewGeneration(db, reason, row?.now_timeline ?? null);
  // Another instance may have renewed it first: then its id is the generation, and this one changed nothing.
  return renewed.changed ? { id: renewed.id, renewed: reason, readOnly: false } : { id: renewed.id, readOnly: false };
}

/**
 * Starts a new generation, recording `timeline` (the server's now, from `currentTimeline`). Unless
 * `reason` is `requested`, only while the row is still stale: of two instances noticing a restore
 * together, the second finds the first one's generation and keeps it.
 */
export async function renewGeneration(db: Queryable, reason: RenewReason, timeline: string | null): Promise<{ id: string; changed: boolean }> {
  const stale = 'WHERE g.birth IS DISTINCT FROM g.xmin::text OR (g.timeline IS NOT NULL AND $3::text IS NOT NULL AND g.timeline <> $3::text)';
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO store_generation AS g (id, birth, timeline, reason) VALUES ($1, ${BIRTH_XID}, $3::text, $2)
     ON CONFLICT (one) DO UPDATE SET id = excluded.id, birth = excluded.birth, timeline = excluded.timeline, reason = excluded.reason, since = now()
     ${reason === 'requested' ? '' : stale}
     RETURNING id`,
    [newGeneration(), reason, timeline],
  );
  if (rows[0]) return { id: rows[0].id, changed: true };
  const current = await db.query<{ id: string }>('SELECT id FROM store_generation');
  return { id: current.rows[0].id, changed: false };
}

/**
 * The server's WAL timeline (8 hex digits), or null where it cannot be read. Asked in a statement of its
 * own: the function catches errors in a subtransaction, which must not be the one that writes the row.
 */
export async function currentTimeline(db: Queryable): Promise<string | null> {
  const { rows } = await db.query<{ timeline: string | null }>('SELECT store_timeline() AS timeline');
  return rows[0].timeline;
}
