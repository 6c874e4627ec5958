/**
 * A round-robin reverse proxy on loopback in front of several instances (the `http-proxy` package), as nginx
 * or a cloud load balancer stands in docs/SCALING.md: requests and WebSocket upgrades go to the next instance in
 * turn, no sticky sessions. An instance that refuses connections is skipped until `revive()` (nginx's
 * passive `max_fails`); the request that found it dead is answered 502, as nginx answers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import httpProxy from 'http-proxy';

export interface Balancer {
  port: number;
  url: string;
  /** Which instance (index into targets) each request and upgrade went to, in order. */
  readonly routed: number[];
  revive(index: number): void;
  close(): Promise<void>;
}

export async function startBalancer(targets: string[]): Promise<Balancer> {
  const proxy = httpProxy.createProxyServer({ ws: true, xfwd: true });
  const dead = new Set<number>();
  const routed: number[] = [];
  let next = 0;
  const pick = (): number | undefined => {
    for (let i = 0; i < targets.length; i++) {
      const index = (next + i) % targets.length;
      if (!dead.has(index)) {
        next = index + 1;
        routed.push(index);
        return index;
      }
    }
    return undefined;
  };
  const markDead = (index: number, err: NodeJS.ErrnoException) => {
    if (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET') dead.add(index);
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const index = pick();
    if (index === undefined) return void res.writeHead(502).end();
    proxy.web(req, res, { target: targets[index] }, (err) => {
      markDead(index, err as NodeJS.ErrnoException);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'unavailable', message: 'bad gateway' } }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const index = pick();
    if (index === undefined) return void socket.destroy();
    proxy.ws(req, socket, head, { target: targets[index] }, (err) => {
      markDead(index, err as NodeJS.ErrnoException);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    routed,
    revive: (index) => dead.delete(index),
    async close() {
      for (const s of sockets) s.destroy();
      proxy.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
