import { Router, type Request } from 'express';
import type { FollowUpService, PresenceLookup } from '../domain/follow-up-service.js';
import {
  AssignBody,
  FollowUpStatusBody,
  MarkNotificationsReadBody,
  NotificationsQuery,
  OfficerAnswerBody,
  QueueQuery,
  type FollowUpRequestResponse,
} from '../protocol.js';
import type { AppOptions } from './app.js';
import { crossOrigin } from './origin.js';
import { bearer, parse } from './translate.js';

/**
 * The officers' follow-up queue (docs/API.md, "Officers' queue") and the asker's request for an officer's
 * answer. Every officer route takes role and sites from the accounts in force (FollowUpService.officerContext),
 * never from the token.
 */
export function officerQueueRoutes({ followUps, presence, service, clientAddress: ip }: AppOptions & { followUps: FollowUpService; presence?: PresenceLookup }): Router {
  const router = Router();
  const officer = (req: Request) => followUps.officerContext(bearer(req));

  // The asker: 201 when the thread entered the queue now, 200 when it already was.
  router.post('/threads/:id/follow-up', async (req, res) => {
    const actor = { visitor: await service.authenticate(bearer(req)), origin: crossOrigin(req), ip: ip(req) };
    const { followUp, created } = await followUps.request(actor, req.params.id);
    const body: FollowUpRequestResponse = { followUp };
    res.status(created ? 201 : 200).json(body);
  });

  router.get('/officer/me', async (req, res) => {
    res.json(await followUps.me(await officer(req)));
  });
  router.get('/officer/queue', async (req, res) => {
    const ctx = await officer(req);
    res.json(await followUps.queue(ctx, parse(QueueQuery, req.query)));
  });
  router.get('/officer/threads/:id', async (req, res) => {
    const ctx = await officer(req);
    res.json(await followUps.thread(ctx, req.params.id, presence));
  });
  router.post('/officer/threads/:id/status', async (req, res) => {
    const ctx = await officer(req);
    res.json(await followUps.changeStatus(ctx, req.params.id, parse(FollowUpStatusBody, req.body)));
  });
  router.post('/officer/threads/:id/assign', async (req, res) => {
    const ctx = await officer(req);
    res.json(await followUps.assign(ctx, req.params.id, parse(AssignBody, req.body)));
  });
  router.post('/officer/threads/:id/answers', async (req, res) => {
    const ctx = await officer(req);
    const { duplicate, ...body } = await followUps.answer(ctx, req.params.id, parse(OfficerAnswerBody, req.body));
    res.status(duplicate ? 200 : 201).json(body);
  });
  router.get('/officer/notifications', async (req, res) => {
    const ctx = await officer(req);
    res.json(await followUps.notifications(ctx, parse(NotificationsQuery, req.query).limit));
  });
  router.post('/officer/notifications/read', async (req, res) => {
    const ctx = await officer(req);
    await followUps.markRead(ctx, parse(MarkNotificationsReadBody, req.body).ids);
    res.status(204).end();
  });

  return router;
}
