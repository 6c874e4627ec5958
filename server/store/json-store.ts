import { statfs } from 'node:fs/promises';
import type { ChangeEvent } from '../domain/model.js';
import { createDataDir, DIR_MODE, FILE_MODE, octal, tightenDataDir } from './data-dir.js';
import { lockDir, type DirLock } from './dir-lock.js';
import { consumeCleanMarker, generationAtOpen, writeCleanMarker } from './generation.js';
import { recordEvent, type JournalRecord } from './journal.js';
import { JournalWriteError, JournalWriter, type JournalProblem } from './journal-writer.js';
import { FollowUpWrites } from './json-store-follow-ups.js';
import { loadState, SNAPSHOT_FILE } from './json-store-load.js';
import { OfficerSessionWrites } from './json-store-sessions.js';
import { TrustWrites } from './json-store-trust.js';
import { ContentWrites } from './json-store-writes.js';
import { MemoryReads, storeReads, type StoreReads } from './memory-reads.js';
import { MemoryState } from './memory-state.js';
import { PendingWrites, type WriteContext } from './pending-writes.js';
import { SnapshotScheduler } from './snapshot-scheduler.js';
import type { SnapshotData } from './snapshot-format.js';
import { StoreUnavailableError, type Store, type StoreHealth } from './store.js';

export { SNAPSHOT_FILE };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type StoreLog = (level: LogLevel, msg: string, fields: Record<string, unknown>) => void;

export interface JsonStoreOptions {
  /** Data directory; created (owner-only) when missing. */
  dir: string;
  /** Events kept per site for eventsSince (and across restarts). */
  eventRetention?: number;
  /** Journal records between snapshots. */
  snapshotEvery?: number;
  /** While the disk is full: how often to look for free space again (and the retryAfterMs of refused writes). */
  retryIntervalMs?: number;
  log?: StoreLog;
}

/** Free space that must be back, besides twice the failed batch, before writing again after a full disk. */
const MIN_FREE_BYTES = 64 * 1024;
/** What a client is told to wait when only a restart can help (the journal's fsync failed). */
const RETRY_AFTER_WRITE_FAILURE_MS = 30_000;

// The reads of the committed state (memory-reads.ts) are shared with the memory store: see the constructor.
export interface JsonStore extends StoreReads {}

/**
 * The embedded store: an append-only, checksummed NDJSON journal with group commit, plus periodic
 * snapshots written through lowdb with a durable adapter. docs/STORAGE.md explains the design.
 *
 * State is applied in memory only after its journal record is durable, so every read, seq and
 * event a caller sees has survived a crash. Writes in flight are tracked in `pending` so that
 * seqs, answer counts and idempotent retries stay right before the commit lands; the writes
 * themselves are in json-store-writes.ts and json-store-trust.ts, the reads in memory-reads.ts.
 */
export class JsonStore implements Store {
  readonly kind = 'json';

  private readonly dir: string;
  private readonly eventRetention: number;
  private readonly retryIntervalMs: number;
  private readonly log: StoreLog;
  private readonly snapshots: SnapshotScheduler;

  private status: 'new' | 'open' | 'closing' | 'closed' = 'new';
  private state: MemoryState;
  private journal: JournalWriter | undefined;
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  private readonly pending: PendingWrites;
  private readonly content: ContentWrites;
  private readonly trust: TrustWrites;
  private readonly sessions: OfficerSessionWrites;
  private readonly followUps: FollowUpWrites;
  private readonly reads = new MemoryReads(() => this.state);
  private lock: DirLock | undefined;
  private generationId: string | undefined;
  /** While the disk is full: the timer looking for space again. */
  private recovery: NodeJS.Timeout | undefined;
  private recovering = false;

  constructor(options: JsonStoreOptions) {
    Object.assign(this, storeReads(this.reads));
    this.dir = options.dir;
    this.eventRetention = options.eventRetention ?? 1000;
    this.retryIntervalMs = options.retryIntervalMs ?? 1000;
    this.log = options.log ?? (() => {});
    this.state = new MemoryState(this.eventRetention);
    this.snapshots = new SnapshotScheduler({ dir: this.dir, every: options.snapshotEvery ?? 50_000, log: this.log });
    this.pending = new PendingWrites(this.state);
    const store = this;
    const context: WriteContext = {
      pending: this.pending,
      get state() {
        return store.state;
      },
      assertWritable: () => this.assertWritable(),
      commit: (record, settle) => this.commit(record, settle),
    };
    this.content = new ContentWrites(context);
    this.trust = new TrustWrites(context);
    this.followUps = new FollowUpWrites(context);
    this.sessions = new OfficerSessionWrites({
      state: () => this.state.officerSessions,
      commit: async (record) => {
        this.assertWritable();
        await this.commit(record, () => {});
      },
    });
  }

  async open(): Promise<void> {
    if (this.status !== 'new') throw new Error(`JsonStore.open: store is ${this.status}`);
    const started = performance.now();
    createDataDir(this.dir);
    this.lock = await lockDir(this.dir);
    try {
      // Before anything changes a file: the marker vouches for the files exactly as the last clean close left them.
      const { generation, newReason } = await generationAtOpen(this.dir);
      this.tightenModes();
      await this.load(started);
      await consumeCleanMarker(this.dir);
      this.generationId = generation;
      if (newReason) this.log('info', 'new store generation: clients holding an older one resync', { generation, reason: newReason });
      this.status = 'open';
    } catch (err) {
      await this.journal?.close();
      this.lock.release();
      throw err;
    }
  }

  private tightenModes(): void {
    const tightened = tightenDataDir(this.dir);
    if (tightened.tightenedFrom !== undefined) {
      this.log('warn', 'data directory was open to other users; made it owner-only', { dir: this.dir, from: octal(tightened.tightenedFrom), to: octal(DIR_MODE) });
    }
    if (tightened.tightenedFiles.length > 0) {
      this.log('warn', 'data files were readable by other users; made them owner-only', { dir: this.dir, files: tightened.tightenedFiles.length, to: octal(FILE_MODE) });
    }
    if (this.lock!.removedOldLockFile) this.log('info', 'removed the LOCK file of an earlier version (the lock is now a socket)', { dir: this.dir });
  }

  private async load(started: number): Promise<void> {
    const { state, lastRecord, replayed, segment } = await loadState({
      dir: this.dir,
      snapshotDb: this.snapshots.db,
      eventRetention: this.eventRetention,
      log: this.log,
    });
    this.state = state;
    this.pending.restart(state);
    this.snapshots.pendingRecords = replayed;
    this.journal = await JournalWriter.open(this.dir, segment, lastRecord + 1, {
      afterBatch: async () => {
        if (this.status === 'open') await this.snapshots.afterBatch(this.journal!, this.state);
      },
      onFailure: (problem) => this.journalFailed(problem),
    });
    this.log('info', 'store loaded', {
      dir: this.dir,
      threads: this.state.threads.size,
      replayedRecords: replayed,
      ms: Math.round(performance.now() - started),
    });
  }

  /**
   * Waits for queued writes, snapshots, and, when the journal ended healthy, leaves the clean-shutdown
   * marker that lets the next start keep this generation.
   */
  async close(): Promise<void> {
    if (this.status !== 'open') return;
    this.status = 'closing';
    clearInterval(this.recovery);
    const journal = this.journal!;
    await journal.drain();
    await this.snapshots.idle();
    if (!journal.problem && this.snapshots.pendingRecords > 0) await this.snapshots.now(journal, this.state);
    await journal.close();
    if (!journal.problem) {
      try {
        await writeCleanMarker(this.dir, this.generationId!);
      } catch (err) {
        this.log('warn', 'could not leave the clean-shutdown marker; the next start begins a new generation', { error: (err as Error).message });
      }
    }
    this.lock?.release();
    this.status = 'closed';
  }

  /** Writes a snapshot now and waits until it is durable (the server may call it on demand). */
  async snapshot(): Promise<void> {
    this.assertWritable();
    await this.snapshots.now(this.journal!, this.state);
  }

  /**
   * Everything the store holds, as a snapshot would (`npm run migrate-store` copies it into PostgreSQL).
   * Waits for queued writes first, so nothing acknowledged is missing.
   */
  async exportData(): Promise<SnapshotData> {
    if (this.status !== 'open') throw new Error(`JsonStore.exportData: store is ${this.status}`);
    await this.idle();
    return this.state.toSnapshot({ journalRecord: 0, journalSegment: 0 });
  }

  /** Resolves once queued writes and any background snapshot have finished (tests, benchmarks). */
  async idle(): Promise<void> {
    await this.journal?.drain();
    await this.snapshots.idle();
  }

  async generation(): Promise<string> {
    if (!this.generationId) throw new Error('JsonStore.generation: the store is not open');
    return this.generationId;
  }

  async health(): Promise<StoreHealth> {
    if (this.status !== 'open') return { ok: false, reason: 'stopping', message: `The store is ${this.status === 'new' ? 'not open' : this.status}` };
    const problem = this.journal!.problem;
    return problem ? { ok: false, reason: problem.reason, message: unavailable(problem.reason, this.retryIntervalMs).message } : { ok: true };
  }

  // Writes: json-store-writes.ts, json-store-trust.ts and json-store-sessions.ts (one line each, so that this file does not grow).
  readonly createVisitor: Store['createVisitor'] = (req) => this.content.createVisitor(req);
  readonly renameVisitor: Store['renameVisitor'] = (req) => this.content.renameVisitor(req);
  readonly updateMember: Store['updateMember'] = (req) => this.content.updateMember(req);
  readonly createThread: Store['createThread'] = (req) => this.content.createThread(req);
  readonly createPost: Store['createPost'] = (req) => this.content.createPost(req);
  readonly updatePost: Store['updatePost'] = (req) => this.content.updatePost(req);
  readonly setAccepted: Store['setAccepted'] = (req) => this.content.setAccepted(req);
  readonly putVote: Store['putVote'] = (req) => this.trust.putVote(req);
  readonly addFlag: Store['addFlag'] = (req) => this.trust.addFlag(req);
  readonly clearFlags: Store['clearFlags'] = (req) => this.trust.clearFlags(req);
  readonly createVerificationRequest: Store['createVerificationRequest'] = (req) => this.trust.createVerificationRequest(req);
  readonly decideVerificationRequest: Store['decideVerificationRequest'] = (req) => this.trust.decideVerificationRequest(req);
  readonly appendAudit: Store['appendAudit'] = (req) => this.trust.appendAudit(req);
  readonly createOfficerSession: Store['createOfficerSession'] = (req) => this.sessions.create(req);
  readonly getOfficerSession: Store['getOfficerSession'] = (req) => this.sessions.get(req);
  readonly touchOfficerSession: Store['touchOfficerSession'] = (req) => this.sessions.touch(req);
  readonly endOfficerSession: Store['endOfficerSession'] = (req) => this.sessions.end(req);
  readonly endOfficerSessions: Store['endOfficerSessions'] = (req) => this.sessions.endAllOf(req);


  // The officers' follow-up queue: json-store-follow-ups.ts (one line each, so that this file does not grow).
  readonly openFollowUp: Store['openFollowUp'] = (req) => this.followUps.open(req);
  readonly getFollowUp: Store['getFollowUp'] = (req) => this.followUps.get(req);
  readonly getFollowUps: Store['getFollowUps'] = (req) => this.followUps.getMany(req);
  readonly updateFollowUp: Store['updateFollowUp'] = (req) => this.followUps.update(req);
  readonly setSlaStates: Store['setSlaStates'] = (req) => this.followUps.setSlaStates(req);
  readonly queryFollowUps: Store['queryFollowUps'] = (req) => this.followUps.query(req);
  readonly countFollowUps: Store['countFollowUps'] = (req) => this.followUps.count(req);
  readonly activeFollowUps: Store['activeFollowUps'] = () => this.followUps.active();
  readonly addNotifications: Store['addNotifications'] = (req) => this.followUps.addNotifications(req);
  readonly listNotifications: Store['listNotifications'] = (req) => this.followUps.listNotifications(req);
  readonly markNotificationsRead: Store['markNotificationsRead'] = (req) => this.followUps.markNotificationsRead(req);

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private assertWritable(): void {
    if (this.status === 'new') throw new Error('JsonStore: cannot write, the store is not open');
    if (this.status !== 'open') throw unavailable('stopping', this.retryIntervalMs);
    const problem = this.journal!.problem;
    if (problem) throw unavailable(problem.reason, this.retryIntervalMs);
  }

  /** Journals `record`; once durable, applies it, settles pending state, tells listeners; if abandoned, settles. */
  private commit(record: JournalRecord, settle: () => void): Promise<void> {
    const durable = () => {
      this.state.apply(record);
      this.snapshots.counted();
      settle();
      const event = recordEvent(record);
      if (event) this.emit(event);
    };
    return this.journal!.append(record, { durable, abandoned: settle }).catch((err: unknown) => {
      throw err instanceof JournalWriteError ? unavailable(err.problem.reason, this.retryIntervalMs) : err;
    });
  }

  private emit(event: ChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log('error', 'store listener threw', { error: (err as Error).message, site: event.site, seq: event.seq });
      }
    }
  }

  /**
   * A batch failed and every write in flight was abandoned (none acknowledged): seqs start again after the
   * committed ones. On a full disk, look for space every retryIntervalMs and take writes again by itself.
   */
  private journalFailed(problem: JournalProblem): void {
    this.pending.restart(this.state);
    const full = problem.reason === 'storage_full';
    this.log('error', full ? 'storage full: writes are refused until space is freed' : 'journal write failed: writes are refused until the server is restarted', {
      dir: this.dir,
      error: problem.error.message,
    });
    if (full && this.status === 'open') {
      this.recovery = setInterval(() => void this.recoverWhenSpace(problem), this.retryIntervalMs);
      this.recovery.unref();
    }
  }

  private async recoverWhenSpace(problem: JournalProblem): Promise<void> {
    if (this.recovering || this.status !== 'open') return;
    this.recovering = true;
    try {
      const { bavail, bsize } = await statfs(this.dir);
      if (bavail * bsize < Math.max(MIN_FREE_BYTES, 2 * problem.batchBytes)) return;
      await this.journal!.recover();
      clearInterval(this.recovery);
      this.log('info', 'storage has space again: writes are taken again', { dir: this.dir });
    } catch (err) {
      this.log('debug', 'storage still cannot be written', { error: (err as Error).message });
    } finally {
      this.recovering = false;
    }
  }
}

function unavailable(reason: string, retryIntervalMs: number): StoreUnavailableError {
  switch (reason) {
    case 'storage_full':
      return new StoreUnavailableError(reason, 'Storage is full (storage_full): nothing can be saved until space is freed in the data directory; retry later', retryIntervalMs);
    case 'write_failed':
      return new StoreUnavailableError(reason, 'Storage failed (write_failed): nothing can be saved until the server is restarted', RETRY_AFTER_WRITE_FAILURE_MS);
    default:
      return new StoreUnavailableError(reason, 'The server is shutting down (stopping); retry shortly', retryIntervalMs);
  }
}
