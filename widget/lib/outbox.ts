import { readJson, STORAGE_PREFIX, writeJson } from './storage.js';

/** A post the visitor sent that the server has not acknowledged yet. */
export type OutboxItem =
  | { kind: 'ask'; clientId: string; title: string; body: string; category: string; createdAt: string }
  | { kind: 'answer'; clientId: string; threadId: string; body: string; createdAt: string };

/**
 * Unacknowledged posts of one site, in the order they were written, kept in localStorage so that a reload or
 * a closed laptop does not lose them. Sending is the ForumController's job; this only remembers.
 */
export class Outbox {
  items: OutboxItem[];

  constructor(private readonly key: string) {
    const stored = readJson<OutboxItem[]>(key);
    this.items = Array.isArray(stored) ? stored : [];
  }

  static keyFor(serverOrigin: string, site: string): string {
    return `${STORAGE_PREFIX}outbox:${serverOrigin}:${site}`;
  }

  add(item: OutboxItem): void {
    this.items = [...this.items, item];
    this.#save();
  }

  /** Removes and returns the item with this clientId, if any. */
  take(clientId: string): OutboxItem | undefined {
    const item = this.items.find((candidate) => candidate.clientId === clientId);
    if (item) {
      this.items = this.items.filter((candidate) => candidate !== item);
      this.#save();
    }
    return item;
  }

  #save(): void {
    writeJson(this.key, this.items.length ? this.items : undefined);
  }
}
