import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** X-Forwarded-For with the peer appended, as nginx's `proxy_add_x_forwarded_for` writes it. */
function forwardedFor(headers: IncomingHttpHeaders, peer: string | undefined): string {
  const earlier = headers['x-forwarded-for'];
  return [earlier, peer].filter(Boolean).join(', ');
}

/**
 * A small reverse proxy on 127.0.0.1 in front of a server, as a TLS terminator would stand: it forwards
 * requests and WebSocket upgrades, appending the peer's address to X-Forwarded-For. Its own connections to the
 * server come from 127.0.0.1, so without the header every client would look like the proxy.
 */
export async function startForwardingProxy(targetPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': forwardedFor(req.headers, req.socket.remoteAddress) } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, client: Socket, head: Buffer) => {
    const upstream = connect(targetPort, '127.0.0.1', () => {
      const headers = { ...req.headers, 'x-forwarded-for': forwardedFor(req.headers, client.remoteAddress) };
      const lines = Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}`));
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
