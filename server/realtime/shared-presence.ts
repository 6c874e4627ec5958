/**
 * Viewer counts and officers' presence summed over every instance. Each instance publishes, on one Redis channel
 * (`<prefix>presence`), its own count and officers of a thread whenever they change, and all of them every
 * `refreshMs`; each instance keeps what the others said in memory, per instance, and forgets an instance it has
 * not heard from for `3 × refreshMs` (killed, cut off, or Redis down). So lookups stay synchronous and cost no
 * Redis round trip (a `presence` frame, the REST thread view), and a lost message is corrected by the next
 * refresh. An instance that starts, or whose Redis comes back, asks the others for their state at once.
 */
import type { Logger } from '../log.js';
import type { OfficerPresence } from '../protocol.js';
import type { RedisConnections } from '../store/redis/connection.js';

export interface SharedPresenceOptions {
  redis: RedisConnections;
  /** Tells this instance's own messages apart on the shared channel (the event bus's id). */
  instanceId: string;
  log: Logger;
  /** How often every instance says all it has (default 10 s); an instance silent for 3 of these is forgotten. */
  refreshMs?: number;
  now?: () => number;
}

type Message =
  | { from: string; t: 'viewers'; thread: string; n: number }
  | { from: string; t: 'officers'; thread: string; officers: OfficerPresence[] }
  | { from: string; t: 'all'; viewers: Record<string, number>; officers: Record<string, OfficerPresence[]> }
  | { from: string; t: 'sync' }
  | { from: string; t: 'bye' };

interface Remote {
  heard: number;
  viewers: Map<string, number>;
  officers: Map<string, OfficerPresence[]>;
}

/** Limits on what another instance's message may make this one hold (it is JSON from the network). */
const MAX_THREADS_PER_MESSAGE = 100_000;

export class SharedPresence {
  readonly #options: SharedPresenceOptions;
  readonly #channel: string;
  readonly #refreshMs: number;
  readonly #now: () => number;
  /** What this instance last said, per thread (non-zero only): the content of its refreshes. */
  readonly #ownViewers = new Map<string, number>();
  readonly #ownOfficers = new Map<string, OfficerPresence[]>();
  readonly #remotes = new Map<string, Remote>();
  readonly #viewerListeners = new Set<(threadIds: string[]) => void>();
  readonly #officerListeners = new Set<(threadId: string) => void>();
  readonly #stops: (() => void)[] = [];
  readonly #timer: NodeJS.Timeout;
  #closed = false;
  /** The last refresh said nothing: another empty one is not needed. */
  #saidNothing = true;

  constructor(options: SharedPresenceOptions) {
    this.#options = options;
    this.#channel = `${options.redis.prefix}presence`;
    this.#refreshMs = options.refreshMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    const { redis } = options;
    const onMessage = (channel: string, message: string) => {
      if (channel === this.#channel) this.#onMessage(message);
    };
    redis.subscriber.on('message', onMessage);
    this.#stops.push(() => redis.subscriber.off('message', onMessage));
    // Redis back: the others forgot this instance meanwhile (and it them); each side says all it has at once.
    this.#stops.push(
      redis.onReconnect(() => {
        this.#publish({ from: options.instanceId, t: 'sync' });
        this.#publishAll(true);
      }),
    );
    redis.subscriber
      .subscribe(this.#channel)
      .then(() => this.#publish({ from: options.instanceId, t: 'sync' }))
      .catch((err: Error) => options.log('warn', 'redis subscribe failed', { channel: this.#channel, error: err.message }));
    this.#timer = setInterval(() => {
      this.#publishAll();
      this.#expire();
    }, this.#refreshMs);
    this.#timer.unref();
  }

  /** Calls `listener` with threads whose count on other instances changed. */
  onViewers(listener: (threadIds: string[]) => void): () => void {
    this.#viewerListeners.add(listener);
    return () => this.#viewerListeners.delete(listener);
  }

  /** Calls `listener` with a thread whose officers on other instances changed. */
  onOfficers(listener: (threadId: string) => void): () => void {
    this.#officerListeners.add(listener);
    return () => this.#officerListeners.delete(listener);
  }

  /** This instance's count of viewers of `threadId` (said to the others only when it changed). */
  setViewers(threadId: string, n: number): void {
    if ((this.#ownViewers.get(threadId) ?? 0) === n) return;
    if (n === 0) this.#ownViewers.delete(threadId);
    else this.#ownViewers.set(threadId, n);
    this.#publish({ from: this.#options.instanceId, t: 'viewers', thread: threadId, n });
  }

  /** This instance's officers on `threadId`, typing or not. */
  setOfficers(threadId: string, officers: OfficerPresence[]): void {
    const before = this.#ownOfficers.get(threadId) ?? [];
    if (JSON.stringify(before) === JSON.stringify(officers)) return;
    if (officers.length === 0) this.#ownOfficers.delete(threadId);
    else this.#ownOfficers.set(threadId, officers);
    this.#publish({ from: this.#options.instanceId, t: 'officers', thread: threadId, officers });
  }

  /** Viewers of `threadId` on the other instances. */
  remoteViewers(threadId: string): number {
    let n = 0;
    for (const remote of this.#live()) n += remote.viewers.get(threadId) ?? 0;
    return n;
  }

  /** Officers on `threadId` on the other instances (one officer may appear once per instance). */
  remoteOfficers(threadId: string): OfficerPresence[] {
    const all: OfficerPresence[] = [];
    for (const remote of this.#live()) all.push(...(remote.officers.get(threadId) ?? []));
    return all;
  }

  /** Tells the others this instance is gone (a shutdown), so they need not wait for it to expire. */
  close(): void {
    if (this.#closed) return;
    this.#publish({ from: this.#options.instanceId, t: 'bye' });
    this.#closed = true;
    clearInterval(this.#timer);
    for (const stop of this.#stops.splice(0)) stop();
    this.#viewerListeners.clear();
    this.#officerListeners.clear();
  }

  *#live(): Iterable<Remote> {
    const oldest = this.#now() - 3 * this.#refreshMs;
    for (const remote of this.#remotes.values()) if (remote.heard >= oldest) yield remote;
  }

  #publish(message: Message): void {
    if (this.#closed) return;
    // Redis down: the others forget this instance after their TTL; its own clients are still counted here.
    this.#options.redis.client.publish(this.#channel, JSON.stringify(message)).catch(() => undefined);
  }

  /** One empty refresh after the last thread empties, so that a lost last change is corrected too. */
  #publishAll(force = false): void {
    const empty = this.#ownViewers.size === 0 && this.#ownOfficers.size === 0;
    if (empty && this.#saidNothing && !force) return;
    this.#saidNothing = empty;
    this.#publish({ from: this.#options.instanceId, t: 'all', viewers: Object.fromEntries(this.#ownViewers), officers: Object.fromEntries(this.#ownOfficers) });
  }

  #expire(): void {
    const oldest = this.#now() - 3 * this.#refreshMs;
    for (const [from, remote] of this.#remotes) if (remote.heard < oldest) this.#forget(from, remote);
  }

  #forget(from: string, remote: Remote): void {
    this.#remotes.delete(from);
    this.#tellViewers([...remote.viewers.keys()]);
    for (const threadId of remote.officers.keys()) this.#tellOfficers(threadId);
  }

  #onMessage(raw: string): void {
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || typeof message.from !== 'string' || message.from === this.#options.instanceId) return;
    if (message.t === 'sync') return this.#publishAll();
    const known = this.#remotes.get(message.from);
    if (message.t === 'bye') {
      if (known) this.#forget(message.from, known);
      return;
    }
    const remote = known ?? { heard: 0, viewers: new Map(), officers: new Map() };
    if (!known) this.#remotes.set(message.from, remote);
    remote.heard = this.#now();
    if (message.t === 'viewers' && typeof message.thread === 'string' && Number.isInteger(message.n) && message.n >= 0) {
      if (message.n === 0) remote.viewers.delete(message.thread);
      else remote.viewers.set(message.thread, message.n);
      this.#tellViewers([message.thread]);
    } else if (message.t === 'officers' && typeof message.thread === 'string' && Array.isArray(message.officers)) {
      if (message.officers.length === 0) remote.officers.delete(message.thread);
      else remote.officers.set(message.thread, message.officers.filter(isOfficerPresence));
      this.#tellOfficers(message.thread);
    } else if (message.t === 'all' && typeof message.viewers === 'object' && typeof message.officers === 'object' && message.viewers && message.officers) {
      const viewers = Object.entries(message.viewers).filter(([, n]) => Number.isInteger(n) && n > 0).slice(0, MAX_THREADS_PER_MESSAGE);
      const officers = Object.entries(message.officers).filter(([, list]) => Array.isArray(list) && list.length > 0).slice(0, MAX_THREADS_PER_MESSAGE);
      const changedViewers = changedKeys(remote.viewers, new Map(viewers));
      const nextOfficers = new Map(officers.map(([id, list]) => [id, list.filter(isOfficerPresence)]));
      const changedOfficers = changedKeys(remote.officers, nextOfficers);
      remote.viewers = new Map(viewers);
      remote.officers = nextOfficers;
      this.#tellViewers(changedViewers);
      for (const threadId of changedOfficers) this.#tellOfficers(threadId);
    }
  }

  #tellViewers(threadIds: string[]): void {
    if (threadIds.length === 0) return;
    for (const listener of this.#viewerListeners) listener(threadIds);
  }

  #tellOfficers(threadId: string): void {
    for (const listener of this.#officerListeners) listener(threadId);
  }
}

/** Officers on a thread over every instance: each officer once, typing if typing anywhere, by name. */
export function mergeOfficers(...lists: OfficerPresence[][]): OfficerPresence[] {
  const byOfficer = new Map<string, OfficerPresence>();
  for (const list of lists)
    for (const entry of list) {
      const seen = byOfficer.get(entry.officer.id);
      if (seen) byOfficer.set(entry.officer.id, { ...seen, typing: seen.typing || entry.typing });
      else byOfficer.set(entry.officer.id, entry);
    }
  return [...byOfficer.values()].sort((a, b) => a.officer.name.localeCompare(b.officer.name, 'id'));
}

function isOfficerPresence(entry: unknown): entry is OfficerPresence {
  const e = entry as { officer?: { id?: unknown; name?: unknown }; typing?: unknown } | null;
  return typeof e === 'object' && e !== null && typeof e.officer?.id === 'string' && typeof e.officer.name === 'string' && typeof e.typing === 'boolean';
}

function changedKeys<V>(before: Map<string, V>, after: Map<string, V>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => JSON.stringify(before.get(k)) !== JSON.stringify(after.get(k)));
}
