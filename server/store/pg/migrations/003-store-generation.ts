import { newGeneration } from '../../generation.js';
import type { Queryable } from '../db.js';
import { BIRTH_XID, currentTimeline } from '../generation.js';
import type { Migration } from './index.js';

/**
 * The store generation (docs/STORAGE.md, "Store generation" under PostgreSQL): one row, created with a
 * new id, so a new database is a new history. `birth` is the row's own xmin as written by the store: a
 * restore (pg_restore, psql, COPY, a data-only load) writes the row anew with another xmin, which the
 * store notices. `timeline` is the server's WAL timeline then: a point-in-time recovery or a promoted
 * standby moves to a new one.
 */
export const storeGeneration: Migration = {
  version: 3,
  name: 'store generation',
  async up(db: Queryable) {
    await db.query(`
      CREATE TABLE store_generation (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        id text NOT NULL,
        birth text NOT NULL,
        timeline text,
        reason text NOT NULL,
        since timestamptz NOT NULL DEFAULT now()
      );
      -- The current WAL timeline, or NULL where it cannot be read (a standby; a service without WAL
      -- functions): then only the birth check applies.
      CREATE FUNCTION store_timeline() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        RETURN substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8);
      EXCEPTION WHEN OTHERS THEN
        RETURN NULL;
      END $$;
    `);
    const timeline = await currentTimeline(db);
    await db.query(`INSERT INTO store_generation (id, birth, timeline, reason) VALUES ($1, ${BIRTH_XID}, $2, 'new database')`, [newGeneration(), timeline]);
  },
};
