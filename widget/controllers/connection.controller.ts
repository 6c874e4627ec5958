import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClientMessage, ServerMessage } from '../../server/protocol.js';
import type { ConnectionState } from '../i18n.js';
import { backoffDelay } from '../lib/backoff.js';

export interface ConnectionOptions {
  /** The `ws(s)://…/ws` address. */
  url: () => string;
  /** Builds the `hello` frame; may fetch an identity first. A rejection counts as a failed attempt. */
  hello: () => Promise<ClientMessage>;
  /** Every frame except `pong`, in arrival order. `welcome` arrives after the state became `online`. */
  onMessage: (message: ServerMessage) => void;
  /** The socket closed (sent frames without an answer may be lost). */
  onClose?: (code: number) => void;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

/**
 * Owns the WebSocket of one widget: connects when the host is connected, says hello, keeps the link alive with
 * application pings (browsers cannot see protocol pings) and reconnects with capped, jittered backoff.
 * `state` is `connecting` until the first attempt ends, then `online` after each `welcome`, else `offline`.
 */
export class ConnectionController implements ReactiveController {
  state: ConnectionState = 'connecting';

  private socket?: WebSocket;
  private running = false;
  private attempt = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private pingTimer?: ReturnType<typeof setInterval>;
  private pongTimer?: ReturnType<typeof setTimeout>;
  private pingId = 0;
  // Bumped whenever a socket is dropped, so a late hello() or socket event of an old attempt is ignored.
  private generation = 0;

  constructor(private readonly host: ReactiveControllerHost, private readonly options: ConnectionOptions) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('online', this.handleOnline);
    window.addEventListener('offline', this.handleOffline);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.handleOnline);
    window.removeEventListener('offline', this.handleOffline);
    this.stop();
  }

  /** Starts connecting; harmless when already running. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.open();
  }

  /** Stops for good (until start()); `state` tells what to show meanwhile. */
  stop(state: ConnectionState = 'connecting'): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.drop();
    this.setState(state);
  }

  /** Drops the current socket (if any) and tries again at once, e.g. after the token was refused. */
  reconnectNow(): void {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    this.drop();
    void this.open();
  }

  /** Sends a frame if the link is up; false means the caller must keep it for later. */
  send(message: ClientMessage): boolean {
    if (this.state !== 'online' || this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    let hello: ClientMessage;
    try {
      hello = await this.options.hello();
    } catch {
      if (this.running && generation === this.generation) this.fail();
      return;
    }
    if (!this.running || generation !== this.generation) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.options.url());
    } catch {
      this.fail();
      return;
    }
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify(hello));
    socket.onmessage = (event) => this.receive(socket, event);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.stopHeartbeat();
      this.options.onClose?.(event.code);
      if (this.running) this.fail();
    };
    // An error is always followed by close, which does the work.
    socket.onerror = () => {};
  }

  private receive(socket: WebSocket, event: MessageEvent): void {
    if (this.socket !== socket) return;
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data)) as ServerMessage;
    } catch {
      return;
    }
    // Any frame proves the link is alive.
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
    if (message.type === 'pong') return;
    if (message.type === 'welcome') {
      this.attempt = 0;
      this.setState('online');
      this.startHeartbeat(socket);
    }
    this.options.onMessage(message);
  }

  private startHeartbeat(socket: WebSocket): void {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => {
      if (this.pongTimer !== undefined) return;
      socket.send(JSON.stringify({ type: 'ping', id: ++this.pingId }));
      this.pongTimer = setTimeout(() => this.reconnectNow(), this.options.pongTimeoutMs ?? 10_000);
    }, this.options.pingIntervalMs ?? 25_000);
  }

  private stopHeartbeat(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = this.pongTimer = undefined;
  }

  private fail(): void {
    this.setState('offline');
    clearTimeout(this.retryTimer);
    const delay = backoffDelay(this.attempt++, this.options.backoffBaseMs, this.options.backoffCapMs);
    this.retryTimer = setTimeout(() => void this.open(), delay);
  }

  private drop(): void {
    this.stopHeartbeat();
    const socket = this.socket;
    this.socket = undefined;
    this.generation++;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onopen = null;
      socket.close();
      this.options.onClose?.(1000);
      if (this.state === 'online') this.setState('offline');
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.host.requestUpdate();
  }

  private handleOnline = () => {
    if (this.running && this.state !== 'online') this.reconnectNow();
  };

  private handleOffline = () => {
    // The browser knows the network is gone before any timeout would tell us.
    if (this.running && this.socket) {
      this.drop();
      this.fail();
    }
  };
}
