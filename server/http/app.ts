import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { DomainError, toErrorBody } from '../domain/errors.js';
import type { ConsultationService } from '../domain/service.js';
import type { TrustService } from '../domain/trust-service.js';
import type { Logger } from '../log.js';
import {
  AcceptBody,
  AuditQuery,
  DecisionBody,
  EditPostBody,
  EndorseBody,
  FlagBody,
  FlaggedQuery,
  OfficerLoginBody,
  VerificationListQuery,
  VerificationRequestBody,
  VoteBody,
  CreatePostBody,
  CreateThreadBody,
  CreateVisitorBody,
  HTTP_STATUS,
  ListThreadsQuery,
  UpdateVisitorBody,
  WIRE_LIMITS,
  type HealthResponse,
} from '../protocol.js';
import { crossOrigin } from './origin.js';

export interface AppOptions {
  service: ConsultationService;
  trust: TrustService;
  /** Folder with the built admin page (index.html + assets). */
  adminDir: string;
  log: Logger;
  /** Folder with the built widget (osg-konsultasi.js / .mjs). */
  widgetDir: string;
  demoDir: string;
  health: () => Pick<HealthResponse, 'status' | 'connections'>;
}

/** The REST API and static files. Routes only parse, call the service and translate errors. */
export function createApp(options: AppOptions): express.Express {
  const { service, trust, log } = options;
  const ip = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const member = async (req: Request) => ({ visitor: await service.authenticate(bearer(req)), origin: crossOrigin(req), ip: ip(req) });
  const started = Date.now();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

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

  app.get('/healthz', (_req, res) => {
    const body: HealthResponse = { ...options.health(), uptimeSeconds: Math.round((Date.now() - started) / 1000), store: service.storeKind };
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
  app.use('/api', express.json({ limit: WIRE_LIMITS.maxBodyBytes, strict: true }));

  app.post('/api/visitors', async (req, res) => {
    const body = parse(CreateVisitorBody, req.body ?? {});
    res.status(201).json(await service.registerVisitor(body, ip(req)));
  });

  app.get('/api/visitors/me', async (req, res) => {
    const visitor = await service.authenticate(bearer(req));
    res.json(await trust.profile(visitor.id));
  });

  app.patch('/api/visitors/me', async (req, res) => {
    const actor = await member(req);
    const body = parse(UpdateVisitorBody, req.body);
    res.json(await trust.updateProfile(actor, body));
  });

  app.get('/api/visitors/me/verification', async (req, res) => {
    res.json(await trust.myVerification(await member(req)));
  });

  app.post('/api/visitors/me/verification', async (req, res) => {
    const actor = await member(req);
    res.status(201).json(await trust.requestVerification(actor, parse(VerificationRequestBody, req.body)));
  });

  app.get('/api/members/:id', async (req, res) => {
    res.json(await trust.profile(req.params.id));
  });

  app.get('/api/sites/:site', (req, res) => {
    res.json(service.siteSettings(req.params.site, crossOrigin(req)));
  });

  app.get('/api/sites/:site/threads', async (req, res) => {
    const query = parse(ListThreadsQuery, req.query);
    res.json(await service.listThreads(req.params.site, query, crossOrigin(req)));
  });

  app.post('/api/sites/:site/threads', async (req, res) => {
    const actor = await member(req);
    const body = parse(CreateThreadBody, req.body);
    const { thread, duplicate } = await service.ask(actor, req.params.site, body);
    res.status(duplicate ? 200 : 201).json(thread);
  });

  app.get('/api/threads/:id', async (req, res) => {
    const token = bearer(req);
    const viewer = token ? await service.authenticate(token) : undefined;
    res.json(await service.getThread(req.params.id, crossOrigin(req), viewer));
  });

  app.put('/api/threads/:id/accepted', async (req, res) => {
    const actor = await member(req);
    res.json(await trust.accept(actor, req.params.id, parse(AcceptBody, req.body).postId));
  });

  app.put('/api/posts/:id/vote', async (req, res) => {
    const actor = await member(req);
    res.json(await trust.vote(actor, req.params.id, parse(VoteBody, req.body).value));
  });

  app.patch('/api/posts/:id', async (req, res) => {
    const actor = await member(req);
    res.json(await service.editPost(actor, req.params.id, parse(EditPostBody, req.body).body));
  });

  app.post('/api/posts/:id/flags', async (req, res) => {
    const actor = await member(req);
    res.status(201).json(await trust.flag(actor, req.params.id, parse(FlagBody, req.body).reason));
  });

  // Officers. Every route but login proves the officer role from the store, never from the token.
  app.post('/api/officer/login', async (req, res) => {
    const body = parse(OfficerLoginBody, req.body);
    res.json(await trust.login(body.username, body.password, ip(req)));
  });
  const officer = (req: Request) => trust.officer(bearer(req));
  app.get('/api/officer/verification-requests', async (req, res) => {
    await officer(req);
    res.json({ requests: await trust.listRequests(parse(VerificationListQuery, req.query).status) });
  });
  app.post('/api/officer/verification-requests/:id/approve', async (req, res) => {
    const o = await officer(req);
    res.json(await trust.decide(o, req.params.id, 'approved', parse(DecisionBody, req.body ?? {}).note));
  });
  app.post('/api/officer/verification-requests/:id/reject', async (req, res) => {
    const o = await officer(req);
    res.json(await trust.decide(o, req.params.id, 'rejected', parse(DecisionBody, req.body ?? {}).note));
  });
  app.get('/api/officer/members/:id', async (req, res) => {
    await officer(req);
    res.json(await trust.officerMember(req.params.id));
  });
  app.post('/api/officer/members/:id/revoke-verification', async (req, res) => {
    const o = await officer(req);
    res.json(await trust.revoke(o, req.params.id, parse(DecisionBody, req.body ?? {}).note));
  });
  app.post('/api/officer/members/:id/reverse-votes', async (req, res) => {
    const o = await officer(req);
    res.json(await trust.reverseVotes(o, req.params.id));
  });
  app.put('/api/officer/posts/:id/endorsement', async (req, res) => {
    const o = await officer(req);
    res.json(await trust.endorse(o, req.params.id, parse(EndorseBody, req.body).endorsed));
  });
  app.get('/api/officer/flagged', async (req, res) => {
    await officer(req);
    res.json({ posts: await trust.flagged(parse(FlaggedQuery, req.query).status) });
  });
  app.post('/api/officer/posts/:id/restore', async (req, res) => {
    res.json(await trust.review(await officer(req), req.params.id, 'restore'));
  });
  app.post('/api/officer/posts/:id/remove', async (req, res) => {
    res.json(await trust.review(await officer(req), req.params.id, 'remove'));
  });
  app.post('/api/officer/reputation/recompute', async (req, res) => {
    res.json(await trust.recomputeAll(await officer(req)));
  });
  app.get('/api/officer/audit', async (req, res) => {
    await officer(req);
    const q = parse(AuditQuery, req.query);
    res.json({ entries: await trust.audit(q.memberId, q.limit) });
  });

  app.post('/api/threads/:id/posts', async (req, res) => {
    const actor = await member(req);
    const body = parse(CreatePostBody, req.body);
    const { post, duplicate } = await service.answer(actor, req.params.id, body);
    res.status(duplicate ? 200 : 201).json(post);
  });

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
    if (!(err instanceof DomainError)) log('error', 'request failed', { err: err as Error });
    fail(res, err);
  });
  return app;
}

function fail(res: Response, err: unknown): void {
  const body = toErrorBody(err);
  if (body.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.ceil(body.retryAfterMs / 1000)));
  res.status(HTTP_STATUS[body.code]).json({ error: body });
}

function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9._-]{1,512})$/.exec(header);
  if (!match) throw new DomainError('unauthorized', 'Authorization must be "Bearer <token>"');
  return match[1];
}

/** Validates a body or query against its protocol schema, naming the first offending field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || undefined;
  throw new DomainError('bad_request', field ? `${field}: ${issue.message}` : issue.message, field ? { field } : {});
}
