import { nanoid } from 'nanoid';
import type { SessionEndReason } from '../protocol.js';
import type { Store } from '../store/store.js';
import { DomainError } from './errors.js';
import { credentialStamp, type OfficerAccount, type OfficerAccounts } from './officer-accounts.js';
import type { OfficerSession, Visitor } from './model.js';
import type { TokenClaims, TokenSigner } from './tokens.js';

export interface SessionSettings {
  /** A session with no request for this long ends (`session_ended`, reason `idle`). */
  idleMinutes: number;
  /** A session ends this long after sign-in whatever happens (`token_expired`). */
  sessionHours: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleMinutes: 30, sessionHours: 12 };

/** Activity is recorded at most this often, so that reading is not a durable write per request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Officer sessions: server-side, in the store, so that signing out, signing in again, a password change
 * and an account's removal each end tokens at once, across restarts (and, with a shared store, across
 * instances). The token only names its session; every officer request checks, in order:
 * the session exists and has not ended; its absolute end has not passed; the account still exists with
 * the password the session was opened with; and it has not been idle too long.
 *
 * Idle time counts from the last *recorded* activity, recorded at most once a minute (or a tenth of the
 * idle time, if shorter): a session ends between `idleMinutes - 1` and `idleMinutes` after its last
 * request, never later, and the same on every instance and after a restart.
 */
export class OfficerSessions {
  readonly #store: Store;
  readonly #tokens: TokenSigner;
  readonly #accounts: OfficerAccounts;
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #idleMs: number;
  readonly #sessionSeconds: number;
  readonly #touchEveryMs: number;
  /** Sessions whose activity is being recorded now: concurrent requests record it once. */
  readonly #touching = new Set<string>();

  constructor(options: { store: Store; tokens: TokenSigner; accounts: OfficerAccounts; settings?: SessionSettings; now?: () => number; newId?: () => string }) {
    const settings = options.settings ?? DEFAULT_SESSION_SETTINGS;
    this.#store = options.store;
    this.#tokens = options.tokens;
    this.#accounts = options.accounts;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => nanoid(21));
    this.#idleMs = settings.idleMinutes * 60_000;
    this.#sessionSeconds = Math.round(settings.sessionHours * 3600);
    this.#touchEveryMs = Math.min(TOUCH_EVERY_MS, this.#idleMs / 10);
  }

  /** Opens a session for a signed-in officer and ends their older ones (one session per account). */
  async start(account: OfficerAccount, member: Visitor): Promise<{ token: string; expiresAt: string }> {
    const now = this.#now();
    const id = this.#newId();
    const signed = this.#tokens.sign(member.id, now, this.#sessionSeconds, id);
    const at = new Date(now).toISOString();
    const session: OfficerSession = {
      id,
      officerId: member.id,
      username: account.username,
      credential: credentialStamp(account),
      createdAt: at,
      expiresAt: signed.expiresAt,
      lastSeenAt: at,
    };
    await this.#store.createOfficerSession({ session, endOthers: true });
    return signed;
  }

  /**
   * Checks an officer's token claims against their session; returns the account as it is now. Throws
   * `session_ended` (with the reason) or `token_expired`. Records activity at most once a minute, unless
   * `activity` is false (a live socket checking its session is no sign that the officer is there).
   */
  async check(claims: TokenClaims, member: Visitor, options: { activity?: boolean } = {}): Promise<OfficerAccount> {
    // A token without a session predates sessions: it is over.
    if (claims.sid === undefined) throw ended(undefined);
    const session = await this.#store.getOfficerSession({ id: claims.sid });
    if (!session || session.officerId !== member.id || session.officerId !== claims.sub) throw ended(undefined);
    if (session.endedAt) throw ended(session.endReason);
    const now = this.#now();
    if (Date.parse(session.expiresAt) <= now) throw new DomainError('token_expired', 'The officer session has reached its end');
    const account = this.#accounts.get(session.username);
    if (!account || member.username !== session.username) return this.#endAndRefuse(session, 'account_removed');
    if (credentialStamp(account) !== session.credential) return this.#endAndRefuse(session, 'credentials_changed');
    const idle = now - Date.parse(session.lastSeenAt);
    if (idle >= this.#idleMs) return this.#endAndRefuse(session, 'idle');
    if (idle >= this.#touchEveryMs && options.activity !== false) await this.#touch(session.id, now);
    return account;
  }

  /** Signing out: ends the token's session. An expired or already ended one needs nothing. */
  async end(token: string): Promise<void> {
    let claims: TokenClaims;
    try {
      claims = this.#tokens.verify(token, this.#now());
    } catch (err) {
      if (err instanceof DomainError && err.code === 'token_expired') return;
      throw err;
    }
    if (claims.sid === undefined) return;
    const session = await this.#store.getOfficerSession({ id: claims.sid });
    if (!session || session.officerId !== claims.sub || session.endedAt) return;
    await this.#store.endOfficerSession({ id: session.id, at: this.#iso(), reason: 'logout' });
  }

  /** Ends every session of an officer at once (password changed, account removed). */
  async endAllOf(officerId: string, reason: SessionEndReason): Promise<void> {
    await this.#store.endOfficerSessions({ officerId, at: this.#iso(), reason });
  }

  async #endAndRefuse(session: OfficerSession, reason: SessionEndReason): Promise<never> {
    // Recorded so that a later change of settings or accounts cannot bring it back; refused either way.
    await this.#store.endOfficerSession({ id: session.id, at: this.#iso(), reason }).catch(() => undefined);
    throw ended(reason);
  }

  async #touch(id: string, now: number): Promise<void> {
    if (this.#touching.has(id)) return;
    this.#touching.add(id);
    try {
      await this.#store.touchOfficerSession({ id, at: new Date(now).toISOString() });
    } catch {
      // Only makes the session look idle sooner; the store reports its own failures.
    } finally {
      this.#touching.delete(id);
    }
  }

  #iso(): string {
    return new Date(this.#now()).toISOString();
  }
}

function ended(reason: SessionEndReason | undefined): DomainError {
  return new DomainError('session_ended', 'The officer session has ended; sign in again', reason ? { reason } : {});
}
