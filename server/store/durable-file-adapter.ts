import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { FILE_MODE } from './data-dir.js';
import { StoreCorruptError } from './store.js';

/**
 * A lowdb adapter that survives power loss: write() goes to a temp file, fsyncs it, renames it over
 * the target and fsyncs the directory (lowdb's stock JSONFile, through steno, does not fsync).
 * read() never guesses: a file that does not parse, or that `validate` rejects, throws
 * StoreCorruptError with line and byte offset, and is left as it is.
 *
 * The file is one JSON document, written with the array members of the top-level object a chunk
 * of elements a line (below), so that read() can parse it a line at a time through a small buffer
 * rather than holding a 47 MB snapshot whole as a Buffer and again as a string (about a third of a
 * start-up with 100,000 threads; docs/PERFORMANCE.md). Any file not exactly in that layout, such as
 * one written on one line by an earlier version or by hand, is read whole with JSON.parse.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    readonly file: string,
    private readonly validate: (data: unknown) => string | undefined = () => undefined,
  ) {}

  async read(): Promise<T | null> {
    const lined = await readLined(this.file);
    if (lined === null) return null;
    if (lined !== undefined) {
      const problem = this.validate(lined.data);
      if (problem) throw new StoreCorruptError(this.file, describe(1, 0), problem);
      return lined.data as T;
    }
    return this.readWhole();
  }

  /** Serialises synchronously, before the first await, so `data` may change once this returns. */
  write(data: T): Promise<void> {
    return writeFileDurably(this.file, serialiseLined(data));
  }

  /** The reference reader: any valid JSON, and the exact position of what is not. */
  private async readWhole(): Promise<T | null> {
    let buf: Buffer;
    try {
      buf = await readFile(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const text = buf.toString('utf8');
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message;
      const at = /at position (\d+)/.exec(message);
      const charIndex = at ? Number(at[1]) : text.length;
      throw new StoreCorruptError(this.file, positionOf(text, charIndex), `not valid JSON (${message})`);
    }
    const problem = this.validate(data);
    if (problem) throw new StoreCorruptError(this.file, positionOf(text, 0), problem);
    return data as T;
  }
}

/*
 * The lined layout of an object, still one JSON document:
 *
 *   {
 *   "format":2,                   a member that is not an array (or whose name is not plain): one line
 *   …
 *   "threads":[                   an array member whose name is letters and digits: one line to open it,
 *   {…},{…},…,{…},                then ELEMENTS_PER_LINE elements a line, "," between lines,
 *   {…}
 *   ],                            and one to close it
 *   …
 *   }
 *
 * A "," ends every member but the last. JSON.stringify escapes every newline inside a string, so each
 * line break is one of these.
 */
const ELEMENTS_PER_LINE = 64; // lines of ~30 KB with threads: short-lived strings; measured fastest
const SECTION_START = /^"([A-Za-z][A-Za-z0-9]*)":\[$/;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const READ_CHUNK = 1 << 20;
const WRITE_CHUNK = 1 << 20;

/** `data`'s JSON text in parts, to be written in order: in the lined layout when it is a plain object. */
export function serialiseLined(data: unknown): string[] {
  if (typeof data !== 'object' || data === null || Object.getPrototypeOf(data) !== Object.prototype) return [JSON.stringify(data)];
  const parts = ['{\n'];
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value) && SECTION_START.test(`"${key}":[`)) {
      if (parts.length > 1) parts.push(',\n');
      parts.push(`"${key}":[\n`);
      for (let at = 0; at < value.length; at += ELEMENTS_PER_LINE) {
        const more = at + ELEMENTS_PER_LINE < value.length;
        parts.push(JSON.stringify(value.slice(at, at + ELEMENTS_PER_LINE)).slice(1, -1), more ? ',\n' : '\n');
      }
      parts.push(']');
    } else {
      const text = JSON.stringify(value) as string | undefined; // undefined for what JSON leaves out
      if (text === undefined) continue;
      if (parts.length > 1) parts.push(',\n');
      parts.push(`${JSON.stringify(key)}:${text}`);
    }
  }
  parts.push(parts.length > 1 ? '\n}\n' : '}\n');
  return parts;
}

/**
 * Reads `file` if it is exactly in the lined layout: `undefined` when it is not (or is damaged: the
 * caller then reads it whole, which finds and places the damage), `null` when there is no file.
 * Whatever it accepts is a JSON document that JSON.parse reads to the same value.
 */
export async function readLined(file: string): Promise<{ data: Record<string, unknown> } | null | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return await parseLined(new LineReader(fh));
  } finally {
    await fh.close();
  }
}

async function parseLined(lines: LineReader): Promise<{ data: Record<string, unknown> } | undefined> {
  const first = await lines.next(1); // a file on one line is given up after the first read
  if (!first || !isText(first, '{')) return undefined;
  const data: Record<string, unknown> = {};
  let commaAfterLast: boolean | undefined;
  for (;;) {
    let line = await lines.next();
    if (!line) return undefined;
    if (isText(line, '}')) break;
    if (commaAfterLast === false) return undefined;
    const name = line.length < 100 ? SECTION_START.exec(line.toString('latin1'))?.[1] : undefined;
    if (name !== undefined) {
      if (Object.hasOwn(data, name)) return undefined;
      const list: unknown[] = [];
      let commaAfterChunk: boolean | undefined;
      for (;;) {
        line = await lines.next();
        if (!line) return undefined;
        if (isText(line, ']') || isText(line, '],')) break;
        if (commaAfterChunk === false) return undefined;
        commaAfterChunk = line[line.length - 1] === COMMA;
        const items = parseJson(`[${line.toString('utf8', 0, commaAfterChunk ? line.length - 1 : line.length)}]`);
        if (!Array.isArray(items) || items.length === 0) return undefined;
        for (const item of items) list.push(item);
      }
      if (commaAfterChunk === true) return undefined;
      data[name] = list;
      commaAfterLast = line.length === 2;
    } else {
      commaAfterLast = line[line.length - 1] === COMMA;
      const member = parseJson(`{${line.toString('utf8', 0, commaAfterLast ? line.length - 1 : line.length)}}`);
      if (typeof member !== 'object' || member === null || Array.isArray(member)) return undefined;
      const entries = Object.entries(member);
      if (entries.length === 0) return undefined;
      for (const [key, value] of entries) {
        if (key === '__proto__' || Object.hasOwn(data, key)) return undefined;
        data[key] = value;
      }
    }
  }
  if (commaAfterLast === true || (await lines.next()) !== undefined || lines.unterminated) return undefined;
  return { data };
}

/** Reads a file a line at a time through one reused buffer. */
class LineReader {
  private buf = Buffer.allocUnsafe(READ_CHUNK);
  private start = 0;
  private end = 0;
  private eof = false;

  constructor(private readonly fh: FileHandle) {}

  /**
   * The next complete line, without its newline, valid until the next call; `undefined` at the end
   * of the file, or when the line is longer than `limit` bytes.
   */
  async next(limit = Infinity): Promise<Buffer | undefined> {
    for (;;) {
      const newline = this.buf.subarray(0, this.end).indexOf(NEWLINE, this.start);
      if (newline !== -1) {
        if (newline - this.start > limit) return undefined;
        const line = this.buf.subarray(this.start, newline);
        this.start = newline + 1;
        return line;
      }
      if (this.eof || this.end - this.start > limit) return undefined;
      await this.fill();
    }
  }

  /** Whether the file ends with bytes after its last newline. */
  get unterminated(): boolean {
    return this.eof && this.end > this.start;
  }

  private async fill(): Promise<void> {
    this.buf.copy(this.buf, 0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    if (this.end === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    const { bytesRead } = await this.fh.read(this.buf, this.end, this.buf.length - this.end, null);
    if (bytesRead === 0) this.eof = true;
    this.end += bytesRead;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isText(line: Buffer, text: string): boolean {
  return line.length === text.length && line.toString('latin1') === text;
}

function positionOf(text: string, charIndex: number): string {
  const before = text.slice(0, charIndex);
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return describe(line, Buffer.byteLength(before));
}

function describe(line: number, byteOffset: number): string {
  return `line ${line}, byte offset ${byteOffset}`;
}

/** Replaces `file` atomically with `content` (written in order), durable once the promise resolves. */
export async function writeFileDurably(file: string, content: string | string[]): Promise<void> {
  const temp = `${file}.tmp`;
  try {
    const fh = await open(temp, 'w', FILE_MODE);
    try {
      await fh.chmod(FILE_MODE); // a .tmp left by an earlier version keeps its old mode through 'w'
      await writeParts(fh, typeof content === 'string' ? [content] : content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, file);
  } catch (err) {
    // A failed write (a full disk) must not leave a large half-written file behind to fill it further.
    await rm(temp, { force: true }).catch(() => {});
    throw err;
  }
  await fsyncDir(path.dirname(file));
}

/** Writes the parts through one reused buffer, so that they are never joined into one huge string. */
async function writeParts(fh: FileHandle, parts: string[]): Promise<void> {
  const buf = Buffer.allocUnsafe(WRITE_CHUNK);
  let used = 0;
  for (const part of parts) {
    const size = Buffer.byteLength(part);
    if (used + size > buf.length && used > 0) {
      await writeAll(fh, buf.subarray(0, used));
      used = 0;
    }
    if (size > buf.length) await writeAll(fh, Buffer.from(part));
    else used += buf.write(part, used);
  }
  if (used > 0) await writeAll(fh, buf.subarray(0, used));
}

/** write() may write less than asked; this does not. */
export async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let written = 0;
  while (written < buf.length) {
    const { bytesWritten } = await fh.write(buf, written, buf.length - written);
    written += bytesWritten;
  }
}

/** Makes renames, creations and deletions in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
