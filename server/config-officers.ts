import { existsSync, readFileSync, watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { OFFICER_ROLES, type OfficerAccount } from './domain/officer-accounts.js';
import { isPasswordHash } from './domain/passwords.js';
import { ConfigError, describeIssues } from './config-error.js';

/** One account of the officers file (OSG_OFFICERS_FILE, written by `npm run officer`). */
const OfficerSchema = z.strictObject({
  username: z.string().regex(/^[a-z0-9_-]{3,32}$/, 'username: 3-32 of a-z 0-9 _ -'),
  name: z.string().min(2).max(60),
  passwordHash: z.string().refine(isPasswordHash, 'passwordHash must be written by `npm run officer -- add`'),
  /** Absent: `officer`. */
  role: z.enum(OFFICER_ROLES, { error: `role must be one of ${OFFICER_ROLES.join(', ')}` }).optional(),
  /** Absent: every configured site (and an admin always has every site). */
  sites: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'sites: site ids like kanreg1'))
    .min(1, 'sites: list at least one site, or leave "sites" out for every site')
    .optional(),
});

/** Officer accounts; a missing default file means none yet (the admin page says how to add one). */
export function loadOfficers(file: string, explicit: boolean, siteIds: readonly string[]): { officers: OfficerAccount[]; officersFile: string } {
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError(`OSG_OFFICERS_FILE: ${file} does not exist`);
    return { officers: [], officersFile: file };
  }
  return { officers: readOfficersFile(file, siteIds), officersFile: file };
}

/**
 * Reads and validates an officers file (as `npm run officer` writes it); throws ConfigError. With
 * `siteIds` (the configured sites), an account that names another site is refused: a typo would otherwise
 * leave an officer silently without their queue.
 */
export function readOfficersFile(file: string, siteIds?: readonly string[]): OfficerAccount[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`officers file ${file}: cannot read JSON: ${(err as Error).message}`);
  }
  const parsed = z.array(OfficerSchema).safeParse(raw);
  if (!parsed.success) throw new ConfigError(`officers file ${file}: ${describeIssues(parsed.error)}`);
  const names = new Set<string>();
  for (const o of parsed.data) {
    if (names.has(o.username)) throw new ConfigError(`officers file ${file}: "${o.username}" is listed twice`);
    names.add(o.username);
    const unknown = siteIds && o.sites ? o.sites.filter((s) => !siteIds.includes(s)) : [];
    if (unknown.length) {
      throw new ConfigError(
        `officers file ${file}: "${o.username}" lists ${unknown.map((s) => `"${s}"`).join(', ')}, not a configured site (sites: ${siteIds!.join(', ')})`,
      );
    }
  }
  return parsed.data;
}

/**
 * Watches the officers file while the server runs, so that adding or removing an officer or changing a
 * password takes effect without a restart. Each change is read and validated like at start-up; a file that
 * is missing or does not validate is reported to `onError` and the accounts in force stay as they are.
 * `onAccounts` gets every valid content that differs from the last one (starting from `current`).
 *
 * It watches the directory (the CLI replaces the file by renaming a new one over it, which a watch on the
 * file itself would lose), plus a slow stat poll for file systems that deliver no change events. By default
 * that directory is the data directory, so journal appends wake the watcher too; the name check drops them.
 */
export function watchOfficersFile(
  file: string,
  current: OfficerAccount[],
  onAccounts: (accounts: OfficerAccount[]) => void,
  onError: (message: string) => void,
  options: { debounceMs?: number; pollMs?: number; siteIds?: readonly string[] } = {},
): { check(): void; close(): void } {
  let last = JSON.stringify(current);
  let lastError: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const check = () => {
    if (closed) return;
    let accounts: OfficerAccount[];
    try {
      if (!existsSync(file)) {
        // No file and no accounts: no officers yet, as at start-up.
        if (last === '[]') return;
        throw new ConfigError(`officers file ${file} is missing`);
      }
      accounts = readOfficersFile(file, options.siteIds);
    } catch (err) {
      const message = `${(err as Error).message}; the officer accounts in force are kept`;
      // Said once per problem, however many change events the same bad file causes.
      if (message !== lastError) onError(message);
      lastError = message;
      return;
    }
    lastError = undefined;
    const text = JSON.stringify(accounts);
    if (text === last) return;
    last = text;
    onAccounts(accounts);
  };
  const soon = () => {
    clearTimeout(timer);
    // Lets an editor that writes in several steps finish before the file is read.
    timer = setTimeout(check, options.debounceMs ?? 50);
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
      if (name === null || name === basename(file)) soon();
    });
    watcher.on('error', (err) => onError(`cannot watch the officers file ${file}: ${err.message}`));
  } catch (err) {
    onError(`cannot watch the officers file ${file}: ${(err as Error).message}; changes are noticed by polling only`);
  }
  watchFile(file, { persistent: false, interval: options.pollMs ?? 5000 }, soon);
  return {
    check,
    close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
      unwatchFile(file, soon);
    },
  };
}
