import { DomainError } from './errors.js';

export interface LockoutRule {
  /** Failed sign-ins within the window that lock the username. */
  failures: number;
  windowMinutes: number;
}

/** What the officers' sign-in asks of a lockout: in memory here, on Redis with several instances. */
export interface Lockout {
  /** Throws (or rejects with) `login_locked` with the time until the lock lifts. */
  check(username: string): void | Promise<void>;
  fail(username: string): void | Promise<void>;
  succeed(username: string): void | Promise<void>;
}

/**
 * Per-username lockout against password guessing: after `failures` failed sign-ins within `windowMinutes`,
 * that username is refused with `login_locked` until the oldest of those failures leaves the window (it
 * lifts by itself; attempts while locked are not checked, so they neither count nor extend it).
 *
 * It keys on the username as typed, whether or not such an account exists, so the answer never tells
 * which usernames are real. In memory, like the rate limiter: one instance guards one process. Memory
 * stays bounded because failures can only be recorded as fast as passwords are checked, and that is
 * bounded (passwords.ts HashingQueue); expired entries are swept.
 */
export class LoginLockout implements Lockout {
  /** username → times of its recent failures, oldest first, at most `failures` of them. */
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly rule: LockoutRule,
    private readonly now: () => number = Date.now,
  ) {}

  get #windowMs(): number {
    return this.rule.windowMinutes * 60_000;
  }

  /** Throws `login_locked` with the time until the lock lifts. */
  check(username: string): void {
    const recent = this.#recent(username, this.now());
    if (recent.length < this.rule.failures) return;
    const liftsAt = recent[recent.length - this.rule.failures]! + this.#windowMs;
    throw new DomainError('login_locked', 'Too many failed sign-ins for this username; try again later', { retryAfterMs: Math.max(1, liftsAt - this.now()) });
  }

  fail(username: string): void {
    const t = this.now();
    const recent = this.#recent(username, t);
    recent.push(t);
    if (recent.length > this.rule.failures) recent.shift();
    // Re-inserted so that the map stays ordered by last failure, which the sweep relies on.
    this.#failures.delete(username);
    this.#failures.set(username, recent);
    if (this.#failures.size > 10_000) this.#sweep(t);
  }

  succeed(username: string): void {
    this.#failures.delete(username);
  }

  #recent(username: string, t: number): number[] {
    const list = this.#failures.get(username) ?? [];
    while (list.length > 0 && list[0]! <= t - this.#windowMs) list.shift();
    return list;
  }

  // Entries are ordered by their last failure: stop at the first one still inside the window.
  #sweep(t: number): void {
    for (const [username, list] of this.#failures) {
      if (list[list.length - 1]! > t - this.#windowMs) return;
      this.#failures.delete(username);
    }
  }
}
