import { performance } from 'node:perf_hooks';
import type { DigestView, EventView, ProtocolVersion, ServerMessage, ThreadSummary, ThreadView } from '../protocol.js';

/** What fan-out needs to know of one socket of a site's stream (hub.ts keeps the rest). */
export interface FanoutClient {
  site?: string;
  /** Protocol version from `hello`: 1 gets every event, 2 the watched thread's events and digests. */
  v?: ProtocolVersion;
  watching?: string;
  /** Highest seq this client was sent (an event in protocol 1, a digest's `toSeq` in 2): nothing at or below goes again. */
  sentSeq: number;
  /** Protocol 2: highest seq of a watched thread's `event` frame sent (those do not advance `sentSeq`). */
  eventSeq: number;
  /** While missed events are replayed, live frames wait here so that order holds. */
  held?: Held[];
}

/** A frame held back during a replay: an event (seq) or `member` frame (Infinity, always sent), or a window. */
type Held = { frame: Frame; seq: number } | { window: Window };

/**
 * A frame as text, or encoded once when many clients get it: `ws` would otherwise measure and encode the same
 * string again for every socket.
 */
export type Frame = string | Buffer;

/** The events of one site within one fan-out window; `frame` is the digest of all of them, serialised once. */
interface Window {
  site: string;
  events: EventView[];
  frame?: Buffer;
}

interface SiteStream {
  /** Protocol 1 clients: every event frame. */
  readonly v1: Set<FanoutClient>;
  /** Protocol 2 clients: a digest per window. */
  readonly v2: Set<FanoutClient>;
  /** Highest seq fanned out: an event delivered twice (this process and a bus) goes out once. */
  lastSeq: number;
  window?: Window;
  /** How long sending the last digest to every client took, ms. */
  flushMs: number;
}

export interface FanoutOptions {
  /**
   * How long list changes of a site are gathered into one digest, at least. A window lasts twice as long as
   * sending the last digest took when that is longer (up to MAX_WINDOW_MS): each send is a syscall per socket,
   * so with very many readers a short window would leave no time for anything else.
   */
  windowMs: number;
  /** Sends a frame to one client (hub.ts: drops slow consumers). */
  send: (client: FanoutClient, frame: Frame) => void;
}

/**
 * Fan-out that grows with readers, not with readers × posts. Protocol 1 clients get every event as before.
 * Protocol 2 clients get the events of the thread they watch at once, and one `digest` per window for the
 * list, serialised once per site per window: a burst of posts costs each list reader one frame.
 */
export class Fanout {
  readonly #sites = new Map<string, SiteStream>();
  readonly #watchers = new Map<string, Set<FanoutClient>>();
  readonly #options: FanoutOptions;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: FanoutOptions) {
    this.#options = options;
  }

  /** Joins a site's stream; frames are held until replayed() says what the replay covered. */
  join(client: FanoutClient, site: string, v: ProtocolVersion): void {
    client.site = site;
    client.v = v;
    client.held = [];
    this.#stream(site)[v === 1 ? 'v1' : 'v2'].add(client);
  }

  leave(client: FanoutClient): void {
    if (client.watching) this.watch(client, null);
    if (!client.site) return;
    const stream = this.#sites.get(client.site);
    stream?.v1.delete(client);
    stream?.v2.delete(client);
    client.site = undefined;
    client.held = undefined;
  }

  /**
   * The replay sent the client everything up to `lastSeq`: frames held meanwhile follow, minus what the replay
   * already carried (a window that straddles `lastSeq` is cut for this client).
   */
  replayed(client: FanoutClient, lastSeq: number): void {
    const held = client.held ?? [];
    client.held = undefined;
    client.sentSeq = Math.max(client.sentSeq, lastSeq);
    for (const item of held) {
      if ('window' in item) this.#sendWindow(client, item.window);
      else if (item.seq === Infinity) this.#options.send(client, item.frame);
      else this.#sendEvent(client, item.frame, item.seq);
    }
  }

  /** Sets the thread the client watches (or none); returns the threads whose viewer count changed. */
  watch(client: FanoutClient, threadId: string | null): string[] {
    const before = client.watching;
    if (before === (threadId ?? undefined)) return [];
    const changed: string[] = [];
    if (before) {
      const set = this.#watchers.get(before);
      set?.delete(client);
      if (set?.size === 0) this.#watchers.delete(before);
      changed.push(before);
    }
    client.watching = threadId ?? undefined;
    if (threadId) {
      let set = this.#watchers.get(threadId);
      if (!set) this.#watchers.set(threadId, (set = new Set()));
      set.add(client);
      changed.push(threadId);
    }
    return changed;
  }

  watchersOf(threadId: string): ReadonlySet<FanoutClient> {
    return this.#watchers.get(threadId) ?? EMPTY;
  }

  /** A committed event: at once to protocol 1 clients and the thread's watchers, into the window for the rest. */
  publish(event: EventView): void {
    const stream = this.#sites.get(event.site);
    if (!stream || event.seq <= stream.lastSeq) return;
    stream.lastSeq = event.seq;
    let frame: Buffer | undefined;
    const eventFrame = () => (frame ??= Buffer.from(JSON.stringify({ type: 'event', event } satisfies ServerMessage)));
    for (const c of stream.v1) this.#deliver(c, eventFrame(), event.seq);
    for (const c of this.#watchers.get(threadOf(event)) ?? EMPTY) {
      if (c.v === 2 && c.site === event.site) this.#deliver(c, eventFrame(), event.seq);
    }
    if (stream.v2.size === 0) return;
    if (stream.window) {
      stream.window.events.push(event);
      return;
    }
    const window: Window = { site: event.site, events: [event] };
    stream.window = window;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      stream.window = undefined;
      const started = performance.now();
      for (const c of stream.v2) {
        if (c.held) c.held.push({ window });
        else this.#sendWindow(c, window);
      }
      stream.flushMs = performance.now() - started;
    }, Math.min(MAX_WINDOW_MS, Math.max(this.#options.windowMs, 2 * stream.flushMs)));
    this.#timers.add(timer);
  }

  /** A frame every client of every site gets (member summaries), after any replay in progress. */
  everyone(text: string): void {
    const frame = Buffer.from(text);
    for (const stream of this.#sites.values()) {
      for (const set of [stream.v1, stream.v2]) {
        for (const c of set) {
          if (c.held) c.held.push({ frame, seq: Infinity });
          else this.#options.send(c, frame);
        }
      }
    }
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #stream(site: string): SiteStream {
    let stream = this.#sites.get(site);
    // Kept once made: sites are configured, so few, and lastSeq must outlive a moment without clients.
    if (!stream) this.#sites.set(site, (stream = { v1: new Set(), v2: new Set(), lastSeq: 0, flushMs: 0 }));
    return stream;
  }

  #deliver(client: FanoutClient, frame: Frame, seq: number): void {
    if (client.held) client.held.push({ frame, seq });
    else this.#sendEvent(client, frame, seq);
  }

  #sendEvent(client: FanoutClient, frame: Frame, seq: number): void {
    if (client.v === 1) {
      if (seq <= client.sentSeq) return;
      client.sentSeq = seq;
    } else {
      if (seq <= client.sentSeq || seq <= client.eventSeq) return;
      client.eventSeq = seq;
    }
    this.#options.send(client, frame);
  }

  #sendWindow(client: FanoutClient, window: Window): void {
    const { events } = window;
    const last = events[events.length - 1]!.seq;
    if (last <= client.sentSeq) return;
    let frame: Frame;
    if (events[0]!.seq > client.sentSeq) frame = window.frame ??= Buffer.from(digestFrame(window.site, events));
    // The client's replay ended inside this window: it gets the rest only, so ranges never overlap.
    else frame = digestFrame(window.site, events.filter((e) => e.seq > client.sentSeq));
    client.sentSeq = last;
    this.#options.send(client, frame);
  }
}

const EMPTY: ReadonlySet<FanoutClient> = new Set();
/** The longest a window grows to under load (the most OSG_FANOUT_WINDOW_MS may be set to). */
const MAX_WINDOW_MS = 1000;

function threadOf(event: EventView): string {
  const { change } = event;
  return change.kind === 'thread.created' || change.kind === 'thread.updated' ? change.thread.id : change.post.threadId;
}

export function digestFrame(site: string, events: readonly EventView[]): string {
  return JSON.stringify({ type: 'digest', digest: digestOf(site, events) } satisfies ServerMessage);
}

/** What the list needs of `events` (in seq order, without gaps): each thread once, as it stood last. */
export function digestOf(site: string, events: readonly EventView[]): DigestView {
  const threads = new Map<string, ThreadView>();
  const activity = new Map<string, ThreadSummary>();
  for (const { change } of events) {
    if (change.kind === 'thread.created' || change.kind === 'thread.updated') {
      threads.set(change.thread.id, change.thread);
      activity.delete(change.thread.id);
    } else if (change.kind === 'post.created') {
      const { id, answerCount, lastActivityAt, status } = change.thread;
      const thread = threads.get(id);
      if (thread) threads.set(id, { ...thread, answerCount, lastActivityAt, status });
      else activity.set(id, { id, answerCount, lastActivityAt, status });
    }
    // post.updated (votes, edits, hiding) shows only inside the thread, whose watchers got it whole.
  }
  return { site, fromSeq: events[0]!.seq, toSeq: events[events.length - 1]!.seq, threads: [...threads.values()], activity: [...activity.values()] };
}
