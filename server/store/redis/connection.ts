/**
 * The two Redis connections an instance keeps: `client` for commands (publish, rate-limit counters) and
 * `subscriber` for the event channel (a subscribed connection takes no other commands). Redis holds only what
 * may be lost, so neither ever blocks a write: commands fail at once while Redis is down (no offline queue),
 * and both reconnect by themselves.
 */
import { Redis } from 'ioredis';
import type { RedisConfig } from '../../config.js';
import type { Logger } from '../../log.js';

export interface RedisConnections {
  client: Redis;
  subscriber: Redis;
  prefix: string;
  /** Both connections ready. */
  readonly up: boolean;
  /** Calls `listener` each time the subscriber is ready again after a loss (to fill gaps from PostgreSQL). */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Opens both connections; waits at most `waitMs` for them, then goes on (Redis down is a state, not an error). */
export async function connectRedis(config: RedisConfig, log: Logger, waitMs = 2000): Promise<RedisConnections> {
  const options = {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    // Reconnects for ever, at most every 2 s: Redis coming back must need no restart here.
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
  };
  const client = new Redis(config.url, { ...options, enableOfflineQueue: false });
  // The subscriber queues its SUBSCRIBE until connected, and ioredis subscribes again after each reconnect.
  const subscriber = new Redis(config.url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
  const listeners = new Set<() => void>();
  let down = false;
  let everReady = false;
  for (const [name, conn] of [
    ['client', client],
    ['subscriber', subscriber],
  ] as const) {
    conn.on('error', (err: Error) => {
      if (!down) log('warn', 'redis unreachable', { connection: name, error: err.message });
      down = true;
    });
    conn.on('ready', () => {
      if (down) log('info', 'redis reachable again', { connection: name });
      down = false;
    });
  }
  subscriber.on('ready', () => {
    if (everReady) for (const listener of listeners) listener();
    everReady = true;
  });
  const ready = (conn: Redis) => conn.connect().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all([ready(client), ready(subscriber)]), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
  return {
    client,
    subscriber,
    prefix: config.prefix,
    get up() {
      return client.status === 'ready' && subscriber.status === 'ready';
    },
    onReconnect(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      client.disconnect();
      subscriber.disconnect();
    },
  };
}
