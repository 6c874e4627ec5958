import { WebSocket } from 'ws';
import { DomainError, toErrorBody } from '../domain/errors.js';
import type { FollowUpChange, OfficerContext } from '../domain/follow-up-service.js';
import type { CheckOptions } from '../domain/service.js';
import type { BucketRule, RateLimiter } from '../domain/rate-limit.js';
import type { Logger } from '../log.js';
import { CLOSE_CODES, type ClientMessage, type ErrorCode, type OfficerPresence, type ServerMessage } from '../protocol.js';
import { OfficerPresenceRegistry, type PresenceTimers } from './officer-presence.js';
import { mergeOfficers, type SharedPresence } from './shared-presence.js';

/** The parts of the follow-up service (domain/follow-up-service.ts) the officers' channel uses. */
export interface OfficerChannelDeps {
  /**
   * The officer behind a token, checked against their session and account. `activity: false` checks without
   * counting as the officer's activity: an open page must not keep an idle session alive.
   * Throws DomainError unauthorized, session_ended, token_expired or forbidden.
   */
  officerContext(token: string, check?: CheckOptions): Promise<OfficerContext>;
  subscribe(listener: (change: FollowUpChange) => void): () => void;
  /** Resolves when the officer may open the thread; throws thread_not_found otherwise (also for another site's). */
  threadAccess(context: OfficerContext, threadId: string): Promise<void>;
}

export interface OfficerChannelOptions {
  deps: OfficerChannelDeps;
  log: Logger;
  limiter: RateLimiter;
  maxBufferedBytes: number;
  /** How often every officer socket's session is checked again (idle, absolute end, sign-out elsewhere). */
  sessionCheckMs?: number;
  typingLapseMs?: number;
  timers?: PresenceTimers;
  /** With Redis: officers on other instances count too (shared-presence.ts). */
  shared?: SharedPresence;
}

interface OfficerSocket {
  ws: WebSocket;
  token: string;
  context: OfficerContext;
  /** Frames of one socket are handled in order: a slow `view` must not land after the next one. */
  queue: Promise<void>;
}

/** `view` and `typing` frames per officer: a page sends `typing` every few seconds while a key is pressed. */
const FRAME_RULE: BucketRule = { capacity: 30, perMinute: 120 };
/** Codes that mean the token no longer stands for an officer: the socket is told and closed. */
const ENDING: ReadonlySet<ErrorCode> = new Set(['unauthorized', 'session_ended', 'token_expired', 'forbidden']);

/**
 * The officers' side of the WebSocket: a socket whose first frame is `officer-hello` becomes an officer
 * socket. It receives the queue changes of its officer's sites and that officer's notifications, reports
 * which thread it has open and when its officer types (officer-presence.ts), and is closed with 4003 as soon
 * as its session ends or the account is removed. The hub keeps owning the socket (heartbeat, ping, slow
 * readers, shutdown); it hands this channel the officer frames (`handle`).
 */
export class OfficerChannel {
  readonly #options: OfficerChannelOptions;
  readonly #sockets = new Map<WebSocket, OfficerSocket>();
  /** Sockets whose `officer-hello` is being checked: a second one is refused meanwhile. */
  readonly #greeting = new Set<WebSocket>();
  readonly #presence: OfficerPresenceRegistry<OfficerSocket>;
  readonly #unsubscribe: () => void;
  readonly #sessionTimer: NodeJS.Timeout;
  #checking: Promise<void> | undefined;

  constructor(options: OfficerChannelOptions) {
    this.#options = options;
    this.#presence = new OfficerPresenceRegistry({
      onChange: (threadId, by) => this.#presenceChanged(threadId, by),
      typingLapseMs: options.typingLapseMs,
      timers: options.timers,
    });
    const unsubscribeQueue = options.deps.subscribe((change) => this.#forward(change));
    const unsubscribeShared = options.shared?.onOfficers((threadId) => this.#presenceChanged(threadId, undefined));
    this.#unsubscribe = () => {
      unsubscribeQueue();
      unsubscribeShared?.();
    };
    this.#sessionTimer = setInterval(() => {
      this.recheck().catch((err) => options.log('error', 'officer session checks failed', { err }));
    }, options.sessionCheckMs ?? 30_000);
    this.#sessionTimer.unref();
  }

  get connections(): number {
    return this.#sockets.size;
  }

  /** Officers with the thread open and whether they type, never `exceptOfficerId` (for the REST thread view). */
  readonly presence = (threadId: string, exceptOfficerId?: string): OfficerPresence[] => {
    const { shared } = this.#options;
    if (!shared) return this.#presence.presence(threadId, exceptOfficerId);
    return mergeOfficers(this.#presence.presence(threadId), shared.remoteOfficers(threadId)).filter((p) => p.officer.id !== exceptOfficerId);
  };

  /**
   * The hub's hook: handles the frames that are this channel's business and returns their handling, or
   * undefined for the hub's own. `site`: the socket already joined a site's stream with `hello`.
   */
  handle(ws: WebSocket, msg: ClientMessage, site: string | undefined): Promise<void> | undefined {
    const socket = this.#sockets.get(ws);
    switch (msg.type) {
      case 'officer-hello':
        if (site !== undefined || socket || this.#greeting.has(ws)) return this.#refuse(ws, 'bad_request', 'officer-hello must be the first frame, sent once');
        return this.#hello(ws, msg.token);
      case 'view':
      case 'typing':
        if (!socket) return this.#refuse(ws, 'bad_request', `${msg.type} is for officer sockets; send officer-hello first`);
        socket.queue = socket.queue
          .then(() => this.#presenceFrame(socket, msg))
          .catch((err) => {
            // Kept from breaking the chain, so that the socket's next frames are still handled.
            this.#options.log('error', 'officer frame failed', { err });
            this.#send(socket, { type: 'error', error: toErrorBody(err) });
          });
        return socket.queue;
      case 'hello':
        if (socket || this.#greeting.has(ws)) return this.#refuse(ws, 'bad_request', 'This socket is an officer socket; open another one for a site');
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * Checks every officer socket's session and account again, without counting as activity: removed officers,
   * ended sessions and idle ones are closed; role and site changes take effect. Called periodically and
   * after the officer accounts are reloaded.
   */
  recheck(): Promise<void> {
    // Passes run one after another: a reload that lands during a pass is followed by a whole pass of its own.
    const run = (this.#checking ?? Promise.resolve()).catch(() => undefined).then(() => this.#recheckAll());
    const tracked = run.finally(() => {
      if (this.#checking === tracked) this.#checking = undefined;
    });
    this.#checking = tracked;
    return tracked;
  }

  /** Stops the timers and the subscription; the hub closes the sockets themselves. */
  close(): void {
    clearInterval(this.#sessionTimer);
    this.#unsubscribe();
    this.#presence.close();
    this.#sockets.clear();
  }

  async #hello(ws: WebSocket, token: string): Promise<void> {
    this.#greeting.add(ws);
    let context: OfficerContext;
    try {
      context = await this.#options.deps.officerContext(token);
    } catch (err) {
      this.#greeting.delete(ws);
      return this.#end(ws, err);
    }
    this.#greeting.delete(ws);
    if (ws.readyState !== WebSocket.OPEN) return;
    const socket: OfficerSocket = { ws, token, context, queue: Promise.resolve() };
    this.#sockets.set(ws, socket);
    ws.once('close', () => this.#drop(socket));
    this.#send(socket, welcome(context));
  }

  async #presenceFrame(socket: OfficerSocket, msg: Extract<ClientMessage, { type: 'view' | 'typing' }>): Promise<void> {
    if (!this.#sockets.has(socket.ws)) return;
    try {
      this.#options.limiter.take(`officer-frame:${socket.context.member.id}`, FRAME_RULE);
    } catch (err) {
      return this.#send(socket, { type: 'error', error: toErrorBody(err) });
    }
    // Like a REST request: the session must still be live, and the frame counts as the officer's activity.
    if (!(await this.#refresh(socket, true))) return;
    if (msg.type === 'typing') {
      if (!this.#presence.typing(socket, msg.threadId)) this.#sendError(socket, 'bad_request', 'typing: send view for this thread first');
      return;
    }
    if (msg.threadId === null) return this.#presence.view(socket, socket.context.summary, null);
    try {
      // Another site's thread is refused as if it did not exist, as the REST officer routes do.
      await this.#options.deps.threadAccess(socket.context, msg.threadId);
    } catch (err) {
      if (!(err instanceof DomainError)) this.#options.log('error', 'officer view failed', { err });
      return this.#send(socket, { type: 'error', error: toErrorBody(err) });
    }
    if (!this.#sockets.has(socket.ws)) return;
    const before = this.#presence.viewing(socket);
    this.#presence.view(socket, socket.context.summary, msg.threadId);
    // The newcomer learns who is already there (the REST view it loaded may be older than this frame).
    if (before !== msg.threadId) this.#send(socket, { type: 'officer-presence', threadId: msg.threadId, officers: this.presence(msg.threadId, socket.context.member.id) });
  }

  async #recheckAll(): Promise<void> {
    await Promise.all([...this.#sockets.values()].map((socket) => this.#refresh(socket, false)));
  }

  /**
   * Reads the officer's context again. False, with the socket told and closed, when the token no longer
   * stands for an officer; a store that fails now leaves the socket as it was (the next check decides).
   */
  async #refresh(socket: OfficerSocket, activity: boolean): Promise<boolean> {
    let context: OfficerContext;
    try {
      context = await this.#options.deps.officerContext(socket.token, { activity });
    } catch (err) {
      if (err instanceof DomainError && ENDING.has(err.code)) {
        this.#drop(socket);
        this.#end(socket.ws, err);
        return false;
      }
      this.#options.log('warn', 'officer session check failed', { err });
      // A frame is refused like a REST request would be; a background check leaves the socket be.
      if (!activity) return true;
      this.#send(socket, { type: 'error', error: toErrorBody(err) });
      return false;
    }
    if (!this.#sockets.has(socket.ws)) return false;
    const before = socket.context;
    socket.context = context;
    if (before.role !== context.role || before.sites.join() !== context.sites.join() || before.summary.name !== context.summary.name) {
      // The page reloads its site list and queue from a fresh welcome; a thread of a site now closed to it is left.
      this.#send(socket, welcome(context));
      const threadId = this.#presence.viewing(socket);
      if (threadId) {
        const allowed = await this.#options.deps.threadAccess(context, threadId).then(
          () => true,
          () => false,
        );
        if (this.#sockets.has(socket.ws)) this.#presence.view(socket, context.summary, allowed ? threadId : null);
      }
    }
    return true;
  }

  #forward(change: FollowUpChange): void {
    if (change.kind === 'queue') {
      // Serialised once for every recipient, as the hub does for events.
      const frame = JSON.stringify({ type: 'queue', item: change.item } satisfies ServerMessage);
      for (const socket of this.#sockets.values()) if (socket.context.sites.includes(change.site)) this.#sendRaw(socket, frame);
      return;
    }
    const { officerId, ...notification } = change.notification;
    const frame = JSON.stringify({ type: 'notification', notification } satisfies ServerMessage);
    for (const socket of this.#sockets.values()) if (socket.context.member.id === officerId) this.#sendRaw(socket, frame);
  }

  /** Every other officer on the thread hears of the change; the one who caused it already knows. */
  #presenceChanged(threadId: string, by: OfficerSocket | undefined): void {
    // Said to the others only when this instance's own officers changed, so their changes do not echo back.
    this.#options.shared?.setOfficers(threadId, this.#presence.presence(threadId));
    for (const { conn, officerId } of this.#presence.viewers(threadId)) {
      if (by && officerId === by.context.member.id) continue;
      this.#send(conn, { type: 'officer-presence', threadId, officers: this.presence(threadId, officerId) });
    }
  }

  #drop(socket: OfficerSocket): void {
    if (this.#sockets.get(socket.ws) !== socket) return;
    this.#sockets.delete(socket.ws);
    this.#presence.leave(socket);
  }

  /**
   * Tells a socket why its token is not (or no longer) an officer's and closes it like a refused `hello` (4003).
   * When the token could not be checked (the store failed), 1013: the page reconnects and tries again.
   */
  #end(ws: WebSocket, err: unknown): void {
    const refused = err instanceof DomainError && ENDING.has(err.code);
    if (!refused) this.#options.log('error', 'officer hello failed', { err });
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: 'error', error: toErrorBody(err) } satisfies ServerMessage));
    if (refused) ws.close(CLOSE_CODES.forbidden, 'officer session refused');
    else ws.close(CLOSE_CODES.tryAgainLater, 'officer session not checked');
  }

  async #refuse(ws: WebSocket, code: ErrorCode, message: string): Promise<void> {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'error', error: { code, message } } satisfies ServerMessage));
  }

  #sendError(socket: OfficerSocket, code: ErrorCode, message: string): void {
    this.#send(socket, { type: 'error', error: { code, message } });
  }

  #send(socket: OfficerSocket, msg: ServerMessage): void {
    this.#sendRaw(socket, JSON.stringify(msg));
  }

  #sendRaw(socket: OfficerSocket, frame: string): void {
    const { ws } = socket;
    if (ws.readyState !== WebSocket.OPEN) return;
    // As in the hub: a page that cannot keep up is closed; it reconnects and reloads its queue.
    if (ws.bufferedAmount > this.#options.maxBufferedBytes) {
      this.#options.log('warn', 'officer ws slow consumer dropped', { buffered: ws.bufferedAmount });
      this.#drop(socket);
      ws.close(CLOSE_CODES.slowConsumer, 'too slow');
      setTimeout(() => ws.terminate(), 1000).unref();
      return;
    }
    ws.send(frame);
  }
}

function welcome(context: OfficerContext): ServerMessage {
  return { type: 'officer-welcome', officer: context.summary, role: context.role, sites: context.sites };
}
