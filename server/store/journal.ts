import { open, readdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { AuditEntry, ChangeEvent, Flag, VerificationRequest, Visitor, Vote } from '../domain/model.js';
import { StoreCorruptError } from './store.js';
import { FILE_MODE } from './data-dir.js';
import { fsyncDir } from './durable-file-adapter.js';
import type { FollowUpRecord } from './follow-up-state.js';
import type { OfficerSessionRecord } from './officer-session-state.js';

/**
 * One change as the journal keeps it. Replaying them in order rebuilds the store. Records are only
 * ever added: every type here must keep replaying from journals written by earlier versions.
 */
export type JournalRecord =
  | { t: 'visitor.created'; visitor: Visitor }
  | { t: 'visitor.renamed'; id: string; name: string; at: string }
  /** `patch` holds the fields to set; a `null` value removes that field (JSON has no undefined). */
  | { t: 'visitor.updated'; id: string; patch: Record<string, unknown> }
  /** `member`: a new post's patch of its author (counts, activity), committed with it (absent in older journals). */
  | { t: 'change'; event: ChangeEvent; member?: { id: string; patch: Record<string, unknown> } }
  /** A vote stored (`vote`) or removed (`remove`), with the `post.updated` event carrying the new counts. */
  | { t: 'vote'; vote?: Vote; remove?: { postId: string; voterId: string }; event: ChangeEvent }
  | { t: 'flag.added'; flag: Flag }
  | { t: 'flags.cleared'; postId: string }
  | { t: 'verification.created'; request: VerificationRequest }
  | {
      t: 'verification.decided';
      id: string;
      status: 'approved' | 'rejected';
      decidedAt: string;
      decidedBy: string;
      decisionNote?: string;
    }
  | { t: 'audit'; entry: AuditEntry }
  | OfficerSessionRecord
  | FollowUpRecord;

/** The sequenced change a record commits, if any: what subscribers hear once it is durable. */
export function recordEvent(record: JournalRecord): ChangeEvent | undefined {
  switch (record.t) {
    case 'change':
    case 'vote':
    case 'follow-up.opened':
    case 'follow-up.updated':
      return record.event;
    default:
      return undefined;
  }
}

/**
 * A line is `{"c":"<crc32 hex>","n":<record number>,"r":<record>}` + "\n". The checksum covers the
 * bytes after the fixed 16-byte prefix `{"c":"xxxxxxxx",`, so the line stays plain NDJSON and is
 * checked without re-serialising anything.
 */
const PREFIX_LENGTH = 16;
const NEWLINE = 0x0a;

export function encodeLine(n: number, record: JournalRecord): string {
  const rest = `"n":${n},"r":${JSON.stringify(record)}}`;
  return `{"c":"${hex8(crc32(rest))}",${rest}\n`;
}

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}

export interface SegmentFile {
  number: number;
  path: string;
}

const SEGMENT_NAME = /^journal-(\d{6,})\.ndjson$/;

export function segmentPath(dir: string, number: number): string {
  return path.join(dir, `journal-${String(number).padStart(6, '0')}.ndjson`);
}

/** The journal segments in a directory, oldest first. */
export async function listSegments(dir: string): Promise<SegmentFile[]> {
  const names = await readdir(dir);
  return names
    .map((name) => SEGMENT_NAME.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ number: Number(m[1]), path: path.join(dir, m[0]) }))
    .sort((a, b) => a.number - b.number);
}

export interface ScannedRecord {
  n: number;
  record: JournalRecord;
  /** 1-based line number and byte offset of the line's start, for error messages. */
  line: number;
  offset: number;
}

export interface ScannedSegment {
  records: ScannedRecord[];
  /** Bytes after the last newline: a write cut short by a crash, never acknowledged. */
  torn?: { offset: number; line: number; bytes: Buffer };
}

export function describePosition(line: number, offset: number): string {
  return `line ${line}, byte offset ${offset}`;
}

/**
 * Checks every complete line of a segment. Throws StoreCorruptError on the first line that is not
 * a well-formed, checksummed record; an incomplete last line is returned as `torn` for the caller
 * to judge (only the newest segment may have one).
 */
export function scanSegment(file: string, buf: Buffer): ScannedSegment {
  const records: ScannedRecord[] = [];
  let offset = 0;
  let line = 0;
  while (offset < buf.length) {
    line++;
    const end = buf.indexOf(NEWLINE, offset);
    if (end === -1) return { records, torn: { offset, line, bytes: buf.subarray(offset) } };
    const problem = lineProblem(buf, offset, end);
    if (problem) throw new StoreCorruptError(file, describePosition(line, offset), problem);
    let parsed: { n?: unknown; r?: { t?: unknown } };
    try {
      parsed = JSON.parse(buf.toString('utf8', offset, end));
    } catch (err) {
      throw new StoreCorruptError(file, describePosition(line, offset), `not valid JSON (${(err as Error).message})`);
    }
    if (!Number.isSafeInteger(parsed.n) || typeof parsed.r !== 'object' || parsed.r === null || typeof parsed.r.t !== 'string') {
      throw new StoreCorruptError(file, describePosition(line, offset), 'record has no number or no body');
    }
    records.push({ n: parsed.n as number, record: parsed.r as JournalRecord, line, offset });
    offset = end + 1;
  }
  return { records };
}

const PREFIX_OPEN = Buffer.from('{"c":"', 'latin1');
const PREFIX_CLOSE = Buffer.from('",', 'latin1');

/** What is wrong with the frame of the line `buf[start, end)` (prefix, checksum), if anything. Reads bytes in place. */
function lineProblem(buf: Buffer, start: number, end: number): string | undefined {
  if (end === start) return 'empty line';
  if (end - start < PREFIX_LENGTH + 2 || !bytesAt(buf, start, PREFIX_OPEN) || !bytesAt(buf, start + 14, PREFIX_CLOSE)) {
    return 'line does not start with a checksum';
  }
  const expected = hex8At(buf, start + 6);
  if (expected === -1 || crc32(buf.subarray(start + PREFIX_LENGTH, end)) !== expected) return 'checksum mismatch';
  return undefined;
}

function bytesAt(buf: Buffer, at: number, expected: Buffer): boolean {
  for (let i = 0; i < expected.length; i++) if (buf[at + i] !== expected[i]) return false;
  return true;
}

/** The 8 lower-case or upper-case hex digits at `at` as a number, or -1 if one is not a hex digit. */
function hex8At(buf: Buffer, at: number): number {
  let value = 0;
  for (let i = at; i < at + 8; i++) {
    const c = buf[i];
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (digit === -1) return -1;
    value = value * 16 + digit;
  }
  return value;
}

export async function openSegment(dir: string, segment: number): Promise<FileHandle> {
  const fh = await open(segmentPath(dir, segment), 'a', FILE_MODE);
  // The new name must survive a crash too, not only the bytes written into it.
  await fsyncDir(dir);
  return fh;
}
