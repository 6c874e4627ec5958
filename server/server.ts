import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { watchOfficersFile, type Config } from './config.js';
import { ConsultationService } from './domain/service.js';
import { TokenSigner } from './domain/tokens.js';
import { OfficerService } from './domain/officer-service.js';
import type { HashingLimits } from './domain/passwords.js';
import { TrustService } from './domain/trust-service.js';
import { createApp } from './http/app.js';
import { clientAddressOf, compileTrustProxy } from './http/client-address.js';
import type { Logger } from './log.js';
import { RealtimeHub } from './realtime/hub.js';
import type { Store } from './store/store.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface RunningServer {
  url: string;
  port: number;
  http: Server;
  service: ConsultationService;
  trust: TrustService;
  officers: OfficerService;
  hub: RealtimeHub;
  /** Stops accepting, closes sockets (1001), lets in-flight requests finish, then closes the store. */
  stop(): Promise<void>;
}

/** What tests and benchmarks may change beyond configuration. */
export interface ServerOptions {
  /** The clock of every rule (sessions, limits, reputation); tests move it. */
  now?: () => number;
  /** Bounds on concurrent password checks; `'unbounded'` only to measure what the bound prevents. */
  hashing?: HashingLimits | 'unbounded';
}

/** Wires store, service, HTTP and WebSocket together on an opened store. Used by main.ts and tests. */
export async function startServer(config: Config, store: Store, log: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  const { now } = options;
  const tokens = new TokenSigner(config.secret, config.tokenTtlSeconds);
  const service = new ConsultationService({
    store,
    sites: config.sites,
    tokens,
    ownOrigins: config.publicOrigins,
    trust: config.trust,
    officerNames: config.officers.map((o) => o.name),
    now,
  });
  const trust = new TrustService({ store, consultation: service, now });
  const officers = new OfficerService({
    store,
    consultation: service,
    tokens,
    officers: config.officers,
    sessions: config.officerSessions,
    hashing: options.hashing,
    now,
  });
  await officers.syncOfficers();
  const officersFile = watchOfficersFile(
    config.officersFile,
    config.officers,
    (accounts) => {
      officers.reloadAccounts(accounts).then(
        (changes) => log('info', 'officer accounts reloaded', { file: config.officersFile, officers: accounts.length, ...changes }),
        (err) => log('error', 'officer accounts reload failed', { err }),
      );
    },
    (message) => log('error', 'officers file not reloaded', { message }),
  );
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
    log,
    widgetDir: `${root}dist/widget`,
    adminDir: `${root}dist/admin`,
    demoDir: `${root}demo`,
    health: () => ({ status: stopping ? 'stopping' : 'ok', connections: hub?.connections ?? 0 }),
    trustProxy,
    clientAddress,
  });
  const http = createServer(app);
  http.headersTimeout = 20_000;
  http.requestTimeout = 30_000;
  hub = new RealtimeHub({ service, trust, log, heartbeatMs: config.heartbeatMs, maxBufferedBytes: config.maxBufferedBytes, clientAddress });
  hub.attach(http);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shown}:${port}`;

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      officersFile.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      await hub!.close();
      await closed;
      await store.close();
    })());

  return { url, port, http, service, trust, officers, hub, stop };
}
