import type { AuditEntry, ChangeEvent, MemberPatch, Post, Thread, Visitor, Vote } from '../domain/model.js';

export interface ThreadEntry {
  thread: Thread;
  /**
   * Lower-cased title and body, made by the first word search that reaches this thread and kept, so
   * that searches do not lower-case 100k threads per query and start-up does not either.
   */
  text?: string;
  posts: Post[];
}

/** The last `capacity` events of one site, oldest first; seqs in it are consecutive. */
export class EventRing {
  private items: ChangeEvent[] = [];
  private start = 0;

  constructor(private readonly capacity: number) {}

  push(event: ChangeEvent): void {
    if (this.capacity <= 0) return;
    if (this.items.length < this.capacity) {
      this.items.push(event);
    } else {
      this.items[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  get oldestSeq(): number | undefined {
    return this.items.length === 0 ? undefined : this.items[this.start].seq;
  }

  /** Events with seq > afterSeq, at most `limit`; the caller checks that afterSeq is retained. */
  since(afterSeq: number, limit: number): ChangeEvent[] {
    const oldest = this.oldestSeq;
    if (oldest === undefined) return [];
    const out: ChangeEvent[] = [];
    for (let i = Math.max(afterSeq + 1 - oldest, 0); i < this.items.length && out.length < limit; i++) {
      out.push(this.items[(this.start + i) % this.items.length]);
    }
    return out;
  }

  toArray(): ChangeEvent[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
}

export interface SiteState {
  seq: number;
  /** Threads in seq order (ascending), for newest-first paging by binary search. */
  threads: ThreadEntry[];
  events: EventRing;
}

export interface ClientEntry {
  thread?: Thread;
  post?: Post;
}

export function clientKey(authorId: string, clientId: string): string {
  return `${authorId}\u0000${clientId}`;
}

export function voteKey(postId: string, voterId: string): string {
  return `${postId}\u0000${voterId}`;
}

/** A visitor with the patch applied: `null` removes a field; id and createdAt never change. */
export function applyMemberPatch(visitor: Visitor, patch: Record<string, unknown>): Visitor {
  const next: Record<string, unknown> = { ...visitor };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'id' || key === 'createdAt') continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as unknown as Visitor;
}

/** A copy that shares nothing mutable with `visitor`. */
export function copyVisitor(visitor: Visitor): Visitor {
  const copy = { ...visitor };
  if (copy.profile) copy.profile = { ...copy.profile };
  if (copy.verified) copy.verified = { ...copy.verified };
  if (copy.stats) copy.stats = { ...copy.stats };
  if (copy.activeDays) copy.activeDays = [...copy.activeDays];
  return copy;
}

/** A copy that shares nothing mutable with `thread` (its follow-up part is an object). */
export function copyThread(thread: Thread): Thread {
  return thread.followUp ? { ...thread, followUp: { ...thread.followUp } } : { ...thread };
}

export function copyPost(post: Post): Post {
  const copy = { ...post };
  if (copy.hidden) copy.hidden = { ...copy.hidden };
  return copy;
}

export function copyAudit(entry: AuditEntry): AuditEntry {
  const copy = { ...entry };
  if (copy.details) copy.details = { ...copy.details };
  return copy;
}

export function copyVotes(votes: Map<string, Vote> | undefined): Vote[] {
  return votes ? Array.from(votes.values(), (v) => ({ ...v })) : [];
}

export function searchText(thread: Thread): string {
  return `${thread.title}\n${thread.body}`.toLowerCase();
}

/** Makes `target` hold exactly the fields of `source`, keeping its identity for the indexes. */
export function replaceContents<T extends object>(target: T, source: T): void {
  for (const key of Object.keys(target)) if (!(key in source)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, source);
}

export function setIn<T>(index: Map<string, Map<string, T>>, outer: string, inner: string, value: T): void {
  let group = index.get(outer);
  if (!group) {
    group = new Map();
    index.set(outer, group);
  }
  group.set(inner, value);
}

export function pushTo<T>(index: Map<string, T[]>, key: string, value: T): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}

/** Moves `key` from group `from` to group `to` (either may be absent), keeping its place when the group stays. */
export function regroup<G, T>(index: Map<G, Map<string, T>>, key: string, from: G | undefined, to: G | undefined, value: T | undefined): void {
  if (from !== undefined && from !== to) {
    const group = index.get(from);
    group?.delete(key);
    if (group?.size === 0) index.delete(from);
  }
  if (to === undefined || value === undefined) return;
  let group = index.get(to);
  if (!group) {
    group = new Map();
    index.set(to, group);
  }
  group.set(key, value);
}

export function bySiteAndSeq(a: { site: string; seq: number }, b: { site: string; seq: number }): number {
  return a.site < b.site ? -1 : a.site > b.site ? 1 : a.seq - b.seq;
}

export function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

export function isSortedBySeq(list: ThreadEntry[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1].thread.seq >= list[i].thread.seq) return false;
  return true;
}

export function firstIndexAtOrAfter(list: ThreadEntry[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].thread.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A deep copy as the journal will replay it: undefined fields are gone, exactly as after a restart. */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A copy without the fields that are present but undefined (the journal would drop them anyway). */
export function withoutUndefined<T extends object>(value: T): T {
  const copy = { ...value };
  for (const key of Object.keys(copy) as Array<keyof T>) if (copy[key] === undefined) delete copy[key];
  return copy;
}

/** A member patch as the journal keeps it: `null` (JSON has no undefined) removes a field; id and createdAt never change. */
export function patchRecord(patch: MemberPatch): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key !== 'id' && key !== 'createdAt') record[key] = value === undefined || value === null ? null : jsonCopy(value);
  }
  return record;
}
