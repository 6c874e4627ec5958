import pg from 'pg';
import type { ChangeEvent } from '../../domain/model.js';
import { Tx } from './db.js';
import { advanceSite, lockSite } from './events.js';

/** Most writes one transaction carries. */
const MAX_BATCH = 200;

/**
 * One write inside a lane's transaction. It may throw an Error of its own (a refused request) only
 * before it has written anything: the transaction goes on and commits the other writes. A failed
 * statement instead fails the transaction, and the lane retries its writes one by one.
 */
export type LaneOp<T> = (tx: Tx, batch: Batch) => Promise<T>;

/** What the writes of one transaction share: the site's counter, and the events to announce after COMMIT. */
export class Batch {
  readonly events: ChangeEvent[] = [];
  private seq: number;

  constructor(
    readonly site: string | undefined,
    readonly startSeq: number,
  ) {
    this.seq = startSeq;
  }

  /** The seq the next change of this site gets; `take` it with the change once that is written. */
  get nextSeq(): number {
    if (this.site === undefined) throw new Error('a write without a site has no sequence numbers');
    return this.seq + 1;
  }

  take(event: ChangeEvent): void {
    if (event.site !== this.site || event.seq !== this.seq + 1) throw new Error(`event ${event.site}#${event.seq} is not the next of ${this.site}#${this.seq}`);
    this.seq = event.seq;
    this.events.push(event);
  }

  /** Refuses a record of another site before anything is written: its seq must come from its own site's lock. */
  assertSite(site: string, what: string): void {
    if (site !== this.site) throw new Error(`${what} is on site ${site}, not ${this.site}`);
  }

  get lastSeq(): number {
    return this.seq;
  }
}

export interface LaneOptions {
  pool: pg.Pool;
  /** The site whose sequenced changes this lane writes; undefined for records without a seq. */
  site: string | undefined;
  eventRetention: number;
  /** Called after COMMIT with the batch's events in seq order, before any of its writes resolves. */
  announce: (events: ChangeEvent[]) => void;
}

interface Queued {
  op: LaneOp<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/**
 * Group commit for one site: writes queue in call order and run one transaction at a time, each
 * carrying everything queued when it starts. The transaction first locks the site's row in
 * `site_seq` (so every instance's writers of that site take turns and seqs have no gaps or repeats),
 * then runs the writes in order, stores the new seq, prunes events past the retention, and commits.
 * Only then are the events announced and the writes resolved.
 *
 * One transaction in flight per site also means this process commits a site's seqs in order, so
 * subscribers hear them in order with nothing to hold back. The lock is held through COMMIT (its
 * fsync), which is what bounds a site's transactions per second; batching many writes into each is
 * what makes thousands of acknowledged writes per second possible.
 */
export class WriteLane {
  private readonly queue: Queued[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly options: LaneOptions) {}

  run<T>(op: LaneOp<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (value: unknown) => void, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once nothing is queued or being written. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const failed = await this.attempt(() => this.queue.splice(0, MAX_BATCH));
        // The transaction failed before COMMIT: write its ops one per transaction, so only the one at fault fails.
        for (const item of failed ?? []) await this.attempt(() => [item]);
      }
    } finally {
      this.draining = undefined;
    }
  }

  /**
   * Runs the writes `take` hands over (taken once a connection is ready, so that writes queued
   * meanwhile join) in one transaction and settles each. Returns them unsettled when the transaction
   * failed before COMMIT with more than one write in it.
   */
  private async attempt(take: () => Queued[]): Promise<Queued[] | undefined> {
    let client: pg.PoolClient;
    try {
      client = await this.options.pool.connect();
    } catch (err) {
      for (const item of take()) item.reject(err);
      return undefined;
    }
    const items = take();
    const { site } = this.options;
    const tx = new Tx(client);
    let committing = false;
    let discard = false;
    let batch: Batch;
    const outcomes: Array<{ value: unknown } | { error: unknown }> = [];
    try {
      await tx.query('BEGIN');
      batch = new Batch(site, site === undefined ? 0 : await lockSite(tx, site));
      for (const item of items) {
        try {
          outcomes.push({ value: await item.op(tx, batch) });
        } catch (error) {
          if (tx.failed) throw error;
          outcomes.push({ error });
        }
      }
      if (site !== undefined && batch.lastSeq !== batch.startSeq) await advanceSite(tx, site, batch.lastSeq, this.options.eventRetention);
      committing = true;
      await tx.query('COMMIT');
    } catch (err) {
      // An error PostgreSQL answered (even to COMMIT, e.g. a deferred check) means the transaction
      // rolled back. Without an answer (the connection broke during COMMIT) the outcome is unknown:
      // the writes are refused rather than retried, which could apply them twice.
      const rolledBack = err instanceof pg.DatabaseError || !committing;
      if (committing) discard = !(err instanceof pg.DatabaseError);
      else discard = await client.query('ROLLBACK').then(() => false, () => true);
      if (!rolledBack || items.length === 1) {
        for (const item of items) item.reject(err);
        return undefined;
      }
      return items;
    } finally {
      client.release(discard);
    }
    this.options.announce(batch.events);
    outcomes.forEach((outcome, i) => ('value' in outcome ? items[i].resolve(outcome.value) : items[i].reject(outcome.error)));
    return undefined;
  }
}
