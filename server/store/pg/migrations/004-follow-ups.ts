import type { Queryable } from '../db.js';
import type { Migration } from './index.js';

/**
 * The officers' follow-up queue (docs/FOLLOW-UP.md, docs/STORAGE.md "Follow-ups"): one follow-up per
 * thread, the tracking counters that number them, and the supervisors' notifications. The thread keeps
 * the public part of its follow-up ({tracking, status}) so that thread reads and lists need no join.
 */
export const followUps: Migration = {
  version: 4,
  name: 'follow-ups',
  async up(db: Queryable) {
    await db.query(`
      -- NULL: the thread has no follow-up. Adding a nullable column rewrites nothing.
      ALTER TABLE threads ADD COLUMN follow_up jsonb;

      -- The last tracking number given per (prefix, year). The opening's transaction updates the row
      -- (INSERT … ON CONFLICT DO UPDATE) and holds its lock until COMMIT, so numbers have no gap or repeat.
      CREATE TABLE tracking_counters (
        prefix text COLLATE "C" NOT NULL,
        year integer NOT NULL,
        last integer NOT NULL,
        PRIMARY KEY (prefix, year)
      );

      CREATE TABLE follow_ups (
        thread_id text COLLATE "C" PRIMARY KEY REFERENCES threads (id),
        site text COLLATE "C" NOT NULL,
        category text NOT NULL,
        tracking text COLLATE "C" NOT NULL UNIQUE,
        status text NOT NULL,
        reason text NOT NULL,
        assignee_id text COLLATE "C",
        created_at text COLLATE "C" NOT NULL,
        updated_at text COLLATE "C" NOT NULL,
        first_response_minutes integer NOT NULL,
        resolution_minutes integer NOT NULL,
        first_response_due text COLLATE "C" NOT NULL,
        resolution_due text COLLATE "C" NOT NULL,
        first_responded_at text COLLATE "C",
        resolved_at text COLLATE "C",
        auto_close_at text COLLATE "C",
        auto_close_working_days integer NOT NULL,
        closed_at text COLLATE "C",
        paused_at text COLLATE "C",
        paused_working_minutes double precision NOT NULL,
        sla_state text NOT NULL,
        version integer NOT NULL,
        history jsonb NOT NULL,
        -- queueDueAt(record) (server/domain/follow-up/model.ts), written with every change: the queue's order.
        due_at timestamptz NOT NULL
      );
      -- The queue: a site's follow-ups soonest due first, continuing after (due_at, thread_id).
      CREATE INDEX follow_ups_queue ON follow_ups (site, due_at, thread_id);
      -- The same filtered by status; sla_state beside it lets the counts read the index alone.
      CREATE INDEX follow_ups_status ON follow_ups (site, status, due_at, thread_id) INCLUDE (sla_state);
      CREATE INDEX follow_ups_sla ON follow_ups (site, sla_state, due_at, thread_id);
      CREATE INDEX follow_ups_assignee ON follow_ups (site, assignee_id, due_at, thread_id);
      -- The clock pass reads every follow-up that is not closed; closed ones pile up over the years.
      CREATE INDEX follow_ups_active ON follow_ups (thread_id) WHERE status <> 'ditutup';

      CREATE TABLE notifications (
        -- Insertion order: the tie-break of "newest first".
        n bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text COLLATE "C" PRIMARY KEY,
        officer_id text COLLATE "C" NOT NULL,
        at text COLLATE "C" NOT NULL,
        kind text NOT NULL,
        thread_id text COLLATE "C" NOT NULL,
        tracking text COLLATE "C" NOT NULL,
        site text COLLATE "C" NOT NULL,
        target text NOT NULL,
        read boolean NOT NULL
      );
      CREATE INDEX notifications_officer ON notifications (officer_id, at DESC, n DESC);
    `);
  },
};
