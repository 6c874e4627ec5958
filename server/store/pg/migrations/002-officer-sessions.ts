import type { Queryable } from '../db.js';
import type { Migration } from './index.js';

/**
 * Officer sessions (server/domain/officer-sessions.ts): one row per sign-in, kept until it expires. Read on
 * every officer request, so a sign-out or a revocation holds on every instance at once.
 */
export const officerSessions: Migration = {
  version: 2,
  name: 'officer sessions',
  async up(db: Queryable) {
    await db.query(`
      CREATE TABLE officer_sessions (
        id text COLLATE "C" PRIMARY KEY,
        officer_id text COLLATE "C" NOT NULL,
        username text NOT NULL,
        credential text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        expires_at text COLLATE "C" NOT NULL,
        -- Only ever moves forward; written at most about once a minute per session.
        last_seen_at text COLLATE "C" NOT NULL,
        ended_at text COLLATE "C",
        end_reason text
      );
      -- An officer's live sessions: a new sign-in ends them, a password change or removal ends them all.
      CREATE INDEX officer_sessions_live ON officer_sessions (officer_id) WHERE ended_at IS NULL;
      -- Expired sessions are dropped when a new one is created.
      CREATE INDEX officer_sessions_expiry ON officer_sessions (expires_at);
    `);
  },
};
