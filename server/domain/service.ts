import { nanoid } from 'nanoid';
import type {
  CreateVisitorResponse,
  EventView,
  ListThreadsResponse,
  PostView,
  SiteView,
  ThreadView,
  ThreadWithPosts,
  VisitorView,
} from '../protocol.js';
import type { Store, StoreHealth } from '../store/store.js';
import { DomainError } from './errors.js';
import type { DurableMemberChanges } from './member-changes.js';
import { MemberDirectory } from './members.js';
import { ReservedNames } from './names.js';
import { SiteEvents } from './site-events.js';
import type { MemberPatch, Post, ThreadFilter, Visitor } from './model.js';
import { RateLimiter, type Limiter } from './rate-limit.js';
import { cleanAnswerBody, cleanName, cleanQuestionBody, cleanTitle, guestName, searchWords } from './rules.js';
import { originAllowed, siteView, type SiteSettings } from './sites.js';
import type { TokenClaims, TokenSigner } from './tokens.js';
import { DEFAULT_TRUST_RULES, isNewMember, orderAnswers, touchActivity, type TrustRules } from './trust.js';
import { postView, threadView, visitorView } from './views.js';

export interface ServiceOptions {
  /** Already opened: the service reads each site's seq at once. */
  store: Store;
  sites: SiteSettings[];
  tokens: TokenSigner;
  /** Origins of this server itself (it serves the demo and the admin page); always allowed. */
  ownOrigins?: string[];
  now?: () => number;
  newId?: () => string;
  /**
   * How many missed events a reconnecting client is sent before it is told to resync instead; as many
   * member changes are remembered for it.
   */
  maxReplay?: number;
  trust?: TrustRules;
  /** Shared with TrustService so that one member's limits hold across both. */
  limiter?: Limiter;
  /** The member change log in the database (several instances, restarts); in memory when absent. */
  memberChanges?: DurableMemberChanges;
  members?: MemberDirectory;
  /** Officers' display names: members may not take them (see names.ts). */
  officerNames?: string[];
}

/** Throws unless an officer's token claims name a live session of theirs. */
export type OfficerTokenCheck = (claims: TokenClaims, member: Visitor, options?: CheckOptions) => Promise<unknown>;
/** `activity: false`: a check that does not count as the officer's activity (an open socket's periodic check). */
export interface CheckOptions {
  activity?: boolean;
}

/** Who is acting and from where. Transport layers fill it in; the service decides what it allows. */
export interface Actor {
  visitor: Visitor;
  /** The browser Origin the request came from, if any. */
  origin?: string;
  /** A WebSocket is bound to one site: its commands may not reach another site's threads. */
  site?: string;
  /** The client's address, for per-address rate limits. */
  ip?: string;
}

/**
 * The rules of live consultation. HTTP and WebSocket layers call only this; none touches the store.
 */
export class ConsultationService {
  readonly #store: Store;
  readonly #sites: Map<string, SiteSettings>;
  readonly #tokens: TokenSigner;
  readonly #ownOrigins: string[];
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #maxReplay: number;
  readonly #rules: TrustRules;
  readonly #limiter: Limiter;
  #reservedNames: ReservedNames;
  readonly members: MemberDirectory;
  /** The sites' event streams and what a reconnecting client missed: site-events.ts. */
  readonly #events: SiteEvents;
  #officerCheck: OfficerTokenCheck | undefined;

  constructor(options: ServiceOptions) {
    this.#store = options.store;
    this.#sites = new Map(options.sites.map((s) => [s.id, s]));
    this.#tokens = options.tokens;
    this.#ownOrigins = options.ownOrigins ?? [];
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => nanoid(16));
    this.#maxReplay = options.maxReplay ?? 500;
    this.#rules = options.trust ?? DEFAULT_TRUST_RULES;
    this.#limiter = options.limiter ?? new RateLimiter(this.#now);
    this.members = options.members ?? new MemberDirectory(this.#store, this.#rules, this.#now);
    this.#reservedNames = new ReservedNames(options.officerNames ?? []);
    this.#events = new SiteEvents({ store: this.#store, members: this.members, sites: [...this.#sites.keys()], maxReplay: this.#maxReplay, memberChanges: options.memberChanges });
  }

  /** Officers' names are reserved for members; the officers file may change while the server runs. */
  reserveOfficerNames(names: Iterable<string>): void {
    this.#reservedNames = new ReservedNames(names);
  }

  get limiter(): Limiter {
    return this.#limiter;
  }

  get rules(): TrustRules {
    return this.#rules;
  }

  get storeKind(): string {
    return this.#store.kind;
  }

  /** Whether the store takes writes now, for /healthz. */
  storeHealth(): Promise<StoreHealth> {
    return this.#store.health();
  }

  /** Every origin some site allows, plus the server's own: the only origins CORS and WebSocket accept. */
  allowedOrigins(): Set<string> {
    const all = new Set(this.#ownOrigins);
    for (const site of this.#sites.values()) for (const o of site.origins) all.add(o);
    return all;
  }

  /** The ids of the configured sites. */
  siteIds(): string[] {
    return [...this.#sites.keys()];
  }

  site(id: string): SiteSettings {
    const site = this.#sites.get(id);
    if (!site) throw new DomainError('unknown_site', `No site named "${id}"`);
    return site;
  }

  /** The site, if `origin` may use it; otherwise `origin_not_allowed`. */
  siteFor(id: string, origin: string | undefined): SiteSettings {
    const site = this.site(id);
    if (!originAllowed(site, origin, this.#ownOrigins)) {
      throw new DomainError('origin_not_allowed', `Origin is not allowed for site "${id}"`);
    }
    return site;
  }

  siteSettings(id: string, origin?: string): SiteView {
    return siteView(this.siteFor(id, origin));
  }

  async registerVisitor(input: { name?: string }, ip?: string): Promise<CreateVisitorResponse> {
    if (ip) await this.#limiter.take(`visitor:ip:${ip}`, this.#rules.limits.visitor.ip);
    const at = this.#iso();
    const name = input.name === undefined || input.name.trim() === '' ? guestName() : this.memberName(input.name);
    const visitor = await this.#store.createVisitor({ visitor: { id: this.#newId(), name, createdAt: at, updatedAt: at, role: 'member' } });
    const { token, expiresAt } = this.#tokens.sign(visitor.id, this.#now());
    return { token, expiresAt, visitor: visitorView(visitor) };
  }

  /**
   * Set by OfficerService: an officer's token is good only while its session is (officer-sessions.ts).
   * Until it is set, officers' tokens are refused.
   */
  checkOfficerTokensWith(check: OfficerTokenCheck): void {
    this.#officerCheck = check;
  }

  /**
   * The visitor a bearer token proves. A token for a visitor the store does not know is refused; an
   * officer's token also needs a live session.
   */
  async authenticate(token: string | undefined, options?: CheckOptions): Promise<Visitor> {
    if (!token) throw new DomainError('unauthorized', 'A visitor token is required');
    const claims = this.#tokens.verify(token, this.#now());
    const visitor = await this.#store.getVisitor({ id: claims.sub });
    if (!visitor) throw new DomainError('unauthorized', 'Unknown visitor');
    if (visitor.role === 'officer') {
      if (!this.#officerCheck) throw new DomainError('session_ended', 'Officer sign-in is not available');
      await this.#officerCheck(claims, visitor, options);
    }
    return visitor;
  }

  /** The member as stored now (a socket keeps the id; name, role and level may have changed since). */
  async authenticateId(id: string): Promise<Visitor> {
    const [visitor] = await this.#store.getMembers({ ids: [id] });
    if (!visitor) throw new DomainError('unauthorized', 'Unknown visitor');
    return visitor;
  }

  /**
   * A display name a member may take: clean, and neither an officer's name nor a reserved word (names.ts).
   * Officers keep the name configuration gives them; a member re-saving the name they have is not refused.
   */
  memberName(raw: string, visitor?: Visitor): string {
    const name = cleanName(raw);
    if (visitor?.role !== 'officer' && name !== visitor?.name) this.#reservedNames.check(name);
    return name;
  }

  async renameVisitor(actor: Actor, name: string): Promise<VisitorView> {
    const visitor = await this.members.update(actor.visitor, { name: this.memberName(name, actor.visitor) });
    return visitorView(visitor);
  }

  async listThreads(
    siteId: string,
    query: { q?: string; status?: ThreadFilter; limit?: number; cursor?: string },
    origin?: string,
  ): Promise<ListThreadsResponse> {
    const site = this.siteFor(siteId, origin);
    const generation = await this.#store.generation();
    // Read the sequence number first: a client that subscribes from it may see a thread twice, never miss one.
    const seq = await this.#store.currentSeq({ site: site.id });
    const page = await this.#store.listThreads({
      site: site.id,
      words: searchWords(query.q),
      filter: query.status ?? 'all',
      limit: query.limit ?? 20,
      beforeSeq: query.cursor === undefined ? undefined : Number(query.cursor),
    });
    const authors = await this.members.summaries(page.threads.map((t) => t.authorId));
    const result: ListThreadsResponse = { threads: page.threads.map((t) => threadView(t, authors)), seq, generation };
    if (page.nextBeforeSeq !== undefined) result.nextCursor = String(page.nextBeforeSeq);
    return result;
  }

  /** A thread with its answers in display order; with a viewer, also their votes and flags. */
  async getThread(id: string, origin?: string, viewer?: Visitor): Promise<ThreadWithPosts> {
    const found = await this.#store.getThread({ id });
    if (!found) throw new DomainError('thread_not_found', 'Thread not found');
    this.siteFor(found.thread.site, origin);
    const ids = [found.thread.authorId, ...found.posts.flatMap((p) => (p.endorsedBy ? [p.authorId, p.endorsedBy] : [p.authorId]))];
    const authors = await this.members.summaries(ids);
    const officer = viewer?.role === 'officer';
    const posts = orderAnswers(found.posts.map((p) => postView(p, authors, viewer?.id, officer)), found.thread.acceptedPostId);
    const result: ThreadWithPosts = { thread: threadView(found.thread, authors), posts };
    if (viewer) {
      // One read each for the whole thread, not two per answer (a thread may have hundreds).
      const postIds = found.posts.map((p) => p.id);
      const [votes, flags] = await Promise.all([
        this.#store.votesOn({ voterId: viewer.id, postIds }),
        this.#store.flagsOn({ postIds, memberId: viewer.id }),
      ]);
      const values = new Map(votes.map((v) => [v.postId, v.value]));
      const myVotes: Record<string, 1 | -1> = {};
      for (const id of postIds) if (values.has(id)) myVotes[id] = values.get(id)!;
      const flagged = new Set(flags.map((f) => f.postId));
      result.myVotes = myVotes;
      result.myFlags = postIds.filter((id) => flagged.has(id));
    }
    return result;
  }

  /** Asks a question. A retry with the same clientId returns the original thread and creates nothing. */
  async ask(
    actor: Actor,
    siteId: string,
    input: { title: string; body: string; category: string; clientId: string },
  ): Promise<{ thread: ThreadView; duplicate: boolean }> {
    const site = this.siteFor(siteId, actor.origin);
    this.#sameSite(actor, site.id);
    const earlier = await this.#store.findByClientId({ authorId: actor.visitor.id, clientId: input.clientId });
    if (earlier?.thread) return { thread: threadView(earlier.thread), duplicate: true };
    if (earlier?.post) throw clientIdReused();

    const title = cleanTitle(input.title);
    const body = cleanQuestionBody(input.body);
    if (!site.categories.some((c) => c.id === input.category)) {
      throw new DomainError('invalid_category', `Unknown category "${input.category}"`, { field: 'category' });
    }
    await this.#limitPost(actor);
    const at = this.#iso();
    const result = await this.#store.createThread({
      thread: {
        id: this.#newId(),
        site: site.id,
        title,
        body,
        category: input.category,
        authorId: actor.visitor.id,
        authorName: actor.visitor.name,
        clientId: input.clientId,
        createdAt: at,
        lastActivityAt: at,
        answerCount: 0,
      },
      authorUpdate: (author) => this.#counted(author, 'questions'),
    });
    if (result.author) this.members.noteChange(actor.visitor, result.author);
    // The author as the thread's own commit left them, when the store gave them back: no read after the write.
    const authors = result.author
      ? new Map([[result.author.id, this.members.summary(result.author)]])
      : await this.members.summaries([result.record.authorId]);
    return { thread: threadView(result.record, authors), duplicate: !result.created };
  }

  /** Answers a thread (any member, as often as they like). Idempotent on clientId like `ask`. */
  async answer(
    actor: Actor,
    threadId: string,
    input: { body: string; clientId: string },
  ): Promise<{ post: PostView; duplicate: boolean }> {
    // Both reads at once: one wait instead of two before the write (the thread is not needed for a retry).
    const [earlier, thread] = await Promise.all([
      this.#store.findByClientId({ authorId: actor.visitor.id, clientId: input.clientId }),
      this.#store.getThreadRecord({ id: threadId }),
    ]);
    if (earlier?.post) return { post: await this.#postView(earlier.post), duplicate: true };
    if (earlier?.thread) throw clientIdReused();

    if (!thread) throw new DomainError('thread_not_found', 'Thread not found');
    const site = this.siteFor(thread.site, actor.origin);
    this.#sameSite(actor, site.id, true);
    const body = cleanAnswerBody(input.body);
    await this.#limitPost(actor);
    const result = await this.#store.createPost({
      post: {
        id: this.#newId(),
        threadId,
        site: site.id,
        body,
        authorId: actor.visitor.id,
        authorName: actor.visitor.name,
        clientId: input.clientId,
        createdAt: this.#iso(),
        // Roles come from the store, never from the client: an officer's answer is official.
        ...(actor.visitor.role === 'officer' ? { official: true } : {}),
      },
      authorUpdate: (author) => this.#counted(author, 'answers'),
    });
    // The thread existed a moment ago; stores never delete threads, so this is a broken store.
    if (!result) throw new DomainError('thread_not_found', 'Thread not found');
    if (!result.author) return { post: await this.#postView(result.record), duplicate: !result.created };
    this.members.noteChange(actor.visitor, result.author);
    // The author as the post's own commit left them: no read after the write.
    return { post: postView(result.record, new Map([[result.author.id, this.members.summary(result.author)]])), duplicate: !result.created };
  }

  /**
   * The author edits their answer; votes cast before the edit may be changed again. An officer endorsed and
   * the asker accepted the text as it was, so a changed text loses both marks and the reputation they gave
   * (TRUST.md, "Editing an answer"); an unchanged text changes nothing.
   */
  async editPost(actor: Actor, postId: string, rawBody: string): Promise<PostView> {
    const post = await this.#store.getPost({ id: postId });
    if (!post) throw new DomainError('post_not_found', 'Answer not found');
    this.siteFor(post.site, actor.origin);
    if (post.authorId !== actor.visitor.id) throw new DomainError('forbidden', 'Only the author can edit an answer');
    if (post.hidden?.status === 'removed') throw new DomainError('answer_hidden', 'This answer was removed by an officer');
    const body = cleanAnswerBody(rawBody);
    if (body === post.body) return this.#postView(post, actor.visitor.id);
    await this.#limitPost(actor);
    const at = this.#iso();
    // Acceptance first: should the edit then fail, the old text stands without its mark, never the new one with it.
    const thread = await this.#store.getThreadRecord({ id: post.threadId });
    if (thread?.acceptedPostId === post.id) await this.#store.setAccepted({ threadId: thread.id, postId: null, at });
    const marks = post.endorsedAt ? { endorsedBy: null, endorsedAt: null } : {};
    const updated = await this.#store.updatePost({ id: postId, patch: { body, editedAt: at, ...marks } });
    if (!updated) throw new DomainError('post_not_found', 'Answer not found');
    if (post.endorsedAt || thread?.acceptedPostId === post.id) await this.members.refresh(post.authorId);
    return this.#postView(updated.post, actor.visitor.id);
  }

  /** See SiteEvents.resume (site-events.ts). */
  resume(siteId: string, lastSeq: number | undefined, generation?: string): ReturnType<SiteEvents['resume']> {
    return this.#events.resume(siteId, lastSeq, generation);
  }

  /** See SiteEvents.eventsSince: committed events after `afterSeq` as clients receive them. */
  eventsSince(siteId: string, afterSeq: number): Promise<EventView[] | undefined> {
    return this.#events.eventsSince(siteId, afterSeq);
  }

  /** The site's latest committed seq. */
  currentSeq(siteId: string): Promise<number> {
    return this.#store.currentSeq({ site: siteId });
  }

  /** See SiteEvents.onEvent: committed changes as public events, in per-site order. */
  onEvent(listener: (event: EventView) => void): () => void {
    return this.#events.onEvent(listener);
  }

  async #postView(post: Post, viewerId?: string): Promise<PostView> {
    const authors = await this.members.summaries(post.endorsedBy ? [post.authorId, post.endorsedBy] : [post.authorId]);
    return postView(post, authors, viewerId);
  }

  async #limitPost(actor: Actor): Promise<void> {
    if (actor.visitor.role === 'officer') return;
    const limits = this.#rules.limits.post;
    const fresh = isNewMember(actor.visitor, this.#now(), this.#rules);
    await this.#limiter.take(`post:m:${actor.visitor.id}`, fresh ? limits.newMember : limits.member);
    if (actor.ip) await this.#limiter.take(`post:ip:${actor.ip}`, limits.ip);
  }

  /**
   * A new question or answer: one more in the author's counts, and activity today. The store commits it with
   * the post itself, from the author as stored then: a crash can never keep one without the other.
   */
  #counted(author: Visitor, field: 'questions' | 'answers'): MemberPatch {
    const stats = { questions: 0, answers: 0, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0, ...author.stats };
    stats[field] += 1;
    return { ...touchActivity(author, this.#now()), stats, updatedAt: this.#iso() };
  }

  #sameSite(actor: Actor, siteId: string, hideOther = false): void {
    if (actor.site === undefined || actor.site === siteId) return;
    // A socket of one site must not learn that another site's thread exists.
    if (hideOther) throw new DomainError('thread_not_found', 'Thread not found');
    throw new DomainError('bad_request', 'This connection belongs to another site');
  }

  #iso(): string {
    return new Date(this.#now()).toISOString();
  }
}

const clientIdReused = () =>
  new DomainError('bad_request', 'clientId was already used for a different kind of post', { field: 'clientId' });
