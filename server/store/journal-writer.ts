import type { FileHandle } from 'node:fs/promises';
import { writeAll } from './durable-file-adapter.js';
import { encodeLine, openSegment, type JournalRecord } from './journal.js';

/** What happens to a queued record: `durable` once its batch is on disk, else `abandoned` (never both). */
export interface RecordCallbacks {
  durable: () => void;
  abandoned: () => void;
}

/**
 * Why the journal takes no writes. `storage_full` (ENOSPC, EDQUOT) passes once space is back and recover()
 * has cut off what the failed batch left; `write_failed` (EIO and the rest) lasts until a restart, since after
 * a failed fsync Linux may have dropped the dirty pages and a retried fsync would say nothing (PostgreSQL's
 * "fsyncgate").
 */
export interface JournalProblem {
  reason: 'storage_full' | 'write_failed';
  error: Error;
  /** Bytes of the batch that failed: about what must fit before writing again makes sense. */
  batchBytes: number;
}

/** The rejection of a record that was not written: it was never acknowledged and is not in the journal. */
export class JournalWriteError extends Error {
  constructor(readonly problem: JournalProblem) {
    super(`journal write failed (${problem.reason}): ${problem.error.message}`);
    this.name = 'JournalWriteError';
  }
}

interface QueuedLine extends RecordCallbacks {
  n: number;
  line: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface JournalHooks {
  /** Runs between batches, while nothing is being written; used to rotate for a snapshot. */
  afterBatch: () => Promise<void>;
  /** A batch failed: every record in flight was abandoned (in append order) before this runs. */
  onFailure: (problem: JournalProblem) => void;
}

/**
 * Appends records to the newest segment with group commit: lines queued while a write+fdatasync is
 * in flight go out together in the next single write()+fdatasync. A record's `durable` runs (in
 * append order) only after its batch is on disk, then its promise resolves.
 *
 * A failed write or fdatasync abandons that batch and everything queued behind it: none of it was
 * acknowledged. The segment's durable length is known (the end of the last batch that synced), so
 * recover() can cut off whatever part of the failed batch reached the file before writing again.
 */
export class JournalWriter {
  private queue: QueuedLine[] = [];
  private flushing: Promise<void> | undefined;
  private failure: JournalProblem | undefined;
  private lastDurable: number;

  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
    private segmentNumber: number,
    private nextRecord: number,
    /** Bytes of the current segment that are durable: everything after them was never acknowledged. */
    private durableSize: number,
    private readonly hooks: JournalHooks,
  ) {
    this.lastDurable = nextRecord - 1;
  }

  /** Opens (or creates) segment `segment` for appending; the next record gets number `nextRecord`. */
  static async open(dir: string, segment: number, nextRecord: number, hooks: JournalHooks): Promise<JournalWriter> {
    const fh = await openSegment(dir, segment);
    const { size } = await fh.stat();
    return new JournalWriter(dir, fh, segment, nextRecord, size, hooks);
  }

  /** The segment new records go to. */
  get segment(): number {
    return this.segmentNumber;
  }

  /** Set while the journal takes no writes. */
  get problem(): JournalProblem | undefined {
    return this.failure;
  }

  append(record: JournalRecord, callbacks: RecordCallbacks): Promise<void> {
    if (this.failure) return Promise.reject(new JournalWriteError(this.failure));
    const n = this.nextRecord++;
    const line = encodeLine(n, record);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ n, line, ...callbacks, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  /** Resolves when every queued record has been written (or has failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /**
   * Runs `fn` while no batch is being written; records appended meanwhile wait for the next batch.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.flushing) await this.flushing;
    let release!: () => void;
    this.flushing = new Promise<void>((resolve) => (release = resolve));
    try {
      return await fn();
    } finally {
      this.flushing = undefined;
      release();
      if (this.queue.length > 0 && !this.failure) this.flushing = this.flushLoop();
    }
  }

  /**
   * Starts a new segment for the records that follow. Only call it from `afterBatch` or `exclusive`, when the
   * current segment holds exactly the records up to `lastRecord`, all durable.
   */
  async rotate(): Promise<{ segment: number; lastRecord: number }> {
    const next = this.segmentNumber + 1;
    const fh = await openSegment(this.dir, next);
    const old = this.fh;
    this.fh = fh;
    this.segmentNumber = next;
    this.durableSize = 0;
    await old.close();
    return { segment: next, lastRecord: this.lastDurable };
  }

  /**
   * After `storage_full`: cuts the segment back to its durable length (a failed batch may have left part of
   * a line, or whole lines that were never acknowledged), makes that durable, and takes writes again.
   * Throws (and stays failed) when that does not work either.
   */
  async recover(): Promise<void> {
    if (this.failure?.reason !== 'storage_full') return;
    await this.drain();
    await this.fh.truncate(this.durableSize);
    await this.fh.datasync();
    this.failure = undefined;
  }

  async close(): Promise<void> {
    await this.drain();
    await this.fh.close();
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.failure) {
        const batch = this.queue;
        this.queue = [];
        const bytes = Buffer.from(batch.map((q) => q.line).join(''));
        try {
          await writeAll(this.fh, bytes);
          await this.fh.datasync();
        } catch (err) {
          this.fail(err as NodeJS.ErrnoException, [...batch, ...this.queue], bytes.length);
          return;
        }
        this.durableSize += bytes.length;
        this.lastDurable = batch[batch.length - 1].n;
        const outcomes = batch.map((q) => {
          try {
            q.durable();
            return undefined;
          } catch (err) {
            return err as Error;
          }
        });
        batch.forEach((q, i) => (outcomes[i] ? q.reject(outcomes[i]) : q.resolve()));
        await this.hooks.afterBatch();
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private fail(err: NodeJS.ErrnoException, abandoned: QueuedLine[], batchBytes: number): void {
    const reason = err.code === 'ENOSPC' || err.code === 'EDQUOT' ? 'storage_full' : 'write_failed';
    this.failure = { reason, error: err, batchBytes };
    this.queue = [];
    // The abandoned records' numbers are free again: the next record follows the last durable one.
    this.nextRecord = this.lastDurable + 1;
    const rejection = new JournalWriteError(this.failure);
    for (const q of abandoned) {
      q.abandoned();
      q.reject(rejection);
    }
    this.hooks.onFailure(this.failure);
  }
}
