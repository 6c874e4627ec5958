import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { watchOfficersFile, type Config } from './config.js';
import { FollowUpService, type PresenceLookup } from './domain/follow-up-service.js';
import { ConsultationService } from './domain/service.js';
import { TokenSigner } from './domain/tokens.js';
import { OfficerService } from './domain/officer-service.js';
import type { HashingLimits } from './domain/passwords.js';
import { TrustService } from './domain/trust-service.js';
import { createApp } from './http/app.js';
import { clientAddressOf, compileTrustProxy } from './http/client-address.js';
import type { Logger } from './log.js';
import { RealtimeHub } from './realtime/hub.js';
import { EventBus } from './realtime/event-bus.js';
import { OfficerChannel } from './realtime/officer-channel.js';
import { Relay } from './realtime/relay.js';
import { SharedPresence } from './realtime/shared-presence.js';
import type { FollowUpChange } from './domain/follow-up-service.js';
import type { MemberSummary } from './protocol.js';
import { connectRedis, type RedisConnections } from './store/redis/connection.js';
import { RedisLoginLockout, RedisRateLimiter } from './store/redis/rate-limits.js';
import { runLeased } from './store/pg/lease.js';
import { PgStore } from './store/pg/pg-store.js';
import { RateLimiter } from './domain/rate-limit.js';
import type { Store } from './store/store.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface RunningServer {
  url: string;
  port: number;
  http: Server;
  service: ConsultationService;
  trust: TrustService;
  officers: OfficerService;
  /** The officers' follow-up queue (server/domain/follow-up-service.ts). */
  followUps: FollowUpService;
  hub: RealtimeHub;
  /** The officers' live channel (queue, notifications, presence); `presence` feeds the officer thread view. */
  officerChannel: OfficerChannel;
  /** With OSG_REDIS_URL: the connections and the bus that carries committed events between instances. */
  redis?: RedisConnections;
  bus?: EventBus;
  /**
   * Drains and stops within `config.shutdownGraceMs`: stops accepting at once, ends idle keep-alive
   * connections and every other one after its response (`Connection: close`), refuses new requests (503),
   * finishes what is in flight, closes WebSockets with 1001, then closes the store (snapshot, lock).
   */
  stop(): Promise<void>;
}

/** What tests and benchmarks may change beyond configuration. */
export interface ServerOptions {
  /** The clock of every rule (sessions, limits, reputation); tests move it. */
  now?: () => number;
  /** Bounds on concurrent password checks; `'unbounded'` only to measure what the bound prevents. */
  hashing?: HashingLimits | 'unbounded';
  /** False: no follow-up clock timer (tests run `followUps.clockPass()` themselves at the times they choose). */
  followUpClock?: boolean;
  /** Who else has a thread open, for the officers' thread view; by default the officers' live channel says. */
  presence?: PresenceLookup;
  /** How long "sedang mengetik" lasts after an officer's last `typing` frame (default 5 s). */
  typingLapseMs?: number;
  /** With Redis: how often each instance tells the others all its viewers and officers (default 10 s). */
  presenceRefreshMs?: number;
  /** How often officer sockets' sessions are checked again (default 30 s). */
  officerSessionCheckMs?: number;
}

/** Wires store, service, HTTP and WebSocket together on an opened store. Used by main.ts and tests. */
export async function startServer(config: Config, store: Store, log: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  const { now } = options;
  const tokens = new TokenSigner(config.secret, config.tokenTtlSeconds);
  // Several instances: events, rate limits and sign-in lockouts are shared on Redis; without it, each keeps its own.
  const redis = config.redis ? await connectRedis(config.redis, log) : undefined;
  const service = new ConsultationService({
    store,
    sites: config.sites,
    tokens,
    ownOrigins: config.publicOrigins,
    trust: config.trust,
    officerNames: config.officers.map((o) => o.name),
    limiter: redis ? new RedisRateLimiter(redis, now) : undefined,
    // On PostgreSQL the member change log is in the database: a restart or another instance can still tell.
    memberChanges: store instanceof PgStore ? store.memberChanges() : undefined,
    now,
  });
  const bus = redis
    ? new EventBus({
        redis,
        local: (listener) => service.onEvent(listener),
        missed: (site, afterSeq) => service.eventsSince(site, afterSeq),
        currentSeq: (site) => service.currentSeq(site),
        sites: config.sites.map((s) => s.id),
        log,
      })
    : undefined;
  await bus?.start();
  const trust = new TrustService({ store, consultation: service, now });
  const officers = new OfficerService({
    store,
    consultation: service,
    tokens,
    officers: config.officers,
    sessions: config.officerSessions,
    hashing: options.hashing,
    lockout: redis ? new RedisLoginLockout(redis, config.trust.limits.login.account) : undefined,
    now,
  });
  await officers.syncOfficers();
  const followUps = new FollowUpService({ store, consultation: service, officers, trust, now, log });
  // Queue changes, notifications and members' badges reach the pages on every instance, not only this one's.
  const relays = bus
    ? {
        followUps: new Relay<FollowUpChange>({ redis: redis!, channel: 'follow-ups', instanceId: bus.instanceId, local: (l) => followUps.subscribe(l), accept: isFollowUpChange, log }),
        members: new Relay<MemberSummary>({ redis: redis!, channel: 'members', instanceId: bus.instanceId, local: (l) => service.members.onChange(l), accept: isMemberSummary, log }),
      }
    : undefined;
  // Viewer counts and officers' presence summed over the instances.
  const sharedPresence = bus ? new SharedPresence({ redis: redis!, instanceId: bus.instanceId, log, refreshMs: options.presenceRefreshMs }) : undefined;
  const officersFile = watchOfficersFile(
    config.officersFile,
    config.officers,
    (accounts) => {
      officers.reloadAccounts(accounts).then(
        (changes) => {
          log('info', 'officer accounts reloaded', { file: config.officersFile, officers: accounts.length, ...changes });
          // Removed officers' sockets close, and changed roles and sites take effect, at once.
          officerChannel.recheck().catch((err) => log('error', 'officer session checks failed', { err }));
        },
        (err) => log('error', 'officer accounts reload failed', { err }),
      );
    },
    (message) => log('error', 'officers file not reloaded', { message }),
    { siteIds: config.sites.map((s) => s.id) },
  );
  const officerChannel = new OfficerChannel({
    deps: {
      officerContext: (token, check) => followUps.officerContext(token, check),
      subscribe: relays?.followUps.subscribe ?? ((listener) => followUps.subscribe(listener)),
      threadAccess: (context, threadId) => followUps.checkThread(context, threadId),
    },
    log,
    // Per socket flood control: counted where the socket is, in memory, whatever the store.
    limiter: new RateLimiter(now),
    maxBufferedBytes: config.maxBufferedBytes,
    sessionCheckMs: options.officerSessionCheckMs,
    typingLapseMs: options.typingLapseMs,
    shared: sharedPresence,
  });
  // A change between reading the configuration and starting the watch is not lost.
  officersFile.check();
  // One derivation of the client's address for REST and WebSocket, so rate limits count the same person once.
  const trustProxy = compileTrustProxy(config.trustProxy);
  const clientAddress = clientAddressOf(trustProxy);
  let stopping = false;
  let hub: RealtimeHub | undefined;
  const app = createApp({
    service,
    trust,
    officers,
    followUps,
    presence: options.presence ?? officerChannel.presence,
    log,
    widgetDir: `${root}dist/widget`,
    adminDir: `${root}dist/admin`,
    demoDir: `${root}demo`,
    health: () => ({ status: stopping ? 'stopping' : 'ok', connections: hub?.connections ?? 0, ...(redis ? { redis: redis.up ? 'up' : 'down' } : {}) }),
    trustProxy,
    clientAddress,
    draining: () => stopping,
  });
  // Responses still being worked on, so that a drain can mark them `Connection: close` before they are sent.
  const inFlight = new Set<ServerResponse>();
  const http = createServer((req, res) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    app(req, res);
  });
  http.headersTimeout = 20_000;
  http.requestTimeout = 30_000;
  hub = new RealtimeHub({ service, trust, log, heartbeatMs: config.heartbeatMs, maxBufferedBytes: config.maxBufferedBytes, fanoutWindowMs: config.fanoutWindowMs, clientAddress, officers: officerChannel, events: bus?.subscribe, members: relays?.members.subscribe, sharedPresence });
  hub.attach(http);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  // After the server listens: a first pass brings every stored clock up to date after a restart.
  // On PostgreSQL several instances may run: the pass runs only where the lease is held, so that no escalation or
  // auto-close happens twice.
  let clockLeader: { stop(): Promise<void> } | undefined;
  if (options.followUpClock !== false) {
    if (store instanceof PgStore) {
      clockLeader = runLeased(store.lease('follow-up-clock', 3 * config.followUpClockMs), config.followUpClockMs, () => followUps.clockPass(), log);
    } else followUps.start(config.followUpClockMs);
  }
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shown}:${port}`;

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      const started = Date.now();
      stopping = true;
      officersFile.close();
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      // close() ends the connections idle now; these end the ones that become idle later (a response already
      // under way when the drain began keeps its keep-alive header).
      http.closeIdleConnections();
      const sweep = setInterval(() => http.closeIdleConnections(), 50);
      try {
        await hub!.close();
        // Half the grace for what is in flight; the rest is the store's (drain the journal, snapshot).
        const left = Math.max(config.shutdownGraceMs / 2 - (Date.now() - started), 0);
        const timer = setTimeout(() => http.closeAllConnections(), left);
        await closed;
        clearTimeout(timer);
      } finally {
        clearInterval(sweep);
      }
      officerChannel.close();
      await clockLeader?.stop();
      await followUps.stop();
      sharedPresence?.close();
      relays?.followUps.close();
      relays?.members.close();
      bus?.close();
      await redis?.close();
      await store.close();
    })());

  return { url, port, http, service, trust, officers, followUps, hub, officerChannel, redis, bus, stop };
}

function isFollowUpChange(change: unknown): change is FollowUpChange {
  const c = change as Partial<Record<string, unknown>> | null;
  if (typeof c !== 'object' || c === null) return false;
  if (c.kind === 'queue') return typeof c.site === 'string' && typeof c.item === 'object' && c.item !== null;
  return c.kind === 'notification' && typeof c.notification === 'object' && c.notification !== null && typeof (c.notification as { officerId?: unknown }).officerId === 'string';
}

function isMemberSummary(member: unknown): member is MemberSummary {
  return typeof member === 'object' && member !== null && typeof (member as { id?: unknown }).id === 'string';
}
