import { createHash } from 'node:crypto';

/**
 * An officer account from the officers file (`npm run officer`); the password is kept only as a scrypt
 * hash. Room to grow: the officer console adds `role` and `sites` here. Only `passwordHash` is a
 * credential: a change to anything else takes effect on the next request without ending sessions,
 * because every officer request reads the account as it is now.
 */
export interface OfficerAccount {
  username: string;
  name: string;
  passwordHash: string;
}

/** What a reload changed, by username. */
export interface AccountChanges {
  added: string[];
  removed: string[];
  /** The password hash differs: every session of the account ends. */
  passwordChanged: string[];
  /** Display name (or, later, role or sites) differs; sessions go on. */
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
