import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import type { FollowUpService, PresenceLookup } from '../domain/follow-up-service.js';
import type { ConsultationService } from '../domain/service.js';
import type { OfficerService } from '../domain/officer-service.js';
import type { TrustService } from '../domain/trust-service.js';
import type { Logger } from '../log.js';
import { WIRE_LIMITS, type HealthResponse } from '../protocol.js';
import type { TrustFn } from './client-address.js';
import { officerQueueRoutes } from './officer-queue-routes.js';
import { officerRoutes } from './officer-routes.js';
import { crossOrigin } from './origin.js';
import { fail } from './translate.js';
import { visitorRoutes } from './visitor-routes.js';

export interface AppOptions {
  service: ConsultationService;
  trust: TrustService;
  officers: OfficerService;
  followUps: FollowUpService;
  /** Who else has a thread open, for the officers' thread view (the officers' WebSocket channel knows). */
  presence?: PresenceLookup;
  /** Folder with the built admin page (index.html + assets). */
  adminDir: string;
  log: Logger;
  /** Folder with the built widget (osg-konsultasi.js / .mjs). */
  widgetDir: string;
  demoDir: string;
  health: () => { status: 'ok' | 'stopping'; connections: number; redis?: 'up' | 'down' };
  /** True from SIGTERM on: every response closes its connection, and only /healthz (503) is still answered. */
  draining: () => boolean;
  /** OSG_TRUST_PROXY, compiled (client-address.ts); Express's own `trust proxy` follows it too. */
  trustProxy: TrustFn;
  /** The client's address, derived as for WebSocket upgrades (client-address.ts). */
  clientAddress: (req: IncomingMessage) => string;
}

/** The REST API and static files. Routes only parse, call the service and translate errors. */
export function createApp(options: AppOptions): express.Express {
  const { service, log } = options;
  const started = Date.now();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);

  app.use((req, res, next) => {
    const t0 = process.hrtime.bigint();
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      // The path only: query strings can hold search words, which are the visitor's own text.
      log(res.statusCode >= 500 ? 'error' : 'debug', 'http', { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
    });
    next();
  });

  // Draining keep-alive clients: each response ends its connection, so that no socket keeps the server alive.
  app.use((_req, res, next) => {
    if (options.draining()) res.setHeader('Connection', 'close');
    next();
  });

  // A load balancer takes an instance out on 503: while it drains for a shutdown, and while its store takes no writes.
  app.get('/healthz', async (_req, res) => {
    const { status, connections, redis } = options.health();
    const store = await service.storeHealth();
    const body: HealthResponse = { status, uptimeSeconds: Math.round((Date.now() - started) / 1000), store: service.storeKind, connections };
    if (service.storeKind === 'postgres') body.database = store.ok ? 'up' : 'down';
    if (redis) body.redis = redis;
    if (!store.ok) {
      if (status === 'ok') body.status = 'failing';
      body.reason = store.reason;
    }
    res.status(body.status === 'ok' ? 200 : 503).json(body);
  });

  // CORS: only origins some site lists. Whether that origin may use a given site is the service's call.
  app.use('/api', (req, res, next) => {
    const origin = crossOrigin(req);
    if (origin && service.allowedOrigins().has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    } else if (origin) {
      // An unlisted origin gets nothing but the refusal. On anything but a preflight the refusal carries CORS
      // headers, so that the widget can read `origin_not_allowed` and say so instead of retrying as if offline;
      // a simple GET (the site's settings, the widget's first request) needs no preflight. A refused preflight
      // stays without them: the request it asks for must not follow.
      if (req.method !== 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Vary', 'Origin');
      }
      fail(res, new DomainError('origin_not_allowed', 'Origin is not allowed'));
      return;
    }
    next();
  });
  // A request that arrives while draining (on a kept-alive socket) starts nothing: the client retries elsewhere or later.
  app.use((_req, res, next) => {
    if (!options.draining()) return next();
    fail(res, new DomainError('unavailable', 'The server is shutting down; retry shortly', { retryAfterMs: 1000 }));
  });
  app.use('/api', express.json({ limit: WIRE_LIMITS.maxBodyBytes, strict: true }));

  app.use('/api', visitorRoutes(options), officerRoutes(options), officerQueueRoutes(options));

  app.use('/api', (_req, res) => fail(res, new DomainError('not_found', 'No such API route')));

  /** Sends a built widget file with its cache policy; `missing` is the status when it is not there. */
  const widgetFile = (res: Response, name: string, cache: string, missing: number) => {
    const file = join(options.widgetDir, name);
    if (!existsSync(file)) {
      res.status(missing).type('text/plain').send(missing === 503 ? 'Widget not built: run `npm run build`.\n' : 'Not found\n');
      return;
    }
    res.setHeader('Cache-Control', cache);
    res.setHeader('Access-Control-Allow-Origin', '*'); // a public script; lets ES-module embeds load it
    res.sendFile(file);
  };
  // The main script keeps its name (webmasters embed it), so it is cached briefly.
  for (const name of ['osg-konsultasi.js', 'osg-konsultasi.mjs']) {
    app.get(`/${name}`, (_req, res) => widgetFile(res, name, 'public, max-age=300', 503));
  }
  // The on-demand module is named by its content (vite.config.ts): a new build is a new name, so it is cached for
  // good, and a main script only ever loads the module it was built with. An unknown name is an older build's.
  app.get(/^\/osg-konsultasi-profile-[0-9a-f]{10}\.mjs$/, (req, res) =>
    widgetFile(res, req.path.slice(1), 'public, max-age=31536000, immutable', 404));
  app.use('/demo', express.static(options.demoDir, { index: 'index.html' }));
  app.use('/admin', (_req, res, next) => {
    // The officers' page never runs third-party code and is never framed.
    res.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  app.use('/admin', express.static(options.adminDir, { index: 'index.html' }));
  app.get('/admin', (_req, res) => res.redirect(302, '/admin/'));
  app.get('/', (_req, res) => res.redirect(302, '/demo/'));
  app.get('/favicon.ico', (_req, res) => res.status(204).end());

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.too.large') return fail(res, new DomainError('payload_too_large', `Request body is larger than ${WIRE_LIMITS.maxBodyBytes} bytes`));
    if (e?.type === 'entity.parse.failed') return fail(res, new DomainError('bad_request', 'Request body is not valid JSON'));
    // The router cannot decode a path parameter with broken percent-encoding (e.g. /api/threads/%E0%A4%A).
    if (err instanceof URIError) return fail(res, new DomainError('bad_request', 'The path is not valid percent-encoded UTF-8'));
    if (!(err instanceof DomainError)) log('error', 'request failed', { err: err as Error });
    fail(res, err);
  });
  return app;
}

