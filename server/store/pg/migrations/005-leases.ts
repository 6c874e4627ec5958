import type { Queryable } from '../db.js';
import type { Migration } from './index.js';

/**
 * Leases (server/store/pg/lease.ts): work that must run on exactly one instance at a time, such as the
 * follow-up clock pass, is done by whichever instance holds the named lease. A table rather than an advisory
 * lock: it lives in the store's schema (two deployments in one database do not exclude each other) and needs
 * no connection held open for as long as the lease.
 */
export const leases: Migration = {
  version: 5,
  name: 'leases',
  async up(db: Queryable) {
    await db.query(`
      CREATE TABLE leases (
        name text COLLATE "C" PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
  },
};
