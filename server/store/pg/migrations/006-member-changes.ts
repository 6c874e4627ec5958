import type { Queryable } from '../db.js';
import type { Migration } from './index.js';

/**
 * The member change log (server/store/pg/member-changes.ts): per site, the seq at which each member's public
 * summary last changed, so that a client resuming on any instance, or after a restart, is sent the `member`
 * frames it missed instead of being told to reload.
 */
export const memberChanges: Migration = {
  version: 6,
  name: 'member changes',
  async up(db: Queryable) {
    await db.query(`
      CREATE TABLE member_changes (
        site text COLLATE "C" NOT NULL,
        member_id text COLLATE "C" NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (site, member_id)
      );
      CREATE INDEX member_changes_since ON member_changes (site, seq)`);
  },
};
