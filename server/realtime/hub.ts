import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { DomainError, toErrorBody } from '../domain/errors.js';
import type { ConsultationService } from '../domain/service.js';
import type { TrustService } from '../domain/trust-service.js';
import type { OfficerChannel } from './officer-channel.js';
import type { Visitor } from '../domain/model.js';
import { visitorView } from '../domain/views.js';
import { crossOrigin } from '../http/origin.js';
import type { Logger } from '../log.js';
import { CLOSE_CODES, ClientMessage, PROTOCOL_VERSIONS, WIRE_LIMITS, type EventView, type MemberSummary, type ServerMessage } from '../protocol.js';
import { digestFrame, Fanout, type FanoutClient, type Frame } from './fanout.js';
import type { SharedPresence } from './shared-presence.js';
import { ThreadPresence } from './thread-presence.js';

export interface HubOptions {
  service: ConsultationService;
  trust: TrustService;
  log: Logger;
  heartbeatMs: number;
  maxBufferedBytes: number;
  /** Protocol 2: how long list changes of a site are gathered into one digest (OSG_FANOUT_WINDOW_MS). */
  fanoutWindowMs?: number;
  /** Origins that are this server's own besides the Host-derived one (behind a proxy). */
  path?: string;
  /** The client's address, derived as for REST requests (http/client-address.ts). */
  clientAddress: (req: IncomingMessage) => string;
  /** Takes over sockets that start with `officer-hello` (officer-channel.ts). */
  officers?: OfficerChannel;
  /** The source of committed events; defaults to service.onEvent (the Redis bus passes its own). */
  events?: (listener: (event: EventView) => void) => () => void;
  /** The source of members' summary changes; defaults to service.members.onChange (the Redis relay passes its own). */
  members?: (listener: (member: MemberSummary) => void) => () => void;
  /** With Redis: viewer counts summed over every instance. */
  sharedPresence?: SharedPresence;
}

interface Client extends FanoutClient {
  ws: WebSocket;
  origin?: string;
  ip?: string;
  alive: boolean;
  visitor?: Visitor;
  /** The token from `hello`: an officer's is checked against its session again before each command. */
  token?: string;
}

/**
 * The WebSocket side: translates frames to service calls; committed events go out through fanout.ts, viewer
 * counts through thread-presence.ts. Every socket is checked at upgrade (origin), at `hello` (site, token) and
 * on every frame (schema).
 */
export class RealtimeHub {
  readonly #wss: WebSocketServer;
  readonly #clients = new Set<Client>();
  readonly #fanout: Fanout;
  readonly #presence: ThreadPresence;
  readonly #options: HubOptions;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  readonly #unsubscribeMembers: () => void;
  readonly #unsubscribeShared: () => void;
  #closing = false;
  /** Frames being handled: a shutdown lets them finish, so that their acks reach the clients. */
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: HubOptions) {
    this.#options = options;
    // maxPayload makes ws close an oversize frame with 1009 before it is buffered whole.
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: WIRE_LIMITS.maxFrameBytes, clientTracking: false });
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs);
    this.#heartbeat.unref();
    const send = (c: FanoutClient, frame: Frame) => this.#sendRaw(c as Client, frame);
    this.#fanout = new Fanout({ windowMs: options.fanoutWindowMs ?? 150, send });
    this.#presence = new ThreadPresence(this.#fanout, send, 250, options.sharedPresence);
    this.#unsubscribeShared = options.sharedPresence?.onViewers((threadIds) => this.#presence.changed(threadIds)) ?? (() => undefined);
    const events = options.events ?? ((listener) => options.service.onEvent(listener));
    this.#unsubscribe = events((event) => this.#fanout.publish(event));
    // Badges and levels show next to names on every site, so every connection hears of them (after a replay:
    // an event replayed after it would carry the older summary).
    const members = options.members ?? ((listener) => options.service.members.onChange(listener));
    this.#unsubscribeMembers = members((member) => {
      this.#fanout.everyone(JSON.stringify({ type: 'member', member } satisfies ServerMessage));
    });
  }

  get connections(): number {
    return this.#clients.size;
  }

  /** Takes over `upgrade` on the HTTP server; refuses wrong paths and origins before accepting. */
  attach(server: Server): void {
    server.on('upgrade', (req, socket, head) => this.#upgrade(req, socket, head));
  }

  /**
   * Closes every socket with 1001 so that widgets reconnect elsewhere; new upgrades get 503. Commands already
   * being handled finish first (for at most `drainMs`) and are answered; commands read meanwhile are refused
   * with `unavailable`, which the widget retries after it reconnects.
   */
  async close(drainMs = 2000): Promise<void> {
    this.#closing = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(this.#inFlight), new Promise((resolve) => (timer = setTimeout(resolve, drainMs)))]);
    clearTimeout(timer);
    clearInterval(this.#heartbeat);
    this.#presence.close();
    this.#fanout.close();
    this.#unsubscribe();
    this.#unsubscribeMembers();
    this.#unsubscribeShared();
    const closed = [...this.#clients].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.ws.once('close', () => resolve());
          // Said in words too: a close code alone reaches a browser only as a number.
          this.#send(c, { type: 'error', error: { code: 'unavailable', message: 'The server is restarting; reconnect shortly' } });
          c.ws.close(CLOSE_CODES.goingAway, 'server restarting');
          setTimeout(() => {
            c.ws.terminate();
            resolve();
          }, 1000).unref();
        }),
    );
    await Promise.all(closed);
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== (this.#options.path ?? '/ws')) return refuse(socket, 404, 'Not Found');
    if (this.#closing) return refuse(socket, 503, 'Service Unavailable');
    const origin = crossOrigin(req);
    if (origin !== undefined && !this.#options.service.allowedOrigins().has(origin)) {
      this.#options.log('warn', 'ws origin refused', { origin });
      return refuse(socket, 403, 'Forbidden');
    }
    const ip = this.#options.clientAddress(req);
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, origin, ip));
  }

  #accept(ws: WebSocket, origin: string | undefined, ip: string | undefined): void {
    const client: Client = { ws, origin, ip, alive: true, sentSeq: 0, eventSeq: 0 };
    this.#clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('error', (err) => this.#options.log('debug', 'ws error', { err }));
    ws.on('close', () => this.#drop(client));
    ws.on('message', (data, isBinary) => {
      client.alive = true;
      const handled = this.#onFrame(client, data, isBinary).catch((err) => {
        this.#options.log('error', 'ws handler failed', { err });
        this.#send(client, { type: 'error', error: toErrorBody(err) });
      });
      this.#inFlight.add(handled);
      void handled.finally(() => this.#inFlight.delete(handled));
    });
  }

  async #onFrame(client: Client, data: RawData, isBinary: boolean): Promise<void> {
    let msg: ClientMessage;
    try {
      if (isBinary) throw new Error('binary');
      const json: unknown = JSON.parse(data.toString());
      if (otherVersion(json)) return this.#refuseVersion(client, json.v);
      const parsed = ClientMessage.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.join('.');
        throw new DomainError('bad_request', field ? `${field}: ${issue.message}` : issue.message, field ? { field } : {});
      }
      msg = parsed.data;
    } catch (err) {
      const body = err instanceof DomainError ? err.toBody() : { code: 'bad_request' as const, message: 'Frame is not a JSON text message' };
      this.#send(client, { type: 'error', error: body });
      return;
    }

    const officer = this.#options.officers?.handle(client.ws, msg, client.site);
    if (officer) return officer;
    switch (msg.type) {
      case 'hello':
        return this.#hello(client, msg);
      case 'ping':
        return this.#send(client, { type: 'pong', id: msg.id });
      case 'watch':
        if (!client.site) return this.#send(client, { type: 'error', error: { code: 'not_subscribed', message: 'Send hello first' } });
        return this.#presence.changed(this.#fanout.watch(client, msg.threadId));
      case 'ask':
      case 'answer': {
        const { clientId } = msg;
        try {
          if (this.#closing) throw shuttingDown();
          if (!client.site) throw new DomainError('not_subscribed', 'Send hello first');
          if (!client.visitor) throw new DomainError('unauthorized', 'A visitor token is required to post');
          const visitor = await this.#member(client);
          const actor = { visitor, origin: client.origin, site: client.site, ip: client.ip };
          if (msg.type === 'ask') {
            const { thread, duplicate } = await this.#options.service.ask(actor, client.site, msg);
            this.#send(client, { type: 'ack', clientId, duplicate, thread });
          } else {
            const { post, duplicate } = await this.#options.service.answer(actor, msg.threadId, msg);
            this.#send(client, { type: 'ack', clientId, duplicate, post });
          }
        } catch (err) {
          if (!(err instanceof DomainError)) this.#options.log('error', 'post failed', { err });
          this.#send(client, { type: 'error', error: toErrorBody(err), clientId });
        }
        return;
      }
      case 'vote':
      case 'accept':
      case 'flag': {
        const ref = msg.type;
        const postId = msg.type === 'accept' ? (msg.postId ?? undefined) : msg.postId;
        const threadId = msg.type === 'accept' ? msg.threadId : undefined;
        try {
          if (this.#closing) throw shuttingDown();
          if (!client.site) throw new DomainError('not_subscribed', 'Send hello first');
          if (!client.visitor) throw new DomainError('unauthorized', 'A visitor token is required');
          // Re-read the member: reputation and level decide vote weight and limits, and change.
          const visitor = await this.#member(client);
          const actor = { visitor, origin: client.origin, site: client.site, ip: client.ip };
          const { trust } = this.#options;
          if (msg.type === 'vote') await trust.vote(actor, msg.postId, msg.value);
          else if (msg.type === 'accept') await trust.accept(actor, msg.threadId, msg.postId);
          else await trust.flag(actor, msg.postId, msg.reason);
          this.#send(client, { type: 'done', ref, ...(postId ? { postId } : {}), ...(threadId ? { threadId } : {}) });
        } catch (err) {
          if (!(err instanceof DomainError)) this.#options.log('error', `${ref} failed`, { err });
          this.#send(client, { type: 'error', error: toErrorBody(err), ref, ...(postId ? { postId } : {}) });
        }
      }
    }
  }

  /** The member as stored now; an officer's session must still be live (signed out, replaced, idle…). */
  #member(client: Client): Promise<Visitor> {
    const { service } = this.#options;
    return client.visitor!.role === 'officer' ? service.authenticate(client.token) : service.authenticateId(client.visitor!.id);
  }

  async #hello(client: Client, msg: Extract<ClientMessage, { type: 'hello' }>): Promise<void> {
    const { service } = this.#options;
    if (client.site) return this.#send(client, { type: 'error', error: { code: 'bad_request', message: 'hello was already sent' } });
    try {
      service.siteFor(msg.site, client.origin);
    } catch (err) {
      this.#send(client, { type: 'error', error: toErrorBody(err) });
      client.ws.close(CLOSE_CODES.forbidden, 'site refused');
      return;
    }
    if (msg.token !== undefined) {
      try {
        client.visitor = await service.authenticate(msg.token);
        client.token = msg.token;
      } catch (err) {
        // Reading stays possible; the widget fetches a new identity and reconnects to post.
        this.#send(client, { type: 'error', error: toErrorBody(err) });
      }
    }
    if (client.ws.readyState !== WebSocket.OPEN) return;

    // Joined before the store is read: what commits meanwhile is held, so the replay and live frames meet.
    this.#fanout.join(client, msg.site, msg.v);

    let resumed: Awaited<ReturnType<typeof service.resume>>;
    try {
      resumed = await service.resume(msg.site, msg.lastSeq, msg.generation);
    } catch (err) {
      // Without this the client would stay registered with `pending` set and hold live frames forever.
      // Closing lets the widget reconnect and resume once the store answers again.
      this.#options.log('error', 'resume failed', { err, site: msg.site });
      this.#fanout.leave(client);
      this.#send(client, { type: 'error', error: toErrorBody(err) });
      client.ws.close(CLOSE_CODES.tryAgainLater, 'resume failed');
      return;
    }
    const { seq, generation, resync, events, members } = resumed;
    this.#send(client, { type: 'welcome', site: msg.site, seq, generation, resync, visitor: client.visitor && visitorView(client.visitor) });
    let last = resync ? seq : (msg.lastSeq ?? seq);
    if (msg.v === 1) for (const event of events) this.#send(client, { type: 'event', event });
    // Protocol 2: what the list needs of the missed events, in one digest; an open thread is fetched again.
    else if (events.length) this.#sendRaw(client, digestFrame(msg.site, events));
    if (events.length) last = events[events.length - 1]!.seq;
    for (const member of members) this.#send(client, { type: 'member', member });
    // Live frames that arrived during the replay, minus events the replay already carried.
    this.#fanout.replayed(client, last);
  }

  /**
   * A client of another protocol version is told so, in the one frame every version keeps (`error`), and closed:
   * its reconnects would meet the same answer. The widget stops and asks the visitor to reload the page.
   */
  #refuseVersion(client: Client, v: unknown): void {
    const message = `Protocol version ${JSON.stringify(v)} is not supported; this server speaks ${PROTOCOL_VERSIONS.join(' and ')}`;
    this.#send(client, { type: 'error', error: { code: 'unsupported_version', message } });
    client.ws.close(CLOSE_CODES.policyViolation, 'unsupported protocol version');
  }

  #send(client: Client, msg: ServerMessage): void {
    this.#sendRaw(client, JSON.stringify(msg));
  }

  #sendRaw(client: Client, frame: Frame): void {
    const { ws } = client;
    if (ws.readyState !== WebSocket.OPEN) return;
    // A reader that cannot keep up is dropped; it will reconnect and resume from its last seq.
    if (ws.bufferedAmount > this.#options.maxBufferedBytes) {
      this.#options.log('warn', 'ws slow consumer dropped', { buffered: ws.bufferedAmount });
      ws.close(CLOSE_CODES.slowConsumer, 'too slow');
      setTimeout(() => ws.terminate(), 1000).unref();
      this.#drop(client);
      return;
    }
    // A Buffer is JSON text encoded once for many sockets: still a text frame.
    ws.send(frame, { binary: false });
  }

  #beat(): void {
    for (const c of this.#clients) {
      if (!c.alive) {
        c.ws.terminate();
        this.#drop(c);
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }

  #drop(client: Client): void {
    if (!this.#clients.delete(client)) return;
    if (client.watching) this.#presence.changed([client.watching]);
    this.#fanout.leave(client);
  }
}

/**
 * A `hello` whose `v` is present and not ours. Read before the strict schema, which would call a newer client's
 * hello (new fields, new types) merely malformed.
 */
function otherVersion(json: unknown): json is { v: unknown } {
  if (typeof json !== 'object' || json === null) return false;
  const frame = json as Record<string, unknown>;
  return (frame.type === 'hello' || frame.type === 'officer-hello') && 'v' in frame && !(PROTOCOL_VERSIONS as readonly unknown[]).includes(frame.v);
}

const shuttingDown = () => new DomainError('unavailable', 'The server is shutting down; retry shortly', { retryAfterMs: 1000 });

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
