import type pg from 'pg';
import type { SnapshotData } from '../snapshot-format.js';
import type { Columns } from './columns.js';
import { quoteIdent, type Queryable } from './db.js';
import { queueDueAt, type FollowUp } from '../../domain/follow-up/model.js';
import { FOLLOW_UPS } from './follow-ups.js';
import { VISITORS } from './members.js';
import { NOTIFICATIONS } from './notifications.js';
import { POSTS } from './posts.js';
import { SESSIONS } from './sessions.js';
import { THREADS } from './threads.js';
import { AUDIT, FLAGS, REQUESTS } from './trust.js';
import { VOTES } from './votes.js';

/**
 * Copies a whole store, as a JSON store exports it (`JsonStore.exportData`, the snapshot shape), into an
 * empty PostgreSQL schema: `npm run migrate-store` (server/cli/migrate-store.ts, docs/SCALING.md). One
 * transaction: a failure leaves the database as empty as it was. Ids, times, sequence numbers and the
 * retained events are kept exactly, so every public response reads the same on both stores.
 */

/** How many rows of each kind were copied, checked against the source after the copy. */
export type ImportCounts = Record<(typeof TABLES)[number]['table'] | 'follow_ups' | 'tracking_counters', number>;

interface TableCopy<T> {
  table: string;
  columns: Columns<T>;
  rows: (data: SnapshotData) => T[];
}

function table<T>(copy: TableCopy<T>): TableCopy<unknown> {
  return copy as TableCopy<unknown>;
}

/**
 * In the order foreign keys need (votes and flags reference posts). Flags, verification requests and the
 * audit log number their rows in insertion order (an identity column) and are read in that order: they
 * are inserted in the order the JSON store kept them.
 */
const TABLES = [
  table({ table: 'visitors', columns: VISITORS, rows: (d) => d.visitors }),
  table({ table: 'threads', columns: THREADS, rows: (d) => d.threads }),
  table({ table: 'posts', columns: POSTS, rows: (d) => d.posts }),
  table({ table: 'votes', columns: VOTES, rows: (d) => d.votes }),
  table({ table: 'flags', columns: FLAGS, rows: (d) => d.flags }),
  table({ table: 'verification_requests', columns: REQUESTS, rows: (d) => d.verificationRequests }),
  table({ table: 'audit', columns: AUDIT, rows: (d) => d.audit }),
  table({ table: 'officer_sessions', columns: SESSIONS, rows: (d) => d.officerSessions ?? [] }),
  table({ table: 'notifications', columns: NOTIFICATIONS, rows: (d) => d.notifications ?? [] }),
] as const;

/** Tables that must be empty before a copy: anything a server on this database would have written. */
const MUST_BE_EMPTY = [...TABLES.map((t) => t.table), 'follow_ups', 'tracking_counters', 'site_seq', 'events', 'client_keys'];

/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMS = 60_000;

export class TargetNotEmptyError extends Error {
  constructor(readonly found: Record<string, number>) {
    const what = Object.entries(found)
      .map(([name, n]) => `${n} ${name}`)
      .join(', ');
    super(`the target database already holds data (${what}); migrate-store copies only into an empty database, so nothing was written`);
    this.name = 'TargetNotEmptyError';
  }
}

/** Thrown when the copy, read back inside its transaction, differs from the source; nothing is committed. */
export class ImportCheckError extends Error {
  constructor(readonly problems: string[]) {
    super(`the copy did not match the source, so nothing was committed: ${problems.join('; ')}`);
    this.name = 'ImportCheckError';
  }
}

/**
 * Copies `data` into the (migrated) schema `pool` uses, checks row counts, per-site sequence numbers and
 * the retained events inside the same transaction, and commits only if all match.
 */
export async function importSnapshot(pool: pg.Pool, data: SnapshotData): Promise<{ counts: ImportCounts; sites: Record<string, number>; events: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Keeps a server that starts meanwhile on the same database from writing between the check and the copy.
    await client.query(`LOCK TABLE ${MUST_BE_EMPTY.map(quoteIdent).join(', ')} IN EXCLUSIVE MODE`);
    const found: Record<string, number> = {};
    for (const name of MUST_BE_EMPTY) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(name)}`);
      if (rows[0].n > 0) found[name] = rows[0].n;
    }
    if (Object.keys(found).length > 0) throw new TargetNotEmptyError(found);

    const counts = {} as ImportCounts;
    for (const copy of TABLES) {
      const rows = copy.rows(data);
      await insertRows(client, copy.table, copy.columns.names, rows.map((r) => copy.columns.values(r as never)));
      counts[copy.table as keyof ImportCounts] = rows.length;
    }
    // Follow-ups after their threads (foreign key), with the queue's sort key beside each record.
    const followUps: FollowUp[] = data.followUps ?? [];
    await insertRows(client, 'follow_ups', [...FOLLOW_UPS.names, 'due_at'], followUps.map((f) => [...FOLLOW_UPS.values(f), queueDueAt(f)]));
    counts.follow_ups = followUps.length;
    // `PREFIX-YYYY` → last number given: numbering goes on after the copied tracking numbers.
    const counters = Object.entries(data.trackingCounters ?? {}).map(([key, last]) => {
      const cut = key.lastIndexOf('-');
      return [key.slice(0, cut), Number(key.slice(cut + 1)), last];
    });
    await insertRows(client, 'tracking_counters', ['prefix', 'year', 'last'], counters);
    counts.tracking_counters = counters.length;
    // (author, clientId) → the thread or post it made: what makes a retry after the move idempotent.
    await insertRows(client, 'client_keys', ['author_id', 'client_id', 'thread_id', 'post_id'], [
      ...data.threads.map((t) => [t.authorId, t.clientId, t.id, null]),
      ...data.posts.map((p) => [p.authorId, p.clientId, null, p.id]),
    ]);
    const sites = { ...data.seqs };
    await insertRows(client, 'site_seq', ['site', 'seq'], Object.entries(sites));
    const events = Object.values(data.events).flat();
    await insertRows(client, 'events', ['site', 'seq', 'at', 'change'], events.map((e) => [e.site, e.seq, e.at, JSON.stringify(e.change)]));

    const problems = await check(client, counts, sites, events.length);
    if (problems.length > 0) throw new ImportCheckError(problems);
    await client.query('COMMIT');
    return { counts, sites, events: events.length };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

async function insertRows(db: Queryable, name: string, columns: string[], rows: unknown[][]): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((value) => (values.push(value), `$${values.length}`)).join(', ')})`);
    await db.query(`INSERT INTO ${quoteIdent(name)} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }
}

/** Reads the copy back: counts per table, each site's seq, and that no record's seq is above its site's. */
async function check(db: Queryable, counts: ImportCounts, sites: Record<string, number>, events: number): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, expected] of Object.entries({ ...counts, events })) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(name)}`);
    if (rows[0].n !== expected) problems.push(`${name}: ${rows[0].n} copied, ${expected} in the source`);
  }
  const { rows: seqs } = await db.query<{ site: string; seq: number }>('SELECT site, seq FROM site_seq');
  const copied = Object.fromEntries(seqs.map((r) => [r.site, r.seq]));
  for (const [site, seq] of Object.entries(sites)) {
    if (copied[site] !== seq) problems.push(`site ${site}: seq ${copied[site]} copied, ${seq} in the source`);
  }
  const { rows: above } = await db.query<{ site: string; seq: number }>(`
    SELECT x.site, max(x.seq)::bigint AS seq FROM (
      SELECT site, seq FROM threads UNION ALL SELECT site, seq FROM posts UNION ALL SELECT site, seq FROM events
    ) x LEFT JOIN site_seq s ON s.site = x.site
    WHERE s.seq IS NULL OR x.seq > s.seq GROUP BY x.site`);
  for (const r of above) problems.push(`site ${r.site}: a record has seq ${r.seq}, above the site's counter`);
  return problems;
}
