import { WebSocket, type ClientOptions } from 'ws';
import type { ServerMessage } from '../../server/protocol.js';

/** A real `ws` client that records every frame and can wait for one. */
export class TestClient {
  readonly frames: ServerMessage[] = [];
  readonly ws: WebSocket;
  closeCode?: number;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;
  #barriers = 0;

  /** `options.localAddress` (e.g. 127.0.0.7) makes the client come from another loopback address. */
  constructor(url: string, headers: Record<string, string> = {}, options: Pick<ClientOptions, 'localAddress'> = {}) {
    this.ws = new WebSocket(url, { headers, ...options });
    this.ws.on('message', (d) => this.frames.push(JSON.parse(d.toString())));
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve((this.closeCode = code))));
  }

  static async connect(url: string, headers?: Record<string, string>, options?: Pick<ClientOptions, 'localAddress'>): Promise<TestClient> {
    const c = new TestClient(url, headers, options);
    await c.opened;
    return c;
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  of<T extends ServerMessage['type']>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.frames.filter((f) => f.type === type) as Array<Extract<ServerMessage, { type: T }>>;
  }

  async waitFor<T extends ServerMessage['type']>(
    type: T,
    pred: (f: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    ms = 3000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.of(type).find(pred);
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`timed out waiting for ${type}; got ${JSON.stringify(this.frames).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /**
   * Resolves once every frame the server sent before this call has arrived: frames on one socket are ordered, so
   * the `pong` to a fresh ping id comes after them. Proves "nothing more arrived" without sleeping.
   */
  async barrier(): Promise<void> {
    const id = ++this.#barriers + 1_000_000;
    this.send({ type: 'ping', id });
    await this.waitFor('pong', (f) => f.id === id);
  }

  close(): void {
    this.ws.close();
  }
}
