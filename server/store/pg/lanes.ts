import pg from 'pg';
import type { ChangeEvent, Visitor } from '../../domain/model.js';
import { Tx } from './db.js';
import { lockSite, pruneEvents } from './events.js';

/** Most writes one transaction carries. */
const MAX_BATCH = 200;

/**
 * One write inside a lane's transaction.
 *
 * A `pipelined` write sends its one writing statement synchronously when `run` is called, and may
 * only read after that: the lane sends the next write right behind it, without waiting for its
 * answer. Any other write is awaited before the next one starts (it reads, decides, then writes).
 * Either may throw an Error of its own (a refused request) only if it wrote nothing: the
 * transaction goes on and commits the other writes. A failed statement fails the transaction; the
 * lane then retries its writes one per transaction.
 *
 * A sequenced change takes its seq from the site's counter in the statement that writes it
 * (`UPDATE site_seq SET seq = seq + 1 … RETURNING seq`), only when it does write, and announces its
 * event through `batch.announce`.
 *
 * A write that changes member rows names them in `members`: see WriteLane.
 */
export interface LaneOp<T> {
  readonly pipelined: boolean;
  readonly members?: MemberLocks;
  run(tx: Tx, batch: Batch): Promise<T>;
}

export interface MemberLocks {
  /** The members (visitor rows) the write changes. */
  ids: readonly string[];
  /** It works from them as locked (`batch.members`): no other write of its transaction may change them. */
  reads?: boolean;
}

export const pipelined = <T>(run: (tx: Tx, batch: Batch) => Promise<T>, members?: MemberLocks): LaneOp<T> => ({ pipelined: true, members, run });
export const interactive = <T>(run: (tx: Tx, batch: Batch) => Promise<T>, members?: MemberLocks): LaneOp<T> => ({ pipelined: false, members, run });

/** What the writes of one transaction share: the member rows it locked, the events to announce once it has committed. */
export class Batch {
  private readonly events: ChangeEvent[] = [];
  /** The rows of the members the writes name, as locked at the start of the transaction (none for an unknown id). */
  members: ReadonlyMap<string, Visitor> = new Map();

  constructor(readonly site: string | undefined) {}

  announce(event: ChangeEvent): void {
    if (event.site !== this.site) throw new Error(`a change of site ${event.site} in a transaction of ${this.site}`);
    this.events.push(event);
  }

  /** Refuses a record of another site before anything is written: its seq must come from its own site's counter. */
  assertSite(site: string, what: string): void {
    if (site !== this.site) throw new Error(`${what} is on site ${site}, not ${this.site}`);
  }

  /** The committed events in seq order. */
  inOrder(): ChangeEvent[] {
    return [...this.events].sort((a, b) => a.seq - b.seq);
  }
}

export interface LaneOptions {
  pool: pg.Pool;
  /** The site whose sequenced changes this lane writes; undefined for records without a seq. */
  site: string | undefined;
  eventRetention: number;
  /** Called after COMMIT with the batch's events in seq order, before any of its writes resolves. */
  announce: (events: ChangeEvent[]) => void;
  /** Locks these member rows in id order and reads them (members.ts). */
  lockMembers: (tx: Tx, ids: string[]) => Promise<Map<string, Visitor>>;
  /** No connection could be had: the writes are refused with this error. */
  onConnectFailure?: (err: unknown) => void;
  /** A transaction committed. */
  onCommit?: () => void;
  /** A transaction of several writes rolled back; they are tried again one per transaction. */
  onRollback?: (err: unknown, writes: number) => void;
}

interface Queued {
  op: LaneOp<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { value: unknown } | { error: unknown };

/**
 * Group commit for one site: writes queue in call order and run one transaction at a time, each
 * carrying everything queued when it starts. The transaction first locks the site's row in
 * `site_seq` (so every instance's writers of that site take turns, seqs have no gaps or repeats,
 * and a write that reads before it writes reads what no one else is changing), then runs the writes
 * in order, prunes events past the retention, and commits. Only then are the events announced and
 * the writes resolved.
 *
 * One transaction in flight per site also means this process commits a site's seqs in order, so
 * subscribers hear them in order with nothing to hold back. The lock is held through COMMIT (its
 * fsync), which bounds a site's transactions per second; many writes per transaction, sent without
 * waiting for each answer, are what make thousands of acknowledged writes per second possible.
 *
 * Member rows a transaction's writes change (a post's author, a member update) are locked right
 * after the site's row, all in one statement, in id order. Every lane of every instance locks at
 * most one site row and then members in that one order, so two transactions never wait on each
 * other in a circle: one author posting on two sites at once is serialised by the row lock, never
 * deadlocked. A write that works from a member's row as locked (a post's author update) gets a
 * transaction where no other write changes that member: the batch ends before a second one.
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
        const failed = await this.attempt(() => this.queue.splice(0, this.batchLength()));
        // The transaction rolled back: write its ops one per transaction, so only the one at fault fails.
        for (const item of failed ?? []) await this.attempt(() => [item]);
      }
    } finally {
      this.draining = undefined;
    }
  }

  /** How many queued writes the next transaction takes: up to MAX_BATCH, ending before a member a write reads is named again. */
  private batchLength(): number {
    const named = new Set<string>();
    const read = new Set<string>();
    let n = 0;
    for (; n < Math.min(this.queue.length, MAX_BATCH); n++) {
      const members = this.queue[n].op.members;
      if (!members) continue;
      if (members.ids.some((id) => read.has(id) || (members.reads && named.has(id)))) break;
      for (const id of members.ids) {
        named.add(id);
        if (members.reads) read.add(id);
      }
    }
    return Math.max(n, 1);
  }

  /**
   * Runs the writes `take` hands over (taken once a connection is ready, so that writes queued
   * meanwhile join) in one transaction and settles each. Returns them unsettled when the transaction
   * rolled back with more than one write in it.
   */
  private async attempt(take: () => Queued[]): Promise<Queued[] | undefined> {
    let client: pg.PoolClient;
    try {
      client = await this.options.pool.connect();
    } catch (err) {
      this.options.onConnectFailure?.(err);
      for (const item of take()) item.reject(err);
      return undefined;
    }
    const items = take();
    const { site } = this.options;
    const tx = new Tx(client);
    const batch = new Batch(site);
    // Failures of these show in `tx` (and fail every later statement); handled at once, so that none
    // is left unhandled while an interactive write is awaited.
    const sent: Array<Promise<unknown>> = [];
    const send = (statement: Promise<unknown>) => sent.push(statement.catch(() => {}));
    tx.hold();
    send(tx.query('BEGIN'));
    if (site !== undefined) send(lockSite(tx, site));
    const members = [...new Set(items.flatMap((item) => item.op.members?.ids ?? []))];
    if (members.length > 0) {
      const locked = this.options.lockMembers(tx, members);
      send(locked);
      tx.flush();
      // A failure shows in `tx`: every later statement fails too and the transaction rolls back.
      batch.members = await locked.catch(() => new Map());
      tx.hold();
    }
    const outcomes: Array<Promise<Outcome>> = [];
    for (const item of items) {
      const outcome = item.op.run(tx, batch).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      outcomes.push(outcome);
      if (!item.op.pipelined) {
        tx.flush();
        await outcome;
        tx.hold();
      }
    }
    if (site !== undefined) send(pruneEvents(tx, site, this.options.eventRetention));
    // COMMIT commits only if no statement before it failed. (A write may read after the COMMIT was
    // sent, e.g. to answer a retry; that read runs after it and is the write's own business.)
    const committing = tx.next;
    const commit = tx.query('COMMIT').then(
      () => ({ answered: true, error: undefined }),
      (error: unknown) => ({ answered: error instanceof pg.DatabaseError, error }),
    );
    tx.flush();
    const settled = await Promise.all(outcomes);
    await Promise.all(sent);
    const end = await commit;
    const committed = end.error === undefined && !tx.failedBefore(committing);
    client.release(!end.answered);
    if (committed) {
      this.options.onCommit?.();
      this.options.announce(batch.inOrder());
      settled.forEach((outcome, i) => ('value' in outcome ? items[i].resolve(outcome.value) : items[i].reject(outcome.error)));
      return undefined;
    }
    // COMMIT after a failed statement answers ROLLBACK, and an error PostgreSQL answered to COMMIT
    // (e.g. a deferred check) means it rolled back too: the writes can be tried again. Without an
    // answer (the connection broke) the outcome is unknown: refuse them rather than risk applying
    // them twice.
    if (end.answered && items.length > 1) {
      this.options.onRollback?.(tx.error ?? end.error, items.length);
      return items;
    }
    for (const item of items) item.reject(tx.error ?? end.error);
    return undefined;
  }
}
