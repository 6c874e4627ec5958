import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { StoreCorruptError } from './store.js';

/**
 * A lowdb adapter that survives power loss: write() goes to a temp file, fsyncs it, renames it over
 * the target and fsyncs the directory (lowdb's stock JSONFile, through steno, does not fsync).
 * read() never guesses: a file that does not parse, or that `validate` rejects, throws
 * StoreCorruptError with line and byte offset, and is left as it is.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    readonly file: string,
    private readonly validate: (data: unknown) => string | undefined = () => undefined,
  ) {}

  async read(): Promise<T | null> {
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

  /** Serialises synchronously, before the first await, so `data` may change once this returns. */
  write(data: T): Promise<void> {
    return writeFileDurably(this.file, JSON.stringify(data));
  }
}

function positionOf(text: string, charIndex: number): string {
  const before = text.slice(0, charIndex);
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return `line ${line}, byte offset ${Buffer.byteLength(before)}`;
}

/** Replaces `file` atomically with `content`, durable once the promise resolves. */
export async function writeFileDurably(file: string, content: string): Promise<void> {
  const temp = `${file}.tmp`;
  const fh = await open(temp, 'w');
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(temp, file);
  await fsyncDir(path.dirname(file));
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
