import { quoteIdent, type Queryable } from '../db.js';
import type { Migration } from './index.js';

/**
 * The first schema: everything the Store interface kept when the PostgreSQL store was added.
 *
 * Record times are ISO-8601 UTC strings (what the domain hands the store), kept as text in the "C"
 * collation: they come back exactly as given, and order as in the other stores (string order).
 * Ids and site names use "C" too, so that ties break the same way. A column that is NULL is a field
 * the record does not have.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db: Queryable) {
    const trgm = await trigramSchema(db);
    await db.query(`
      CREATE TABLE site_seq (
        site text COLLATE "C" PRIMARY KEY,
        -- The site's latest sequence number. Writers lock this row for the whole transaction that
        -- uses the next numbers, so they are handed out without gaps or repeats.
        seq bigint NOT NULL
      );

      CREATE TABLE events (
        site text COLLATE "C" NOT NULL,
        seq bigint NOT NULL,
        at text COLLATE "C" NOT NULL,
        change jsonb NOT NULL,
        PRIMARY KEY (site, seq)
      );

      CREATE TABLE visitors (
        id text COLLATE "C" PRIMARY KEY,
        name text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        updated_at text COLLATE "C" NOT NULL,
        role text,
        username text,
        profile jsonb,
        verified jsonb,
        reputation double precision,
        stats jsonb,
        last_active_at text COLLATE "C",
        active_days text[]
      );
      CREATE UNIQUE INDEX visitors_username ON visitors (username) WHERE username IS NOT NULL;

      CREATE TABLE threads (
        id text COLLATE "C" PRIMARY KEY,
        site text COLLATE "C" NOT NULL,
        seq bigint NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        category text NOT NULL,
        author_id text COLLATE "C" NOT NULL,
        author_name text NOT NULL,
        client_id text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        last_activity_at text COLLATE "C" NOT NULL,
        answer_count integer NOT NULL,
        accepted_post_id text COLLATE "C",
        accepted_at text COLLATE "C"
      ) WITH (fillfactor = 85); -- room on each page: answer counts change in place (HOT), without index writes
      -- A site's threads newest first, continuing below a seq (listThreads).
      CREATE UNIQUE INDEX threads_site_seq ON threads (site, seq);
      CREATE INDEX threads_author ON threads (author_id, site, seq);
      -- Word search: every word must appear in the title or body (ILIKE '%word%').
      CREATE INDEX threads_words ON threads USING gin ((title || E'\\n' || body) ${trgm}.gin_trgm_ops);

      CREATE TABLE posts (
        id text COLLATE "C" PRIMARY KEY,
        -- No foreign key to threads: the statement that writes a post checks its thread in the same
        -- transaction, and threads are never deleted; the check would cost every answer a look-up.
        thread_id text COLLATE "C" NOT NULL,
        site text COLLATE "C" NOT NULL,
        seq bigint NOT NULL,
        body text NOT NULL,
        author_id text COLLATE "C" NOT NULL,
        author_name text NOT NULL,
        client_id text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        official boolean,
        edited_at text COLLATE "C",
        up integer,
        down integer,
        endorsed_by text COLLATE "C",
        endorsed_at text COLLATE "C",
        -- The hidden state as a whole ({reason, at, status, by?}); its status and time are
        -- generated beside it for the moderation list's index.
        hidden jsonb,
        hidden_status text GENERATED ALWAYS AS (hidden ->> 'status') STORED,
        hidden_at text COLLATE "C" GENERATED ALWAYS AS (hidden ->> 'at') STORED
      ) WITH (fillfactor = 85); -- votes and edits change posts in place
      CREATE INDEX posts_thread ON posts (thread_id, seq);
      CREATE INDEX posts_author ON posts (author_id, site, seq);
      CREATE INDEX posts_hidden ON posts (hidden_status, hidden_at DESC, created_at DESC, id DESC) WHERE hidden_status IS NOT NULL;

      -- (author, clientId) → the one thread or post it created: idempotent retries, enforced here.
      CREATE TABLE client_keys (
        author_id text COLLATE "C" NOT NULL,
        client_id text COLLATE "C" NOT NULL,
        thread_id text COLLATE "C",
        post_id text COLLATE "C",
        PRIMARY KEY (author_id, client_id),
        CHECK ((thread_id IS NULL) <> (post_id IS NULL))
      );

      CREATE TABLE votes (
        post_id text COLLATE "C" NOT NULL REFERENCES posts (id),
        voter_id text COLLATE "C" NOT NULL,
        thread_id text COLLATE "C" NOT NULL,
        site text COLLATE "C" NOT NULL,
        author_id text COLLATE "C" NOT NULL,
        value smallint NOT NULL CHECK (value IN (1, -1)),
        cast_at text COLLATE "C" NOT NULL,
        counts boolean NOT NULL,
        PRIMARY KEY (post_id, voter_id)
      );
      CREATE INDEX votes_voter ON votes (voter_id);
      CREATE INDEX votes_author ON votes (author_id);
      CREATE INDEX votes_thread ON votes (thread_id);

      CREATE TABLE flags (
        -- Insertion order: a post's flags are listed in the order they were first raised.
        n bigint GENERATED ALWAYS AS IDENTITY,
        post_id text COLLATE "C" NOT NULL REFERENCES posts (id),
        member_id text COLLATE "C" NOT NULL,
        reason text NOT NULL,
        weight double precision NOT NULL,
        at text COLLATE "C" NOT NULL,
        PRIMARY KEY (post_id, member_id)
      );

      CREATE TABLE verification_requests (
        -- Creation order, the tie-break of "newest first".
        n bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text COLLATE "C" PRIMARY KEY,
        member_id text COLLATE "C" NOT NULL,
        nip text NOT NULL,
        instansi text NOT NULL,
        jabatan text NOT NULL,
        note text,
        status text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        decided_at text COLLATE "C",
        decided_by text COLLATE "C",
        decision_note text
      );
      CREATE INDEX verification_requests_newest ON verification_requests (created_at DESC, n DESC);
      CREATE INDEX verification_requests_status ON verification_requests (status, created_at DESC, n DESC);
      CREATE INDEX verification_requests_member ON verification_requests (member_id, created_at DESC, n DESC);

      CREATE TABLE audit (
        -- Append order: the log is read last appended first.
        n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text COLLATE "C" NOT NULL,
        at text COLLATE "C" NOT NULL,
        officer_id text COLLATE "C" NOT NULL,
        action text NOT NULL,
        member_id text COLLATE "C",
        post_id text COLLATE "C",
        details jsonb
      );
      CREATE INDEX audit_member ON audit (member_id, n DESC) WHERE member_id IS NOT NULL;
    `);
  },
};

/**
 * The schema that holds pg_trgm's operator classes, creating the extension when the database lacks
 * it. pg_trgm ships with PostgreSQL (contrib) and is "trusted" since PostgreSQL 13: a database owner
 * may create it without being a superuser.
 */
async function trigramSchema(db: Queryable): Promise<string> {
  const found = await db.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`,
  );
  if (found.rows[0]) return quoteIdent(found.rows[0].schema);
  try {
    await db.query('CREATE EXTENSION pg_trgm');
  } catch (err) {
    throw new Error(`the PostgreSQL extension pg_trgm (word search) is missing and could not be created (${(err as Error).message}); run "CREATE EXTENSION pg_trgm;" once as the database owner or a superuser`);
  }
  const created = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
  return quoteIdent(created.rows[0].schema);
}
