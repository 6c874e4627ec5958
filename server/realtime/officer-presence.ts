import type { MemberSummary, OfficerPresence } from '../protocol.js';

/** How long "sedang mengetik" lasts after the last `typing` frame: the page sends one every few seconds. */
export const TYPING_LAPSE_MS = 5_000;

/** The timer functions the registry uses; tests pass a manual clock so that no test sleeps. */
export interface PresenceTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: PresenceTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface Entry {
  officer: MemberSummary;
  threadId: string;
  /** Pending lapse of "typing"; undefined when not typing. */
  typing?: unknown;
}

/**
 * Which officers have which thread open and who is typing in it. Keyed by connection (`K`), because one
 * officer may have the console open in two tabs: they count once, typing if either tab types. Holds this
 * process's connections only (with Redis, officer-channel.ts adds the other instances', shared-presence.ts): after
 * a restart, pages send `view` again on reconnect.
 *
 * `onChange(threadId, by)` is called after every change that alters what `presence(threadId, …)` returns,
 * with the connection that caused it (none when a typing indicator lapses).
 */
export class OfficerPresenceRegistry<K> {
  readonly #entries = new Map<K, Entry>();
  readonly #byThread = new Map<string, Set<K>>();
  readonly #onChange: (threadId: string, by: K | undefined) => void;
  readonly #lapseMs: number;
  readonly #timers: PresenceTimers;

  constructor(options: { onChange: (threadId: string, by: K | undefined) => void; typingLapseMs?: number; timers?: PresenceTimers }) {
    this.#onChange = options.onChange;
    this.#lapseMs = options.typingLapseMs ?? TYPING_LAPSE_MS;
    this.#timers = options.timers ?? realTimers;
  }

  /** The thread `conn` has open. */
  viewing(conn: K): string | undefined {
    return this.#entries.get(conn)?.threadId;
  }

  /** The connections that have `threadId` open, with their officer's id. */
  viewers(threadId: string): Array<{ conn: K; officerId: string }> {
    return [...(this.#byThread.get(threadId) ?? [])].map((conn) => ({ conn, officerId: this.#entries.get(conn)!.officer.id }));
  }

  /** `conn` opens `threadId` (or, with null, no thread). Opening another thread leaves the previous one. */
  view(conn: K, officer: MemberSummary, threadId: string | null): void {
    const entry = this.#entries.get(conn);
    if (entry && entry.threadId === threadId) {
      entry.officer = officer;
      return;
    }
    if (entry) this.leave(conn);
    if (threadId === null) return;
    this.#entries.set(conn, { officer, threadId });
    let set = this.#byThread.get(threadId);
    if (!set) this.#byThread.set(threadId, (set = new Set()));
    set.add(conn);
    this.#onChange(threadId, conn);
  }

  /**
   * `conn` types in `threadId`, which it must have open (false otherwise). Only the start of typing is a
   * change; later frames just push the lapse back, so that keystrokes cost no frames to others.
   */
  typing(conn: K, threadId: string): boolean {
    const entry = this.#entries.get(conn);
    if (!entry || entry.threadId !== threadId) return false;
    const started = entry.typing === undefined;
    if (!started) this.#timers.clear(entry.typing);
    entry.typing = this.#timers.set(() => {
      if (this.#entries.get(conn) !== entry) return;
      entry.typing = undefined;
      this.#onChange(threadId, undefined);
    }, this.#lapseMs);
    if (started) this.#onChange(threadId, conn);
    return true;
  }

  /** `conn` closes its thread or disconnects. */
  leave(conn: K): void {
    const entry = this.#entries.get(conn);
    if (!entry) return;
    if (entry.typing !== undefined) this.#timers.clear(entry.typing);
    this.#entries.delete(conn);
    const set = this.#byThread.get(entry.threadId)!;
    set.delete(conn);
    if (set.size === 0) this.#byThread.delete(entry.threadId);
    this.#onChange(entry.threadId, conn);
  }

  /** Officers with `threadId` open, each once, typing if any of their connections is; never `exceptOfficerId`. */
  presence(threadId: string, exceptOfficerId?: string): OfficerPresence[] {
    const byOfficer = new Map<string, OfficerPresence>();
    for (const conn of this.#byThread.get(threadId) ?? []) {
      const { officer, typing } = this.#entries.get(conn)!;
      if (officer.id === exceptOfficerId) continue;
      const seen = byOfficer.get(officer.id);
      if (seen) seen.typing ||= typing !== undefined;
      else byOfficer.set(officer.id, { officer, typing: typing !== undefined });
    }
    return [...byOfficer.values()].sort((a, b) => a.officer.name.localeCompare(b.officer.name, 'id'));
  }

  /** Stops every typing lapse (shutdown). */
  close(): void {
    for (const entry of this.#entries.values()) if (entry.typing !== undefined) this.#timers.clear(entry.typing);
    this.#entries.clear();
    this.#byThread.clear();
  }
}
