import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, writeFileDurably } from './durable-file-adapter.js';

/**
 * The store's generation: an id that stays the same only while the store can vouch that its history is whole,
 * i.e. that every seq it ever handed out still means the same change. A client that holds a seq of another
 * generation must resync (a lost journal tail, or a restored older copy, hands the same seq out again).
 *
 * The JSON store keeps its generation across a restart only through a clean-shutdown marker: written as the
 * very last step of close(), naming the generation and the identity of every data file (inode, size, times),
 * and consumed (deleted, durably) at the next open. Without the marker (first start, kill -9, power loss,
 * a copy taken while the server ran) or with files that are not the ones it names (restored from any copy:
 * a restore makes new inodes and a new ctime, which no tool can set back), the store starts a new generation.
 *
 * Limits: a filesystem rolled back as a whole (LVM, ZFS or btrfs snapshot, a VM image) brings the marker and
 * the very same inodes back, so that is not noticed; after such a rollback delete `clean-shutdown.json`
 * before starting. Changing files' owner or mode while stopped also starts a new generation (harmless: clients
 * reload once).
 */
export const CLEAN_MARKER = 'clean-shutdown.json';

interface Marker {
  generation: string;
  files: FileIdentity[];
}

interface FileIdentity {
  name: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
}

const GENERATION = /^[A-Za-z0-9_-]{1,64}$/;
const DATA_FILE = /^(snapshot\.json|journal-\d{6,}\.ndjson)$/;

export function newGeneration(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * The generation the marker vouches for, or a new one with the reason. Reads only: the caller consumes the
 * marker (consumeCleanMarker) once the data has loaded, before any write.
 */
export async function generationAtOpen(dir: string): Promise<{ generation: string; newReason?: string }> {
  let marker: Marker;
  try {
    marker = JSON.parse(await readFile(path.join(dir, CLEAN_MARKER), 'utf8')) as Marker;
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no clean-shutdown marker: first start, or the last run did not stop cleanly' : 'the clean-shutdown marker is unreadable';
    return { generation: newGeneration(), newReason: reason };
  }
  if (typeof marker?.generation !== 'string' || !GENERATION.test(marker.generation) || !Array.isArray(marker.files)) {
    return { generation: newGeneration(), newReason: 'the clean-shutdown marker is not one this server wrote' };
  }
  const now = JSON.stringify(await dataFileIdentities(dir));
  if (now !== JSON.stringify(marker.files)) {
    return { generation: newGeneration(), newReason: 'the data files are not those of the last clean shutdown (restored from a copy?)' };
  }
  return { generation: marker.generation };
}

/** Deletes the marker durably: from now on a crash must not look like a clean shutdown. */
export async function consumeCleanMarker(dir: string): Promise<void> {
  await rm(path.join(dir, CLEAN_MARKER), { force: true });
  await fsyncDir(dir);
}

/** The last step of a clean close, once every data file is final. */
export async function writeCleanMarker(dir: string, generation: string): Promise<void> {
  const marker: Marker = { generation, files: await dataFileIdentities(dir) };
  await writeFileDurably(path.join(dir, CLEAN_MARKER), `${JSON.stringify(marker)}\n`);
}

async function dataFileIdentities(dir: string): Promise<FileIdentity[]> {
  const names = (await readdir(dir)).filter((name) => DATA_FILE.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const s = await stat(path.join(dir, name), { bigint: true });
      return { name, ino: String(s.ino), size: String(s.size), mtimeNs: String(s.mtimeNs), ctimeNs: String(s.ctimeNs) };
    }),
  );
}
