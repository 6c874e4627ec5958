import { open, readFile, rm, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { Low } from 'lowdb';
import { FILE_MODE } from './data-dir.js';
import { fsyncDir } from './durable-file-adapter.js';
import { describePosition, listSegments, scanSegment } from './journal.js';
import { MemoryState } from './memory-state.js';
import type { StoredSnapshot } from './snapshot-format.js';
import { StoreCorruptError } from './store.js';
import type { StoreLog } from './json-store.js';

export const SNAPSHOT_FILE = 'snapshot.json';

/**
 * Opening the JSON store: read the snapshot, check every journal segment, replay the records the
 * snapshot does not cover, and only then (everything checked) change a file: move a torn tail aside
 * and remove a snapshot's leftover `.tmp`.
 */
export async function loadState(options: {
  dir: string;
  snapshotDb: Low<StoredSnapshot>;
  eventRetention: number;
  log: StoreLog;
}): Promise<{ state: MemoryState; lastRecord: number; replayed: number; segment: number }> {
  const { dir, snapshotDb, eventRetention, log } = options;
  await snapshotDb.read();
  const snapshot = snapshotDb.data;
  const snapshotFile = path.join(dir, SNAPSHOT_FILE);
  let state: MemoryState;
  try {
    state = MemoryState.fromSnapshot(snapshot, eventRetention);
  } catch (err) {
    throw new StoreCorruptError(snapshotFile, describePosition(1, 0), (err as Error).message);
  }

  const { lastRecord, replayed, segment, torn } = await replayJournal(dir, state, snapshot);
  // Only now, with every file checked, is anything on disk changed.
  if (torn) await moveTornTailAside(dir, log, torn.file, torn.offset, torn.bytes);
  await rm(`${snapshotFile}.tmp`, { force: true });
  return { state, lastRecord, replayed, segment };
}

/** Checks every segment, then applies the records the snapshot does not cover to `state`. Changes no file. */
async function replayJournal(dir: string, state: MemoryState, snapshot: StoredSnapshot) {
  const segments = await listSegments(dir);
  let lastRecord = snapshot.journalRecord;
  let previous: number | undefined;
  let replayed = 0;
  let torn: { file: string; offset: number; bytes: Buffer } | undefined;
  for (const [index, segment] of segments.entries()) {
    const scanned = scanSegment(segment.path, await readFile(segment.path));
    for (const { n, record, line, offset } of scanned.records) {
      const gap = previous === undefined ? n > snapshot.journalRecord + 1 : n !== previous + 1;
      if (gap) {
        const expected = previous === undefined ? `at most ${snapshot.journalRecord + 1}` : String(previous + 1);
        throw new StoreCorruptError(segment.path, describePosition(line, offset), `record number ${n} where ${expected} was expected: records are missing`);
      }
      previous = n;
      if (n <= snapshot.journalRecord) continue;
      try {
        state.apply(record);
      } catch (err) {
        throw new StoreCorruptError(segment.path, describePosition(line, offset), `record ${n} does not fit the data before it: ${(err as Error).message}`);
      }
      lastRecord = n;
      replayed++;
    }
    if (scanned.torn) {
      const { line, offset } = scanned.torn;
      if (index !== segments.length - 1) {
        throw new StoreCorruptError(segment.path, describePosition(line, offset), 'incomplete last line in a segment that is not the newest');
      }
      torn = { file: segment.path, offset, bytes: scanned.torn.bytes };
    }
  }
  const newest = segments.at(-1)?.number ?? 0;
  return { lastRecord, replayed, torn, segment: Math.max(newest, snapshot.journalSegment, 1) };
}

/** A crash cut the last write short: that record was never acknowledged. Keep its bytes aside. */
async function moveTornTailAside(dir: string, log: StoreLog, file: string, offset: number, bytes: Buffer): Promise<void> {
  const sideFile = `${file}.torn-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const fh = await open(sideFile, 'wx', FILE_MODE);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await truncate(file, offset);
  const segment = await open(file, 'r+');
  try {
    await segment.sync();
  } finally {
    await segment.close();
  }
  await fsyncDir(dir);
  log('warn', 'journal ended with an incomplete record (crash residue, never acknowledged); moved it aside', {
    file,
    offset,
    bytes: bytes.length,
    sideFile,
  });
}
