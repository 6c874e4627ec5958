/**
 * A TCP forwarder on 127.0.0.1 in front of a real server (PostgreSQL, in the availability tests): `stop()`
 * cuts the network between them — connections in use are destroyed and new ones are refused, as when the
 * database host goes away — without stopping the server other tests share; `start()` brings it back on the
 * same port.
 */
import net from 'node:net';

export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  /** The listening port, kept across stop() and start(). */
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
  ) {}

  /** Connections forwarded so far that are still open. */
  get open(): number {
    return this.sockets.size / 2;
  }

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(from);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          this.sockets.delete(from);
          to.destroy();
        });
        from.pipe(to);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Refuses new connections and breaks every open one. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
