import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClientMessage, ServerMessage } from '../../server/protocol.js';
import type { ConnectionState } from '../i18n.js';
import { backoffDelay } from '../lib/backoff.js';

// The close code of a server that is stopping (CLOSE_CODES.goingAway in protocol.ts; types only are imported).
const GOING_AWAY = 1001;

export interface ConnectionOptions {
  /** The `ws(s)://…/ws` address. */
  url: () => string;
  /** Builds the `hello` frame; may fetch an identity first. A rejection counts as a failed attempt. */
  hello: () => Promise<ClientMessage>;
  /** Every frame except `pong`, in arrival order. `welcome` arrives after the state became `online`. */
  onMessage: (message: ServerMessage) => void;
  /** The socket closed (sent frames without an answer may be lost). */
  onClose?: (code: number) => void;
  /** `state` changed. */
  onState?: (state: ConnectionState) => void;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

/**
 * Owns the WebSocket of one widget: connects when the host is connected, says hello, keeps the link alive with
 * application pings (browsers cannot see protocol pings) and reconnects with capped, jittered backoff.
 * `state` is `connecting` until the first attempt ends, then `online` after each `welcome`; between, `offline`,
 * or `unavailable` once the server said it is going away (an `unavailable` error frame or refusal, a 1001 close)
 * until it is back; `stopped` after stop('stopped'), when no retry can help.
 */
export class ConnectionController implements ReactiveController {
  state: ConnectionState = 'connecting';

  #socket?: WebSocket;
  #running = false;
  #attempt = 0;
  #retryTimer?: ReturnType<typeof setTimeout>;
  #pingTimer?: ReturnType<typeof setInterval>;
  #pongTimer?: ReturnType<typeof setTimeout>;
  #pingId = 0;
  // Bumped whenever a socket is dropped, so a late hello() or socket event of an old attempt is ignored.
  #generation = 0;
  /** The server said it is going away: failed attempts show `unavailable` rather than `offline` until a welcome. */
  #away = false;

  readonly #host: ReactiveControllerHost;
  readonly #options: ConnectionOptions;

  constructor(host: ReactiveControllerHost, options: ConnectionOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('online', this.#handleOnline);
    window.addEventListener('offline', this.#handleOffline);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.#handleOnline);
    window.removeEventListener('offline', this.#handleOffline);
    this.stop();
  }

  /** Starts connecting; harmless when already running. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    void this.#open();
  }

  /** Stops for good (until start()); `state` tells what to show meanwhile. */
  stop(state: ConnectionState = 'connecting'): void {
    this.#running = false;
    clearTimeout(this.#retryTimer);
    this.#drop();
    this.#setState(state);
  }

  /** Drops the current socket (if any) and tries again at once, e.g. after the token was refused. */
  reconnectNow(): void {
    if (!this.#running) return;
    clearTimeout(this.#retryTimer);
    this.#drop();
    void this.#open();
  }

  /** Sends a frame if the link is up; false means the caller must keep it for later. */
  send(message: ClientMessage): boolean {
    if (this.state !== 'online' || this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  async #open(): Promise<void> {
    const generation = ++this.#generation;
    let hello: ClientMessage;
    try {
      hello = await this.#options.hello();
    } catch (error) {
      if (this.#running && generation === this.#generation) {
        if ((error as { error?: { code?: string } })?.error?.code === 'unavailable') this.#away = true;
        this.#fail();
      }
      return;
    }
    if (!this.#running || generation !== this.#generation) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#options.url());
    } catch {
      this.#fail();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => socket.send(JSON.stringify(hello));
    socket.onmessage = (event) => this.#receive(socket, event);
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#stopHeartbeat();
      if (event.code === GOING_AWAY) this.#away = true;
      this.#options.onClose?.(event.code);
      if (this.#running) this.#fail();
    };
    // An error is always followed by close, which does the work.
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
    // Any frame proves the link is alive.
    clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
    if (message.type === 'pong') return;
    if (message.type === 'error' && message.error.code === 'unavailable' && !message.clientId && !message.ref) this.#away = true;
    if (message.type === 'welcome') {
      this.#attempt = 0;
      this.#away = false;
      this.#setState('online');
      this.#startHeartbeat(socket);
    }
    this.#options.onMessage(message);
  }

  #startHeartbeat(socket: WebSocket): void {
    this.#stopHeartbeat();
    this.#pingTimer = setInterval(() => {
      if (this.#pongTimer !== undefined) return;
      socket.send(JSON.stringify({ type: 'ping', id: ++this.#pingId }));
      this.#pongTimer = setTimeout(() => this.reconnectNow(), this.#options.pongTimeoutMs ?? 10_000);
    }, this.#options.pingIntervalMs ?? 25_000);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#pingTimer = this.#pongTimer = undefined;
  }

  #fail(): void {
    this.#setState(this.#away ? 'unavailable' : 'offline');
    clearTimeout(this.#retryTimer);
    const delay = backoffDelay(this.#attempt++, this.#options.backoffBaseMs, this.#options.backoffCapMs);
    this.#retryTimer = setTimeout(() => void this.#open(), delay);
  }

  #drop(): void {
    this.#stopHeartbeat();
    const socket = this.#socket;
    this.#socket = undefined;
    this.#generation++;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onopen = null;
      socket.close();
      this.#options.onClose?.(1000);
      if (this.state === 'online') this.#setState('offline');
    }
  }

  #setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.#options.onState?.(state);
    this.#host.requestUpdate();
  }

  #handleOnline = () => {
    if (this.#running && this.state !== 'online') this.reconnectNow();
  };

  #handleOffline = () => {
    // The browser knows the network is gone before any timeout would tell us.
    this.#away = false;
    if (this.#running && this.#socket) {
      this.#drop();
      this.#fail();
    }
  };
}
