import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClientMessage, ServerMessage } from '../../../server/protocol.js';
import { backoffDelay } from '../../lib/backoff.js';

export type LiveState = 'connecting' | 'online' | 'offline' | 'stopped';
type Frame<K extends ServerMessage['type']> = Extract<ServerMessage, { type: K }>;
type Listener = (message: ServerMessage) => void;

export interface OfficerLiveOptions {
  /** The `ws(s)://…/ws` address. */
  url: () => string;
  /** The officer token for `officer-hello`; undefined stops the connection (signed out). */
  token: () => string | undefined;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  /** The server refused the session (4003): the page asks the REST API, which signs it out with the reason. */
  onRefused?: () => void;
  /** How long one `typing` frame stands for: the server lets it lapse after a few seconds. */
  typingEveryMs?: number;
}

// CLOSE_CODES.forbidden in protocol.ts (types only are imported): the server refused the officer's session.
const FORBIDDEN = 4003;

/**
 * The officers' live connection: `officer-hello` with the token, then queue changes of the officer's sites,
 * the presence of other officers in the open thread, and (supervisors) notifications. Reconnects with jittered
 * backoff; after each `officer-welcome` listeners reload what they show, because queue frames are not
 * sequenced. Keeps the thread the page has open and says so again after a reconnect.
 */
export class OfficerLiveController implements ReactiveController {
  state: LiveState = 'connecting';
  welcome?: Frame<'officer-welcome'>;

  #socket?: WebSocket;
  #running = false;
  #attempt = 0;
  #retryTimer?: ReturnType<typeof setTimeout>;
  #pingTimer?: ReturnType<typeof setInterval>;
  #pongTimer?: ReturnType<typeof setTimeout>;
  #viewing: string | null = null;
  #lastTyping = 0;
  readonly #listeners = new Set<Listener>();
  readonly #host: ReactiveControllerHost;
  readonly #options: OfficerLiveOptions;

  constructor(host: ReactiveControllerHost, options: OfficerLiveOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('online', this.#handleOnline);
    this.start();
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.#handleOnline);
    this.stop();
  }

  /** Every frame but `pong`; returns the unsubscribe. */
  listen(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    this.#open();
  }

  stop(state: LiveState = 'stopped'): void {
    this.#running = false;
    clearTimeout(this.#retryTimer);
    this.#drop();
    this.#setState(state);
  }

  /** The thread this page has open (presence "sedang melihat"), or null; said again after every reconnect. */
  view(threadId: string | null): void {
    if (this.#viewing === threadId) return;
    this.#viewing = threadId;
    this.#lastTyping = 0;
    this.#send({ type: 'view', threadId });
  }

  /** The officer pressed a key in the reply box: at most one `typing` frame per interval. */
  typing(): void {
    const threadId = this.#viewing;
    const now = Date.now();
    if (!threadId || now - this.#lastTyping < (this.#options.typingEveryMs ?? 2500)) return;
    if (this.#send({ type: 'typing', threadId })) this.#lastTyping = now;
  }

  #send(message: ClientMessage): boolean {
    if (this.state !== 'online' || this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  #open(): void {
    const token = this.#options.token();
    if (!token) return this.stop();
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#options.url());
    } catch {
      return this.#fail();
    }
    this.#socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'officer-hello', v: 1, token } satisfies ClientMessage));
    socket.onmessage = (event) => this.#receive(socket, event);
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#stopHeartbeat();
      // A refused session: REST calls will say why (the page's sign-in form); retrying cannot help.
      if (event.code === FORBIDDEN) {
        this.stop('offline');
        return this.#options.onRefused?.();
      }
      if (this.#running) this.#fail();
    };
    socket.onerror = () => {};
  }

  #receive(socket: WebSocket, event: MessageEvent): void {
    if (this.#socket !== socket) return;
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data)) as ServerMessage;
    } catch {
      return;
    }
    clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
    if (message.type === 'pong') return;
    if (message.type === 'officer-welcome') {
      this.#attempt = 0;
      this.welcome = message;
      this.#setState('online');
      this.#startHeartbeat(socket);
      if (this.#viewing) this.#send({ type: 'view', threadId: this.#viewing });
    }
    for (const listener of this.#listeners) listener(message);
    this.#host.requestUpdate();
  }

  #startHeartbeat(socket: WebSocket): void {
    this.#stopHeartbeat();
    let id = 0;
    this.#pingTimer = setInterval(() => {
      if (this.#pongTimer !== undefined) return;
      socket.send(JSON.stringify({ type: 'ping', id: ++id } satisfies ClientMessage));
      this.#pongTimer = setTimeout(() => {
        this.#drop();
        this.#fail();
      }, this.#options.pongTimeoutMs ?? 10_000);
    }, this.#options.pingIntervalMs ?? 25_000);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#pingTimer = this.#pongTimer = undefined;
  }

  #fail(): void {
    this.#setState('offline');
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#open(), backoffDelay(this.#attempt++));
  }

  #drop(): void {
    this.#stopHeartbeat();
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onopen = null;
      socket.close();
    }
  }

  #setState(state: LiveState): void {
    if (this.state === state) return;
    this.state = state;
    this.#host.requestUpdate();
  }

  #handleOnline = () => {
    if (!this.#running || this.state === 'online') return;
    clearTimeout(this.#retryTimer);
    this.#drop();
    this.#open();
  };
}
