import { createHash } from 'node:crypto';
import type { OfficerRole } from '../protocol.js';

/**
 * What an officer may do: `officer` works the queue of their sites; `supervisor` also assigns others, sees
 * their sites' workload and receives escalations; `admin` has every site.
 */
export const OFFICER_ROLES = ['officer', 'supervisor', 'admin'] as const satisfies readonly OfficerRole[];

/**
 * An officer account from the officers file (`npm run officer`); the password is kept only as a scrypt
 * hash. Only `passwordHash` is a credential: a change to anything else (name, role, sites) takes effect on
 * the next request without ending sessions, because every officer request reads the account as it is now.
 */
export interface OfficerAccount {
  username: string;
  name: string;
  passwordHash: string;
  /** Absent: `officer`. */
  role?: OfficerRole;
  /** The sites whose queue the officer works; absent: every configured site. Ignored for an admin. */
  sites?: string[];
}

/** The role an account has (the file may leave it out). */
export function accountRole(account: Pick<OfficerAccount, 'role'>): OfficerRole {
  return account.role ?? 'officer';
}

/**
 * The sites an account works, among the configured ones (in configuration order): an admin and an account
 * that lists none have every site.
 */
export function accountSites(account: Pick<OfficerAccount, 'role' | 'sites'>, configured: readonly string[]): string[] {
  if (accountRole(account) === 'admin' || account.sites === undefined) return [...configured];
  return configured.filter((site) => account.sites!.includes(site));
}

/** What a reload changed, by username. */
export interface AccountChanges {
  added: string[];
  removed: string[];
  /** The password hash differs: every session of the account ends. */
  passwordChanged: string[];
  /** Display name, role or sites differ; sessions go on, and the next request sees the new ones. */
  updated: string[];
}

/**
 * A one-way stamp of a password hash, kept in each session so that a session opened with an older
 * password never matches the account again. (The hash has a random salt, so the stamp reveals nothing.)
 */
export function credentialStamp(account: Pick<OfficerAccount, 'passwordHash'>): string {
  return createHash('sha256').update(account.passwordHash).digest('base64url').slice(0, 22);
}

/** The officer accounts now in force. Replaced as a whole when the officers file changes. */
export class OfficerAccounts {
  #byName = new Map<string, OfficerAccount>();

  constructor(accounts: OfficerAccount[] = []) {
    this.replace(accounts);
  }

  get(username: string): OfficerAccount | undefined {
    return this.#byName.get(username);
  }

  all(): OfficerAccount[] {
    return [...this.#byName.values()];
  }

  /** Puts `accounts` in force at once and says what changed. */
  replace(accounts: OfficerAccount[]): AccountChanges {
    const next = new Map(accounts.map((a) => [a.username, { ...a }]));
    const changes: AccountChanges = { added: [], removed: [], passwordChanged: [], updated: [] };
    for (const [username, before] of this.#byName) {
      const after = next.get(username);
      if (!after) changes.removed.push(username);
      else if (after.passwordHash !== before.passwordHash) changes.passwordChanged.push(username);
      else if (JSON.stringify(after) !== JSON.stringify(before)) changes.updated.push(username);
    }
    for (const username of next.keys()) if (!this.#byName.has(username)) changes.added.push(username);
    this.#byName = next;
    return changes;
  }
}
