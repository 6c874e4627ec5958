import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile, fsyncDir } from './durable-file-adapter.js';
import { listSegments } from './journal.js';
import { SNAPSHOT_FILE } from './json-store-load.js';
import type { JournalWriter } from './journal-writer.js';
import type { StoreLog } from './json-store.js';
import type { MemoryState } from './memory-state.js';
import { emptySnapshot, snapshotProblem, type StoredSnapshot } from './snapshot-format.js';

/** After a failed snapshot (a full disk), the next try waits at least this long, however many records come. */
const RETRY_AFTER_FAILURE_MS = 30_000;

/**
 * When and how the JSON store snapshots (docs/STORAGE.md, "Snapshots and rotation"): every `every` journal
 * records, between two batches, and on close. The journal is rotated and the state serialised synchronously
 * at that point; the file write (through lowdb and DurableJsonFile) and the removal of the segments it
 * covers go on in the background.
 */
export class SnapshotScheduler {
  /** lowdb over snapshot.json; start-up reads the snapshot through it too. */
  readonly db: Low<StoredSnapshot>;
  private recordsSince = 0;
  private running: Promise<void> | undefined;
  private notBefore = 0;

  constructor(private readonly options: { dir: string; every: number; log: StoreLog }) {
    this.db = new Low(new DurableJsonFile<StoredSnapshot>(path.join(options.dir, SNAPSHOT_FILE), snapshotProblem), emptySnapshot());
  }

  /** Journal records not yet in a snapshot (replayed at open, then committed). */
  set pendingRecords(count: number) {
    this.recordsSince = count;
  }

  get pendingRecords(): number {
    return this.recordsSince;
  }

  /** One more record committed. */
  counted(): void {
    this.recordsSince++;
  }

  /** Runs between journal batches: the moment the committed state matches the journal exactly. */
  async afterBatch(journal: JournalWriter, state: MemoryState): Promise<void> {
    if (this.recordsSince < this.options.every || this.running || Date.now() < this.notBefore) return;
    try {
      await this.start(journal, state);
    } catch (err) {
      this.failed(err as Error, 0, 'snapshot failed to start; the journal still has everything');
    }
  }

  /** Snapshots now, unless nothing changed since the last one, and waits until it is durable (or failed). */
  async now(journal: JournalWriter, state: MemoryState): Promise<void> {
    await this.running;
    const started = await journal.exclusive(async () => (this.recordsSince > 0 && !this.running ? this.start(journal, state) : undefined));
    await (started?.done ?? this.running);
  }

  /** Resolves once no snapshot is being written. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Rotates the journal and serialises the state synchronously (so it matches the rotation point
   * exactly); the file write and the removal of old segments go on in the background. Call it only
   * between batches (afterBatch, or inside journal.exclusive).
   */
  private async start(journal: JournalWriter, state: MemoryState): Promise<{ done: Promise<void> }> {
    const { dir, log } = this.options;
    const { segment, lastRecord } = await journal.rotate();
    const covered = this.recordsSince;
    this.recordsSince = 0;
    this.db.data = state.toSnapshot({ journalRecord: lastRecord, journalSegment: segment });
    const started = performance.now();
    const done = this.db
      .write()
      .then(async () => {
        this.db.data = emptySnapshot(); // let the arrays go
        await removeSegmentsBefore(dir, segment);
        log('info', 'snapshot written', { journalRecord: lastRecord, segment, ms: Math.round(performance.now() - started) });
      })
      .catch((err: Error) => {
        this.db.data = emptySnapshot();
        this.failed(err, covered, 'snapshot failed; the journal still has everything');
      })
      .finally(() => {
        this.running = undefined;
      });
    this.running = done;
    return { done };
  }

  /** The records stay due, so the next try comes after the pause rather than after another `every`. */
  private failed(err: Error, covered: number, message: string): void {
    this.recordsSince += covered;
    this.notBefore = Date.now() + RETRY_AFTER_FAILURE_MS;
    this.options.log('error', message, { error: err.message, retryInMs: RETRY_AFTER_FAILURE_MS });
  }
}

async function removeSegmentsBefore(dir: string, segment: number): Promise<void> {
  for (const old of await listSegments(dir)) {
    if (old.number < segment) await unlink(old.path);
  }
  await fsyncDir(dir);
}
