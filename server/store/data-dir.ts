import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The data directory holds NIPs (verification requests) and the token secret: only its owner may enter it. */
export const DIR_MODE = 0o700;
/** Every file the server writes in it: journal segments, snapshot and its .tmp, torn-tail side files, lock, markers. */
export const FILE_MODE = 0o600;

export interface PreparedDir {
  /** The directory's mode before it was tightened, when it let others in. */
  tightenedFrom?: number;
  /** Files in it that others could read, now owner-only. */
  tightenedFiles: string[];
}

/** Creates the data directory owner-only when it does not exist yet. */
export function createDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
}

/**
 * Makes an existing data directory and its files owner-only: an earlier version created it 0755 and its
 * files 0644, readable by every local user.
 */
export function tightenDataDir(dir: string): PreparedDir {
  const result: PreparedDir = { tightenedFiles: [] };
  const mode = statSync(dir).mode & 0o777;
  if (mode & 0o077) {
    chmodSync(dir, mode & DIR_MODE);
    result.tightenedFrom = mode;
  }
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    const stat = lstatSync(file);
    if ((stat.isFile() || stat.isSocket()) && stat.mode & 0o077) {
      chmodSync(file, stat.mode & FILE_MODE);
      result.tightenedFiles.push(name);
    }
  }
  return result;
}

/** The mode as `ls` writes it in octal, for log lines. */
export function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
