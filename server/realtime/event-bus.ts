/**
 * Committed events from every instance, for this instance's clients. Each instance publishes the events it
 * committed to one Redis channel after COMMIT and delivers to its own clients what it committed and what the
 * others published, each per-site seq exactly once and in order. A seq that does not arrive (Redis lost a
 * message, was down, or another instance's message is merely late) is read from the store after a short wait,
 * so PostgreSQL stays the one source of truth and Redis only makes delivery fast.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { EventView } from '../protocol.js';
import type { RedisConnections } from '../store/redis/connection.js';

export interface EventBusOptions {
  redis: RedisConnections;
  /** This instance's committed events (ConsultationService.onEvent). */
  local: (listener: (event: EventView) => void) => () => void;
  /** Committed events after `afterSeq`, in order, from the store; undefined when no longer retained. */
  missed: (site: string, afterSeq: number) => Promise<EventView[] | undefined>;
  /** The site's latest committed seq, where delivery starts. */
  currentSeq: (site: string) => Promise<number>;
  sites: string[];
  log: Logger;
  /** How long a missing seq may be late before it is read from the store (default 50 ms). */
  gapWaitMs?: number;
  /** After a failed read from the store, when to try again (default 1 s). */
  retryMs?: number;
}

/** Events held back per site past a gap, at most. */
const MAX_HELD = 10_000;

interface SiteState {
  /** The last seq delivered to the listeners. */
  delivered: number;
  /** Events past a gap, waiting for the seqs before them. */
  held: Map<number, EventView>;
  timer?: NodeJS.Timeout;
  filling: boolean;
}

/** A message on the channel: the event and which instance committed it. */
interface Envelope {
  from: string;
  event: EventView;
}

export class EventBus {
  /** Tells this instance's own messages apart on the shared channel. */
  readonly instanceId = randomUUID();
  readonly #options: EventBusOptions;
  readonly #channel: string;
  readonly #listeners = new Set<(event: EventView) => void>();
  readonly #sites = new Map<string, SiteState>();
  /** Events that arrived while the start positions were being read. */
  #early: EventView[] | undefined = [];
  readonly #stops: (() => void)[] = [];
  #closed = false;
  /** Events this instance published, and how many it could not (Redis down). */
  readonly counts = { published: 0, unpublished: 0, received: 0, filled: 0 };

  constructor(options: EventBusOptions) {
    this.#options = options;
    this.#channel = `${options.redis.prefix}events`;
  }

  /** Subscribes, then reads where each site's delivery starts; events arriving meanwhile are kept. */
  async start(): Promise<void> {
    const { redis, local, sites } = this.#options;
    this.#stops.push(local((event) => this.#onLocal(event)));
    const onMessage = (channel: string, message: string) => {
      if (channel === this.#channel) this.#onMessage(message);
    };
    redis.subscriber.on('message', onMessage);
    this.#stops.push(() => redis.subscriber.off('message', onMessage));
    this.#stops.push(redis.onReconnect(() => this.#catchUpAll()));
    // Not awaited: while Redis is down, SUBSCRIBE waits in the subscriber's queue and the instance runs on.
    redis.subscriber.subscribe(this.#channel).catch((err: Error) => this.#options.log('warn', 'redis subscribe failed', { error: err.message }));
    for (const site of sites) this.#sites.set(site, { delivered: await this.#options.currentSeq(site), held: new Map(), filling: false });
    const early = this.#early!;
    this.#early = undefined;
    for (const event of early) this.#accept(event);
  }

  /** The source of committed events for the hub (HubOptions.events). */
  subscribe = (listener: (event: EventView) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  close(): void {
    this.#closed = true;
    for (const stop of this.#stops.splice(0)) stop();
    for (const state of this.#sites.values()) clearTimeout(state.timer);
    this.#listeners.clear();
  }

  #onLocal(event: EventView): void {
    const envelope: Envelope = { from: this.instanceId, event };
    this.#options.redis.client.publish(this.#channel, JSON.stringify(envelope)).then(
      () => this.counts.published++,
      // Redis down: the other instances fill this gap from the store when their next event or Redis comes.
      () => this.counts.unpublished++,
    );
    this.#accept(event);
  }

  #onMessage(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (envelope.from === this.instanceId || typeof envelope.event?.seq !== 'number' || typeof envelope.event.site !== 'string') return;
    this.counts.received++;
    this.#accept(envelope.event);
  }

  #accept(event: EventView): void {
    if (this.#closed) return;
    if (this.#early) {
      this.#early.push(event);
      return;
    }
    let state = this.#sites.get(event.site);
    // A site not configured here (another instance's newer configuration): delivery starts at its first event.
    if (!state) this.#sites.set(event.site, (state = { delivered: event.seq - 1, held: new Map(), filling: false }));
    if (event.seq <= state.delivered || state.held.has(event.seq)) return;
    // Memory stays bounded while a gap cannot be filled (the database down, Redis up): what is not held here is
    // read from the store with the gap, since a fill goes on until the store has nothing newer.
    if (state.held.size >= MAX_HELD) return this.#drain(event.site, state);
    state.held.set(event.seq, event);
    this.#drain(event.site, state);
  }

  /** Delivers every held event that follows the last delivered one; a remaining gap is filled after a wait. */
  #drain(site: string, state: SiteState): void {
    let next: EventView | undefined;
    while ((next = state.held.get(state.delivered + 1))) {
      state.held.delete(next.seq);
      state.delivered = next.seq;
      for (const listener of this.#listeners) {
        try {
          listener(next);
        } catch (err) {
          this.#options.log('error', 'event listener failed', { err });
        }
      }
    }
    if (state.held.size === 0) {
      clearTimeout(state.timer);
      state.timer = undefined;
    } else if (!state.timer && !state.filling) {
      state.timer = setTimeout(() => this.#fill(site, state), this.#options.gapWaitMs ?? 50);
      state.timer.unref();
    }
  }

  /** Reads from the store what followed the last delivered seq until nothing more is there or missing. */
  async #fill(site: string, state: SiteState): Promise<void> {
    state.timer = undefined;
    if (this.#closed || state.filling) return;
    state.filling = true;
    let retry = false;
    try {
      for (;;) {
        const from = state.delivered;
        const events = await this.#options.missed(site, from);
        if (this.#closed) return;
        if (events === undefined) {
          // No longer retained: clients find the jump and resynchronise; delivery goes on after it.
          const first = Math.min(...state.held.keys());
          this.#options.log('warn', 'events no longer retained; skipping ahead', { site, from, to: Number.isFinite(first) ? first - 1 : from });
          if (!Number.isFinite(first)) return;
          state.delivered = first - 1;
        } else {
          for (const e of events) if (e.seq > state.delivered && !state.held.has(e.seq)) state.held.set(e.seq, e);
          this.counts.filled += events.length;
        }
        this.#drain(site, state);
        if (state.held.size > 0 && state.delivered === from) {
          // The store does not show the missing seq yet (commit still under way): look again shortly.
          retry = true;
          return;
        }
        if (state.held.size === 0 && (events === undefined || events.length === 0)) return;
      }
    } catch (err) {
      this.#options.log('warn', 'events not read from the store; trying again', { site, error: (err as Error).message });
      retry = true;
    } finally {
      state.filling = false;
      if (!this.#closed && (retry || state.held.size > 0)) {
        clearTimeout(state.timer);
        state.timer = setTimeout(() => this.#fill(site, state), retry ? (this.#options.retryMs ?? 1000) : (this.#options.gapWaitMs ?? 50));
        state.timer.unref();
      }
    }
  }

  /** After Redis comes back: what every instance committed meanwhile, from the store. */
  #catchUpAll(): void {
    if (this.#early) return;
    for (const [site, state] of this.#sites) {
      clearTimeout(state.timer);
      void this.#fill(site, state);
    }
  }
}
