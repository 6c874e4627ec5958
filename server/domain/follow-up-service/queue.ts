/**
 * Reading the queue: the inbox over an officer's sites (filters checked against the protocol's lists, the
 * officer's sites only) and one thread with its follow-up.
 */
import type { OfficerPresence, OfficerThreadView, QueueQuery, QueueResponse } from '../../protocol.js';
import { FOLLOW_UP_STATUSES, SLA_STATES } from '../../protocol.js';
import type { FollowUpQuery } from '../../store/store.js';
import { DomainError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../follow-up-views.js';
import { searchWords } from '../rules.js';
import type { FollowUpCore, OfficerContext } from './core.js';

/** Who else has a thread open (server/realtime/officer-presence.ts provides it). */
export type PresenceLookup = (threadId: string, exceptOfficerId: string) => OfficerPresence[];

export async function queuePage(core: FollowUpCore, ctx: OfficerContext, query: QueueQuery): Promise<QueueResponse> {
  const sites = query.site === undefined ? ctx.sites : list(query.site);
  const foreign = sites.filter((s) => !ctx.sites.includes(s));
  if (foreign.length) throw new DomainError('forbidden', `Not one of your sites: ${foreign.join(', ')}`, { field: 'site' });
  const empty = { items: [], counts: { byStatus: zeros(FOLLOW_UP_STATUSES), bySla: zeros(SLA_STATES) } };
  if (sites.length === 0) return empty;
  const request: FollowUpQuery = { sites, limit: query.limit ?? 20 };
  if (query.status !== undefined) request.statuses = oneOf(query.status, FOLLOW_UP_STATUSES, 'status');
  if (query.sla !== undefined) request.slaStates = oneOf(query.sla, SLA_STATES, 'sla');
  if (query.category !== undefined) request.categories = list(query.category);
  if (query.assignee !== undefined && query.assignee !== '') {
    request.assignee = query.assignee === 'none' ? 'none' : { id: query.assignee === 'me' ? ctx.member.id : query.assignee };
  }
  const words = searchWords(query.q);
  if (words) request.words = words;
  if (query.cursor) request.after = decodeCursor(query.cursor);
  const [page, counts] = await Promise.all([core.store.queryFollowUps(request), core.store.countFollowUps({ sites })]);
  const items = await core.items(page.followUps);
  return { items, ...(page.next && { nextCursor: encodeCursor(page.next) }), counts };
}

/** A thread with every post, its follow-up and who else has it open. */
export async function officerThread(core: FollowUpCore, ctx: OfficerContext, threadId: string, presence?: PresenceLookup): Promise<OfficerThreadView> {
  await core.threadFor(ctx, threadId);
  const view = await core.consultation.getThread(threadId, undefined, ctx.member);
  const followUp = await core.store.getFollowUp({ threadId });
  const result: OfficerThreadView = { ...view, officers: presence?.(threadId, ctx.member.id) ?? [] };
  if (followUp) result.followUp = (await core.item(followUp)).followUp;
  return result;
}

/** "a, b" → ["a", "b"]. */
function list(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
}

function oneOf<T extends string>(text: string, allowed: readonly T[], field: string): T[] {
  const values = list(text);
  const bad = values.filter((v) => !(allowed as readonly string[]).includes(v));
  if (bad.length) throw new DomainError('bad_request', `${field}: "${bad[0]}" is not one of ${allowed.join(', ')}`, { field });
  return values as T[];
}

function zeros<T extends string>(keys: readonly T[]): Record<T, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<T, number>;
}
