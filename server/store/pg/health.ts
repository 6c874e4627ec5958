import pg from 'pg';
import type { StoreLog } from '../json-store.js';
import { StoreUnavailableError, type StoreHealth } from '../store.js';
import { createPool } from './db.js';
import { verifiedGeneration } from './generation.js';

/** What a refused write tells its client to wait before trying again. */
export const RETRY_AFTER_MS = 1000;

export interface DatabaseHealthOptions {
  url: string;
  schema?: string;
  /** A probe that cannot connect or answer within this long fails. */
  timeoutMs: number;
  /** A probe's answer (reachable or not, the generation) is reused for this long. */
  cacheMs: number;
  log: StoreLog;
}

type Failure = 'unreachable' | 'broken' | 'conflict' | 'storage_full';

/**
 * Whether PostgreSQL answers, and the store generation, from one cheap probe on a connection of its own
 * (a busy pool cannot make a healthy database look down), reused for `cacheMs`. The probe also checks
 * that the database can still vouch for the generation (generation.ts) and renews it if not.
 *
 * Once a write could not get a connection, writes are refused at once rather than each waiting for a
 * connection timeout; a probe, due every `cacheMs` and started by health checks and by the refused
 * writes themselves, takes them again once the database answers.
 */
export class DatabaseHealth {
  private readonly pool: pg.Pool;
  private readonly options: DatabaseHealthOptions;
  private generationId: string | undefined;
  private checkedAt = -Infinity;
  /** A connection was opened since the last probe (maybe to another server): check the generation again. */
  private verifyAgain = false;
  private probing: Promise<void> | undefined;
  /** What the last probe found wrong, if anything. */
  private probeError: string | undefined;
  /** While connecting fails: why, and since when. */
  private down: { error: string; since: number } | undefined;

  constructor(options: DatabaseHealthOptions) {
    this.options = options;
    this.pool = createPool({
      url: options.url,
      schema: options.schema,
      max: 1,
      connectionTimeoutMillis: options.timeoutMs,
      queryTimeoutMillis: options.timeoutMs,
      onIdleError: () => {},
    });
  }

  /** The first probe, at open: its failure is the open's. */
  async start(): Promise<void> {
    const client = await this.pool.connect();
    try {
      this.noteGeneration(await verifiedGeneration(client));
    } finally {
      client.release();
    }
    this.checkedAt = performance.now();
  }

  async close(): Promise<void> {
    await this.probing;
    await this.pool.end();
  }

  /** The generation as of a probe at most `cacheMs` old (or the last one known, if PostgreSQL cannot be reached). */
  async generation(): Promise<string> {
    await this.fresh();
    return this.generationId!;
  }

  async health(): Promise<StoreHealth> {
    await this.fresh();
    const problem = this.down?.error ?? this.probeError;
    return problem === undefined ? { ok: true } : { ok: false, reason: 'database_unavailable', message: `PostgreSQL cannot take writes (${problem})` };
  }

  /** Refuses a write at once while connecting fails, starting a probe when one is due. */
  assertReachable(): void {
    if (!this.down) return;
    if (this.due()) void this.fresh();
    throw unavailable('unreachable');
  }

  /** Connecting failed: writes are refused until a probe or a commit succeeds. */
  connectFailed(err: unknown): void {
    const error = describe(err);
    if (!this.down) this.options.log('error', 'PostgreSQL cannot be reached: writes are refused (503) until it answers', { error });
    this.down = { error, since: performance.now() };
  }

  /** A transaction committed: the database answers. */
  reachable(): void {
    if (!this.down) return;
    this.options.log('info', 'PostgreSQL answers again: writes are taken', { downMs: Math.round(performance.now() - this.down.since) });
    this.down = undefined;
  }

  /** A new connection was opened: the next generation asked for is checked first. */
  connected(): void {
    this.verifyAgain = true;
  }

  /** `err`, or the StoreUnavailableError it means (the domain answers 503 `unavailable` and the client retries). */
  refusal(err: unknown): unknown {
    const failure = classify(err);
    return failure ? unavailable(failure) : err;
  }

  private due(): boolean {
    return this.verifyAgain || performance.now() - this.checkedAt >= this.options.cacheMs;
  }

  private async fresh(): Promise<void> {
    if (!this.due()) return;
    this.probing ??= this.probe().finally(() => (this.probing = undefined));
    await this.probing;
  }

  private async probe(): Promise<void> {
    this.verifyAgain = false;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
    } catch (err) {
      // Only health says so: writes are refused once their own connection fails (a slow probe is no proof).
      this.probeError = describe(err);
      this.checkedAt = performance.now();
      return;
    }
    try {
      const found = await verifiedGeneration(client);
      this.noteGeneration(found);
      this.probeError = found.readOnly ? 'it takes no writes: a standby, or read-only transactions' : undefined;
      this.reachable();
      client.release();
    } catch (err) {
      this.probeError = describe(err);
      client.release(true);
    }
    this.checkedAt = performance.now();
  }

  private noteGeneration(found: { id: string; renewed?: string }): void {
    const { log } = this.options;
    if (found.renewed) log('info', 'new store generation: clients holding an older one resync', { generation: found.id, reason: found.renewed });
    else if (this.generationId !== undefined && found.id !== this.generationId) {
      log('info', 'store generation changed (by another instance or npm run migrate): clients holding the older one resync', { generation: found.id });
    }
    this.generationId = found.id;
  }
}

/** A refusal the client may retry: the database is unreachable, the connection broke, or it is full. */
export function unavailable(failure: Failure | 'stopping', detail?: string): StoreUnavailableError {
  switch (failure) {
    case 'storage_full':
      return new StoreUnavailableError('storage_full', 'The database is out of disk space (storage_full); retry later', RETRY_AFTER_MS);
    case 'stopping':
      return new StoreUnavailableError('stopping', detail ?? 'The server is shutting down (stopping); retry shortly', RETRY_AFTER_MS);
    case 'conflict':
      return new StoreUnavailableError('database_unavailable', 'The database gave way to another write (database_unavailable); retry', RETRY_AFTER_MS);
    default:
      // A connection that broke while COMMIT was on its way leaves the outcome unknown: retrying with the same clientId is safe.
      return new StoreUnavailableError('database_unavailable', 'The database cannot be reached (database_unavailable); retry shortly', RETRY_AFTER_MS);
  }
}

/** Network errors of a connection that could not be made. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT']);

/** Which kind of retryable failure `err` is, if it is one (SQLSTATE classes: postgresql.org/docs/current/errcodes-appendix.html). */
function classify(err: unknown): Failure | undefined {
  // Connecting to a name with several addresses fails with all of their errors.
  if (err instanceof AggregateError && err.errors.length > 0) return classify(err.errors[0]);
  if (err instanceof pg.DatabaseError) {
    const code = err.code ?? '';
    if (code === '53100') return 'storage_full'; // disk_full
    if (code === '40P01' || code === '40001') return 'conflict'; // deadlock, serialization failure
    // connection exception, shutting down or starting up, too many connections, out of memory, a read-only standby
    if (code.startsWith('08') || code.startsWith('57P') || code === '53300' || code === '53200' || code === '25006') return 'broken';
    return undefined;
  }
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'broken';
  if (/timeout exceeded when trying to connect|connection timeout/i.test(err.message)) return 'unreachable';
  if (/Connection terminated|not queryable|Query read timeout/i.test(err.message)) return 'broken';
  return undefined;
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describe(err.errors[0]);
  const e = err as { message?: string; code?: string };
  return e?.message || e?.code || String(err);
}
