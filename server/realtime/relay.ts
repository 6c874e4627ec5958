/**
 * Live changes that are not sequenced events (officers' queue changes and notifications, members' badges and
 * levels), from every instance, for this instance's listeners. Each instance publishes what happened on it to one
 * Redis channel per kind and delivers what the others published exactly like its own. Nothing is held back or
 * filled: these frames are hints to an open page (a lost one is seen on the next reload, queue fetch or resume,
 * whose data is in PostgreSQL), so Redis down only narrows them to the instance where the change happened.
 */
import type { Logger } from '../log.js';
import type { RedisConnections } from '../store/redis/connection.js';

export interface RelayOptions<T> {
  redis: RedisConnections;
  /** The channel's name after OSG_REDIS_PREFIX, e.g. `follow-ups`. */
  channel: string;
  /** Tells this instance's own messages apart on the shared channel (the event bus's id). */
  instanceId: string;
  /** This instance's changes (e.g. FollowUpService.subscribe). */
  local: (listener: (change: T) => void) => () => void;
  /** Whether a message from another instance has the shape of a change (it is JSON from the network). */
  accept: (change: unknown) => change is T;
  log: Logger;
}

interface Envelope<T> {
  from: string;
  change: T;
}

export class Relay<T> {
  readonly #options: RelayOptions<T>;
  readonly #channel: string;
  readonly #listeners = new Set<(change: T) => void>();
  readonly #stops: (() => void)[] = [];
  readonly counts = { published: 0, unpublished: 0, received: 0 };

  constructor(options: RelayOptions<T>) {
    this.#options = options;
    this.#channel = `${options.redis.prefix}${options.channel}`;
    const { redis } = options;
    this.#stops.push(options.local((change) => this.#onLocal(change)));
    const onMessage = (channel: string, message: string) => {
      if (channel === this.#channel) this.#onMessage(message);
    };
    redis.subscriber.on('message', onMessage);
    this.#stops.push(() => redis.subscriber.off('message', onMessage));
    // Not awaited: while Redis is down, SUBSCRIBE waits in the subscriber's queue (as for the event bus).
    redis.subscriber.subscribe(this.#channel).catch((err: Error) => options.log('warn', 'redis subscribe failed', { channel: this.#channel, error: err.message }));
  }

  /** The merged source: this instance's changes and the other instances', each once. */
  subscribe = (listener: (change: T) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  close(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.#listeners.clear();
  }

  #onLocal(change: T): void {
    const envelope: Envelope<T> = { from: this.#options.instanceId, change };
    this.#options.redis.client.publish(this.#channel, JSON.stringify(envelope)).then(
      () => this.counts.published++,
      () => this.counts.unpublished++,
    );
    this.#deliver(change);
  }

  #onMessage(message: string): void {
    let envelope: Envelope<unknown>;
    try {
      envelope = JSON.parse(message) as Envelope<unknown>;
    } catch {
      return;
    }
    if (typeof envelope !== 'object' || envelope === null || envelope.from === this.#options.instanceId || !this.#options.accept(envelope.change)) return;
    this.counts.received++;
    this.#deliver(envelope.change);
  }

  #deliver(change: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        this.#options.log('error', 'relay listener failed', { channel: this.#channel, err });
      }
    }
  }
}
