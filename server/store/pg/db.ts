import pg from 'pg';

/** What reads and writes need: a pool (one statement, autocommit) or a transaction's connection. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(query: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface PoolOptions {
  url: string;
  /** Tables live in this schema (created when missing); otherwise the connection's search_path decides. */
  schema?: string;
  max?: number;
  /** How long to wait for a connection (default 10 s). */
  connectionTimeoutMillis?: number;
  /** A query not answered within this long fails (default: no limit). */
  queryTimeoutMillis?: number;
  onIdleError?: (err: Error) => void;
}

const INT8_OID = 20;

/**
 * bigint columns (seq, identity counters) come back as numbers, not strings: they stay far below
 * 2^53. Set per pool, so other users of `pg` in the process are unaffected.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: 'osg-konsultasi',
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    ...(options.queryTimeoutMillis === undefined ? {} : { query_timeout: options.queryTimeoutMillis }),
    idleTimeoutMillis: 30_000,
    types,
    // Statements are sent without waiting for the previous answer: a transaction of many writes costs
    // about one round trip, not one per statement.
    pipeline: true,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${quoteIdent(options.schema)}` }),
  });
  // An idle connection that breaks (database restart) must not crash the process; the next query reconnects.
  pool.on('error', (err) => options.onIdleError?.(err));
  // Nor may one that breaks while in use: node-postgres then fails its queries *and* emits 'error' on the
  // client, which the pool listens to only while the client is idle; unheard, that would be an uncaught
  // exception. The queries' failures report it; the pool drops the client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * A connection inside BEGIN … COMMIT that remembers the first failed statement: after it PostgreSQL
 * refuses the rest and COMMIT rolls back. Statements are sent at once (the pool runs in pipeline
 * mode), so a write can be on the wire while the previous one is still executing.
 */
export class Tx implements Queryable {
  /** The first error of a statement, if any. */
  error: unknown;
  /** Statements sent so far; they are answered in this order. */
  private sent = 0;
  private firstFailed = Infinity;
  private held = 0;

  constructor(readonly client: pg.PoolClient) {}

  /**
   * Buffers what is sent from now until `flush()`, so that the statements of a transaction leave in
   * one write instead of one system call each (node-postgres corks per statement; corks nest).
   */
  hold(): void {
    this.client.connection.stream.cork();
    this.held++;
  }

  flush(): void {
    for (; this.held > 0; this.held--) this.client.connection.stream.uncork();
  }

  /** The number the next statement sent will have. */
  get next(): number {
    return this.sent;
  }

  /** Whether a statement sent before statement `index` failed (known once those were answered). */
  failedBefore(index: number): boolean {
    return this.firstFailed < index;
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(query: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult<R>> {
    const index = this.sent++;
    try {
      return await this.client.query<R>(query, values);
    } catch (err) {
      if (index < this.firstFailed) {
        this.firstFailed = index;
        this.error = err;
      }
      throw err;
    }
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `word` as a LIKE pattern that matches it anywhere, with LIKE's own wildcards taken literally. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** "host:port/database" of a connection URL, without user or password, for messages and logs. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || 5432}${u.pathname || '/'}`;
  } catch {
    return 'the configured database';
  }
}
