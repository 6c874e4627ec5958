import { Router, type Request } from 'express';
import {
  AuditQuery,
  DecisionBody,
  EndorseBody,
  FlaggedQuery,
  OfficerLoginBody,
  VerificationListQuery,
} from '../protocol.js';
import type { AppOptions } from './app.js';
import { bearer, parse } from './translate.js';

/**
 * Officers' routes. Every route but login and logout proves the officer role from the store, never from the
 * token, and the token's session (officer-sessions.ts).
 */
export function officerRoutes({ officers, clientAddress: ip }: AppOptions): Router {
  const router = Router();
  // Officer responses carry NIPs and tokens: no browser or proxy may keep a copy (refusals included).
  router.use('/officer', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.post('/officer/login', async (req, res) => {
    const body = parse(OfficerLoginBody, req.body);
    res.json(await officers.login(body.username, body.password, ip(req)));
  });
  router.post('/officer/logout', async (req, res) => {
    await officers.logout(bearer(req));
    res.status(204).end();
  });
  const officer = (req: Request) => officers.officer(bearer(req));
  router.get('/officer/verification-requests', async (req, res) => {
    await officer(req);
    res.json({ requests: await officers.listRequests(parse(VerificationListQuery, req.query).status) });
  });
  router.post('/officer/verification-requests/:id/approve', async (req, res) => {
    const o = await officer(req);
    res.json(await officers.decide(o, req.params.id, 'approved', parse(DecisionBody, req.body ?? {}).note));
  });
  router.post('/officer/verification-requests/:id/reject', async (req, res) => {
    const o = await officer(req);
    res.json(await officers.decide(o, req.params.id, 'rejected', parse(DecisionBody, req.body ?? {}).note));
  });
  router.get('/officer/members/:id', async (req, res) => {
    await officer(req);
    res.json(await officers.officerMember(req.params.id));
  });
  router.post('/officer/members/:id/revoke-verification', async (req, res) => {
    const o = await officer(req);
    res.json(await officers.revoke(o, req.params.id, parse(DecisionBody, req.body ?? {}).note));
  });
  router.post('/officer/members/:id/reverse-votes', async (req, res) => {
    const o = await officer(req);
    res.json(await officers.reverseVotes(o, req.params.id));
  });
  router.put('/officer/posts/:id/endorsement', async (req, res) => {
    const o = await officer(req);
    res.json(await officers.endorse(o, req.params.id, parse(EndorseBody, req.body).endorsed));
  });
  router.get('/officer/flagged', async (req, res) => {
    await officer(req);
    res.json({ posts: await officers.flagged(parse(FlaggedQuery, req.query).status) });
  });
  router.post('/officer/posts/:id/restore', async (req, res) => {
    res.json(await officers.review(await officer(req), req.params.id, 'restore'));
  });
  router.post('/officer/posts/:id/remove', async (req, res) => {
    res.json(await officers.review(await officer(req), req.params.id, 'remove'));
  });
  router.post('/officer/reputation/recompute', async (req, res) => {
    res.json(await officers.recomputeAll(await officer(req)));
  });
  router.get('/officer/audit', async (req, res) => {
    await officer(req);
    const q = parse(AuditQuery, req.query);
    res.json({ entries: await officers.audit(q.memberId, q.limit) });
  });

  return router;
}
