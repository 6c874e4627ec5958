import type { ServerMessage } from '../protocol.js';
import type { Fanout, FanoutClient, Frame } from './fanout.js';
import type { SharedPresence } from './shared-presence.js';

/**
 * Viewer counts of threads ("N orang melihat"), sent to each thread's watchers at most every `intervalMs`:
 * sending one on every join would cost N² frames when N widgets reconnect to a popular thread after a restart.
 */
export class ThreadPresence {
  /** Threads whose viewer count changed since the last flush. */
  readonly #dirty = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fanout: Fanout,
    private readonly send: (client: FanoutClient, frame: Frame) => void,
    private readonly intervalMs = 250,
    /** With Redis: the other instances' viewers (shared-presence.ts); this instance's counts are told to it. */
    private readonly shared?: SharedPresence,
  ) {}

  /**
   * How many connections watch the thread, here and (with Redis) on the other instances. The one place a
   * count is made.
   */
  viewers(threadId: string): number {
    return this.fanout.watchersOf(threadId).size + (this.shared?.remoteViewers(threadId) ?? 0);
  }

  /** Threads whose count changed, here or (told by SharedPresence) on another instance. */
  changed(threadIds: readonly string[]): void {
    if (threadIds.length === 0) return;
    for (const id of threadIds) this.#dirty.add(id);
    this.#timer ??= setTimeout(() => this.#flush(), this.intervalMs);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flush(): void {
    this.#timer = undefined;
    for (const threadId of this.#dirty) {
      const watchers = this.fanout.watchersOf(threadId);
      // Said to the others only when this instance's own count changed, so their changes do not echo back.
      this.shared?.setViewers(threadId, watchers.size);
      if (watchers.size === 0) continue;
      const frame = JSON.stringify({ type: 'presence', threadId, viewers: this.viewers(threadId) } satisfies ServerMessage);
      for (const c of watchers) this.send(c, frame);
    }
    this.#dirty.clear();
  }
}
