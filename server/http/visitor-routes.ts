import { Router, type Request } from 'express';
import {
  AcceptBody,
  CreatePostBody,
  CreateThreadBody,
  CreateVisitorBody,
  EditPostBody,
  FlagBody,
  ListThreadsQuery,
  UpdateVisitorBody,
  VerificationRequestBody,
  VoteBody,
} from '../protocol.js';
import type { AppOptions } from './app.js';
import { crossOrigin } from './origin.js';
import { bearer, parse } from './translate.js';

/** Visitors' routes: identity, profiles, threads, answers, votes, flags, verification requests. */
export function visitorRoutes({ service, trust, clientAddress: ip }: AppOptions): Router {
  const router = Router();
  const member = async (req: Request) => ({ visitor: await service.authenticate(bearer(req)), origin: crossOrigin(req), ip: ip(req) });

  // The member's own profile and verification (masked NIP, officers' notes) are theirs alone.
  router.use('/visitors/me', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.post('/visitors', async (req, res) => {
    const body = parse(CreateVisitorBody, req.body ?? {});
    res.status(201).json(await service.registerVisitor(body, ip(req)));
  });

  router.get('/visitors/me', async (req, res) => {
    const visitor = await service.authenticate(bearer(req));
    res.json(await trust.profile(visitor.id));
  });

  router.patch('/visitors/me', async (req, res) => {
    const actor = await member(req);
    const body = parse(UpdateVisitorBody, req.body);
    res.json(await trust.updateProfile(actor, body));
  });

  router.get('/visitors/me/verification', async (req, res) => {
    res.json(await trust.myVerification(await member(req)));
  });

  router.post('/visitors/me/verification', async (req, res) => {
    const actor = await member(req);
    res.status(201).json(await trust.requestVerification(actor, parse(VerificationRequestBody, req.body)));
  });

  router.get('/members/:id', async (req, res) => {
    res.json(await trust.profile(req.params.id));
  });

  router.get('/sites/:site', (req, res) => {
    res.json(service.siteSettings(req.params.site, crossOrigin(req)));
  });

  router.get('/sites/:site/threads', async (req, res) => {
    const query = parse(ListThreadsQuery, req.query);
    res.json(await service.listThreads(req.params.site, query, crossOrigin(req)));
  });

  router.post('/sites/:site/threads', async (req, res) => {
    const actor = await member(req);
    const body = parse(CreateThreadBody, req.body);
    const { thread, duplicate } = await service.ask(actor, req.params.site, body);
    res.status(duplicate ? 200 : 201).json(thread);
  });

  router.get('/threads/:id', async (req, res) => {
    const token = bearer(req);
    const viewer = token ? await service.authenticate(token) : undefined;
    res.json(await service.getThread(req.params.id, crossOrigin(req), viewer));
  });

  router.put('/threads/:id/accepted', async (req, res) => {
    const actor = await member(req);
    res.json(await trust.accept(actor, req.params.id, parse(AcceptBody, req.body).postId));
  });

  router.put('/posts/:id/vote', async (req, res) => {
    const actor = await member(req);
    res.json(await trust.vote(actor, req.params.id, parse(VoteBody, req.body).value));
  });

  router.patch('/posts/:id', async (req, res) => {
    const actor = await member(req);
    res.json(await service.editPost(actor, req.params.id, parse(EditPostBody, req.body).body));
  });

  router.post('/posts/:id/flags', async (req, res) => {
    const actor = await member(req);
    res.status(201).json(await trust.flag(actor, req.params.id, parse(FlagBody, req.body).reason));
  });

  router.post('/threads/:id/posts', async (req, res) => {
    const actor = await member(req);
    const body = parse(CreatePostBody, req.body);
    const { post, duplicate } = await service.answer(actor, req.params.id, body);
    res.status(duplicate ? 200 : 201).json(post);
  });

  return router;
}
