import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type {
  ClientMessage,
  DigestView,
  ErrorBody,
  EventView,
  MemberSummary,
  PostView,
  ServerMessage,
  SiteView,
  ThreadView,
  ThreadWithPosts,
  VisitorView,
} from '../../server/protocol.js';
import type { ConnectionState, ShownError } from '../i18n.js';
import { ApiClient } from '../lib/api.js';
import { newClientId } from '../lib/client-id.js';
import { Outbox, type OutboxItem } from '../lib/outbox.js';
import { sortPosts, withPost, withThread } from '../lib/thread-data.js';
import { ConnectionController, type ConnectionOptions } from './connection.controller.js';
import { ThreadListLoader, toShown, type ListFilter, type ListState } from './thread-list.loader.js';
import type { TrustActions, TrustHost } from './trust-actions.js';

export type { ListFilter, ListState };

export interface OpenThread {
  id: string;
  data?: ThreadWithPosts;
  loading: boolean;
  error?: ShownError;
  viewers: number;
}

/** Something other people did that the host announces in its live region. */
export type Announcement = { kind: 'thread'; title: string } | { kind: 'answer'; name: string };

export interface ForumHooks {
  announce(announcement: Announcement): void;
  /** The server refused a queued post for good: give its text back to the visitor with the reason. */
  restore(item: OutboxItem, error: ShownError): void;
  /** A post of the visitor's outbox is stored (once per post): the question's or answer's ids. */
  stored(item: OutboxItem, ids: { threadId: string; postId?: string }): void;
  /** The connection's state changed. */
  connectionChanged(state: ConnectionState): void;
  /** Test seam for heartbeat and backoff timings. */
  connection?: Partial<ConnectionOptions>;
}

// Codes where a later retry of the same post can succeed, so the post stays queued.
const TRANSIENT = new Set(['rate_limited', 'unavailable', 'internal', 'not_subscribed', 'unauthorized', 'token_expired']);
// Codes that no retry fixes: the widget stops and says why.
const FATAL = new Set(['unknown_site', 'origin_not_allowed', 'unsupported_version']);


/**
 * The live state of one site for one visitor: settings, the thread list, the open thread, presence and the
 * outbox. It loads over REST, follows the site's event stream over the ConnectionController it owns, and sends
 * queued posts in order whenever the link is up. Components only read its fields and call its methods.
 */
export class ForumController implements ReactiveController, TrustHost {
  readonly connection: ConnectionController;
  /** Votes, acceptance, flags and edits in the open thread, from the visitor's first such action (useTrust). */
  trust?: TrustActions;
  api?: ApiClient;
  site?: SiteView;
  me?: VisitorView;
  /** The thread list: its `state`, and search, filter, reload and load more, which the host calls directly. */
  readonly lists = new ThreadListLoader(
    () => ({ api: this.api, site: this.#siteId }),
    (pageSeq, generation) => {
      // While online the event stream is the source of seq; a page read then could skip events still in flight.
      if (pageSeq !== undefined && this.connection.state !== 'online') {
        // A seq of another store generation says nothing about this one's: take the page's.
        this.#lastSeq = generation === this.#generation ? Math.max(this.#lastSeq, pageSeq) : pageSeq;
        this.#generation = generation;
      }
      this.#host.requestUpdate();
    },
  );
  thread?: OpenThread;
  /** A problem no retry fixes (unknown site, refused origin, bad server URL). */
  fatal?: ShownError;
  /**
   * Every member seen, as the server last described them. A `member` frame replaces the entry (and the map,
   * so views re-render): each name, level and badge on screen changes at once.
   */
  members: ReadonlyMap<string, MemberSummary> = new Map();

  #server?: string;
  #siteId = '';
  #outbox?: Outbox;
  #connected = false;
  #lastSeq = 0;
  /** The store generation `#lastSeq` belongs to; the server says resync when it has another. */
  #generation?: string;
  #token?: string;
  /** clientId of the post sent and not yet answered; posts go one at a time to keep their order. */
  #inFlight?: string;
  #paused = false;

  readonly #host: ReactiveControllerHost;
  readonly #hooks: ForumHooks;

  constructor(host: ReactiveControllerHost, hooks: ForumHooks) {
    this.#host = host;
    this.#hooks = hooks;
    host.addController(this);
    this.connection = new ConnectionController(host, {
      url: () => this.api!.socketUrl,
      hello: () => this.#hello(),
      onMessage: (message) => this.#receive(message),
      onClose: () => {
        this.#inFlight = undefined;
        this.trust?.dropped();
      },
      onState: (state) => hooks.connectionChanged(state),
      ...hooks.connection,
    });
  }

  /** Points the controller at a server and site; starts over when either changes. */
  configure(server: string, site: string): void {
    if (this.#server === server && this.#siteId === site) return;
    this.#server = server;
    this.connection.stop();
    Object.assign(this, { site: undefined, thread: undefined, fatal: undefined, members: new Map() });
    this.#lastSeq = 0;
    this.#inFlight = undefined;
    this.#generation = undefined;
    this.trust?.reset();
    this.lists.reset();
    this.#siteId = site;
    try {
      this.api = new ApiClient(server);
    } catch {
      this.api = undefined;
      this.fatal = { code: 'network' };
      this.#host.requestUpdate();
      return;
    }
    this.#outbox = new Outbox(Outbox.keyFor(this.api.origin, site));
    if (this.#connected) void this.#load();
  }

  hostConnected(): void {
    this.#connected = true;
    if (this.api && !this.fatal) void this.#load();
  }

  hostDisconnected(): void {
    this.#connected = false;
  }

  /** Posts not yet acknowledged, oldest first. */
  get pending(): readonly OutboxItem[] {
    return this.#outbox?.items ?? [];
  }

  openThread(id: string): void {
    this.thread = { id, loading: true, viewers: 0 };
    this.trust?.reset();
    this.connection.send({ type: 'watch', threadId: id });
    void this.fetchThread();
  }

  closeThread(): void {
    if (!this.thread) return;
    this.thread = undefined;
    this.connection.send({ type: 'watch', threadId: null });
    this.#host.requestUpdate();
  }

  async fetchThread(): Promise<void> {
    const open = this.thread;
    if (!open || !this.api) return;
    this.thread = { ...open, loading: true, error: undefined };
    this.#host.requestUpdate();
    try {
      const data = await this.api.thread(open.id);
      if (this.thread?.id === open.id) {
        // Answers that arrived live while the request was on its way may be newer than the response: keep them.
        const known = new Set(data.posts.map((post) => post.id));
        const arrived = (this.thread.data?.posts ?? []).filter((post) => !known.has(post.id));
        const posts = sortPosts([...data.posts, ...arrived], data.thread.acceptedPostId);
        this.#remember(data.thread.author, ...posts.map((post) => post.author));
        this.thread = { ...this.thread, data: { ...data, posts }, loading: false };
      }
    } catch (error) {
      if (this.thread?.id === open.id) this.thread = { ...this.thread, loading: false, error: toShown(error) };
    }
    this.#host.requestUpdate();
  }

  ask(question: { title: string; body: string; category: string }): void {
    this.#enqueue({ kind: 'ask', ...question });
  }

  answer(threadId: string, body: string): void {
    this.#enqueue({ kind: 'answer', threadId, body });
  }

  /** A member as the visitor's own change left them (widget/profile/update-me.ts): every name follows. */
  learn(member: MemberSummary): void {
    this.#remember(member);
    this.#host.requestUpdate();
  }

  /** Sets up `trust` with the class from the on-demand module (which the main script does not carry). */
  useTrust(Trust: typeof TrustActions): TrustActions {
    return (this.trust ??= new Trust(this, () => this.#host.requestUpdate()));
  }

  /** Sends a frame if the socket is up (TrustHost). */
  send(frame: ClientMessage): boolean {
    return this.connection.send(frame);
  }

  data(): ThreadWithPosts | undefined {
    return this.thread?.data;
  }

  setData(data: ThreadWithPosts): void {
    if (this.thread?.data?.thread.id === data.thread.id) this.thread = { ...this.thread, data };
    this.#host.requestUpdate();
  }

  /** A post as it now is: score, edit, endorsement or hidden state. */
  updatePost(post: PostView): void {
    this.#remember(post.author);
    const data = this.thread?.data;
    if (data?.thread.id === post.threadId && data.posts.some((known) => known.id === post.id)) {
      this.setData(withPost(data, post, this.me?.id));
    }
  }

  /** A thread as it now is (the accepted answer changed). */
  updateThread(thread: ThreadView): void {
    this.#remember(thread.author);
    this.lists.patch(thread);
    const data = this.thread?.data;
    if (data?.thread.id === thread.id) this.setData(withThread(data, thread));
    this.#host.requestUpdate();
  }

  /** Takes newer member summaries into the cache; the visitor's own name follows theirs. */
  #remember(...summaries: Array<MemberSummary | undefined>): void {
    const members = new Map(this.members);
    for (const member of summaries) {
      if (!member) continue;
      members.set(member.id, { id: member.id, name: member.name, reputation: member.reputation, level: member.level, officer: member.officer, verified: member.verified });
      if (member.id === this.me?.id) this.me = { ...this.me, name: member.name };
    }
    this.members = members;
  }

  async #load(): Promise<void> {
    const api = this.api!;
    api.site(this.#siteId).then(
      (site) => {
        if (this.api === api) this.site = site;
      },
      (error) => {
        const shown = toShown(error);
        if (this.api === api && FATAL.has(shown.code)) this.#halt(shown);
      },
    ).finally(() => this.#host.requestUpdate());
    // The socket waits for the first page so that `hello` can resume from the page's seq and miss nothing.
    await this.lists.reload();
    const refused = this.lists.state.error;
    // A refusal no retry fixes (an origin the server does not list) stops here: no identity, no socket.
    if (this.api === api && refused && FATAL.has(refused.code)) this.#halt(refused);
    if (this.api === api && this.#connected && !this.fatal) this.connection.start();
  }

  async #hello(): Promise<ClientMessage> {
    const identity = await this.api!.identity();
    this.#token = identity.token;
    this.me ??= identity.visitor;
    // v: protocol.ts PROTOCOL_VERSION; a value import would pull the server's schemas into the bundle.
    return { type: 'hello', v: 2, site: this.#siteId, token: identity.token, lastSeq: this.#lastSeq, generation: this.#generation };
  }

  #receive(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        if (message.visitor) this.me = message.visitor;
        this.#generation = message.generation;
        // What changed while away reaches the list as a digest; the open thread's posts are read again.
        if (message.seq > this.#lastSeq) void this.fetchThread();
        if (message.resync) this.#lastSeq = message.seq;
        if (message.resync || this.lists.state.error) void this.lists.reload();
        if (this.thread) this.connection.send({ type: 'watch', threadId: this.thread.id });
        this.#inFlight = undefined;
        this.#pump();
        break;
      case 'event':
        this.#apply(message.event);
        break;
      case 'digest':
        this.#digest(message.digest);
        break;
      case 'ack':
        this.#settle(message.clientId, message.thread ?? message.post);
        if (message.thread) this.lists.add(message.thread);
        if (message.post) this.#addPost(message.post);
        break;
      case 'presence':
        if (this.thread?.id === message.threadId) this.thread = { ...this.thread, viewers: message.viewers };
        break;
      case 'member':
        this.#remember(message.member);
        break;
      case 'done':
        this.trust?.done(message.ref, message.postId);
        break;
      case 'error':
        if (message.ref) this.trust?.refused(message.ref, message.error, message.postId);
        else this.#refused(message.error, message.clientId);
        break;
    }
    this.#host.requestUpdate();
  }

  /**
   * The list's share of a range of events (protocol 2): `lastSeq` moves only here, since the open thread's
   * events come earlier and alone. An answer count above the open thread's means bodies were missed.
   */
  #digest({ fromSeq, toSeq, threads, activity }: DigestView): void {
    if (toSeq <= this.#lastSeq) return;
    this.#lastSeq = toSeq;
    // A summary is a thread's changed fields only: it never counts as new (no seq) and merges like the rest.
    for (const thread of [...threads, ...activity] as ThreadView[]) {
      const data = this.thread?.data;
      if (data?.thread.id === thread.id && thread.answerCount > data.thread.answerCount) void this.fetchThread();
      // The visitor's own question is settled by its `ack`, and not announced.
      if (thread.seq >= fromSeq && this.lists.add(thread) && !this.#isOwn(thread)) this.#hooks.announce({ kind: 'thread', title: thread.title });
      this.updateThread(thread);
    }
  }

  /**
   * An event of the watched thread (protocol 2 sends no others, and none of a thread's creation). The list hears of it in the next digest, and
   * the visitor's own post is settled by its `ack`.
   */
  #apply({ change }: EventView): void {
    // No seq check: the server sends each event once, and each change below is harmless twice.
    if (change.kind === 'post.updated') return this.updatePost(change.post);
    if (change.kind !== 'post.created') return this.updateThread(change.thread);
    const data = this.thread?.data;
    if (data?.thread.id === change.thread.id) {
      // New objects, not edits: the views see a change only when the reference changes.
      this.thread = { ...this.thread!, data: { ...data, thread: { ...data.thread, ...change.thread } } };
      if (this.#addPost(change.post) && !this.#isOwn(change.post)) this.#hooks.announce({ kind: 'answer', name: change.post.authorName });
    }
  }

  #isOwn(post: ThreadView | PostView): boolean {
    return !!this.me && post.authorId === this.me.id;
  }

  /** Adds an answer to the open thread; true if it was new there. */
  #addPost(post: PostView): boolean {
    const data = this.thread?.data;
    if (!data || data.thread.id !== post.threadId || data.posts.some((known) => known.id === post.id)) return false;
    this.#remember(post.author);
    this.thread = { ...this.thread!, data: withPost(data, post) };
    return true;
  }

  #enqueue(item: { kind: 'ask'; title: string; body: string; category: string } | { kind: 'answer'; threadId: string; body: string }): void {
    this.#outbox?.add({ ...item, clientId: newClientId(), createdAt: new Date().toISOString() });
    this.#pump();
    this.#host.requestUpdate();
  }

  /** Sends the oldest queued post if the link is up and nothing else awaits its ack. */
  #pump(): void {
    const item = this.#outbox?.items[0];
    if (!item || this.#inFlight || this.#paused) return;
    // An outbox item is its frame plus `kind` and `createdAt` (outbox.ts), which the server's strict schema refuses.
    const { kind, createdAt, ...fields } = item;
    if (this.connection.send({ type: kind, ...fields } as ClientMessage)) this.#inFlight = item.clientId;
  }

  /** The post with this clientId is stored: forget it and send the next. */
  #settle(clientId: string, stored?: ThreadView | PostView): void {
    const item = this.#outbox?.take(clientId);
    if (item && stored) {
      const post = 'threadId' in stored ? stored : undefined;
      this.#hooks.stored(item, { threadId: post?.threadId ?? stored.id, postId: post?.id });
    }
    if (this.#inFlight === clientId) this.#inFlight = undefined;
    this.#pump();
  }

  #refused(error: ErrorBody, clientId?: string): void {
    const item = clientId ? this.pending.find((candidate) => candidate.clientId === clientId) : undefined;
    if (clientId && this.#inFlight === clientId) this.#inFlight = undefined;
    if (error.code === 'unauthorized' || error.code === 'token_expired' || error.code === 'visitor_not_found') {
      this.api?.forgetIdentity(this.#token);
      this.connection.reconnectNow();
    } else if (FATAL.has(error.code)) {
      this.#halt(error);
    } else if (item && TRANSIENT.has(error.code)) {
      this.#paused = true;
      setTimeout(() => {
        this.#paused = false;
        this.#pump();
      }, error.retryAfterMs ?? 3000);
    } else if (item) {
      this.#outbox!.take(item.clientId);
      this.#hooks.restore(item, error);
      this.#pump();
    }
  }

  #halt(error: ShownError): void {
    this.fatal = error;
    this.connection.stop('stopped');
    this.#host.requestUpdate();
  }
}

