import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnServer, type ChildServer } from '../support/child-server.js';
import { TestClient } from '../support/ws-client.js';

const dir = mkdtempSync(join(tmpdir(), 'osg-shutdown-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GRACE_MS = 6000;

/** One HTTP/1.1 exchange on a raw socket, so that the test decides when each byte of a request goes out. */
class RawConnection {
  private received = '';
  private closed = false;
  readonly socket: Socket;
  readonly ended: Promise<void>;

  constructor(
    port: number,
    private readonly name: string,
  ) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8').on('data', (d: string) => (this.received += d));
    this.socket.on('error', () => {});
    this.ended = new Promise((resolve) => this.socket.once('close', () => resolve()));
    void this.ended.then(() => (this.closed = true));
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** The next complete response (by Content-Length): status, headers and body. */
  async response(ms = 5000): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const end = Date.now() + ms;
    for (;;) {
      const head = this.received.indexOf('\r\n\r\n');
      if (head !== -1) {
        const lines = this.received.slice(0, head).split('\r\n');
        const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? 0);
        const bodyBytes = Buffer.from(this.received.slice(head + 4));
        if (bodyBytes.length >= length) {
          const body = bodyBytes.subarray(0, length).toString();
          this.received = bodyBytes.subarray(length).toString();
          return { status: Number(lines[0]!.split(' ')[1]), headers, body };
        }
      }
      if (this.closed || Date.now() > end) {
        throw new Error(`${this.name}: no complete response${this.closed ? ' before the server closed the connection' : ''}; got ${JSON.stringify(this.received.slice(0, 300))}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A client that keeps its connections alive and sends the next request as soon as the last was answered,
 * as a busy proxy or a load balancer's pool does. It stops at the first refused connection or after `maxRequests`.
 */
async function keepAliveLoop(server: ChildServer, token: string, threadId: string, name: string, acked: Set<string>, stop: () => boolean) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let sent = 0;
  let after503 = 0;
  try {
    while (!stop() && sent < 3000) {
      const clientId = `${name}-${sent++}-keepalive`;
      const posting = sent % 2 === 0;
      const body = posting ? JSON.stringify({ body: `Jawaban beruntun ${clientId}`, clientId }) : undefined;
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            agent,
            host: '127.0.0.1',
            port: server.port,
            method: posting ? 'POST' : 'GET',
            path: posting ? `/api/threads/${threadId}/posts` : '/api/sites/kanreg1/threads?limit=5',
            headers: posting ? { 'content-type': 'application/json', authorization: `Bearer ${token}` } : {},
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          },
        );
        req.on('error', reject);
        req.end(body);
      }).catch(() => -1);
      if (status === -1) break; // the server no longer listens
      if (posting && status === 201) acked.add(clientId);
      if (status === 503) after503++;
    }
  } finally {
    agent.destroy();
  }
  return { sent, after503 };
}

describe('SIGTERM under keep-alive traffic', () => {
  it('stops accepting at once, drains (healthz 503, new requests 503 with Connection: close), finishes what is in flight, snapshots, releases the lock and exits 0 within the grace', async (t) => {
    const server = await spawnServer(dir, { OSG_SHUTDOWN_GRACE_MS: String(GRACE_MS) });
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${server.url}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const { token } = await (await post('/visitors', {})).json();
    const threadId = (await (await post('/sites/kanreg1/threads', { title: 'Uji berhenti dengan SIGTERM', body: 'Lalu lintas keep-alive tidak boleh menahan server.', category: 'lainnya', clientId: 'sigterm-q1' }, token)).json()).id;

    // Raw connections whose requests are half sent when SIGTERM arrives: they count as in flight.
    const slowPost = new RawConnection(server.port, 'the half-sent answer');
    const answer = JSON.stringify({ body: 'Jawaban yang sedang dikirim saat SIGTERM.', clientId: 'sigterm-in-flight' });
    slowPost.write(`POST /api/threads/${threadId}/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${Buffer.byteLength(answer)}\r\n\r\n${answer.slice(0, 10)}`);
    const keptAlive = new RawConnection(server.port, 'the kept-alive connection');
    keptAlive.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal((await keptAlive.response()).status, 200);
    keptAlive.write('GET /api/sites/kanreg1/threads HTTP/1.1\r\nHost: x\r\n'); // the next request on a kept-alive socket, begun
    const health = new RawConnection(server.port, 'the half-sent health check');
    health.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const ws = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
    ws.send({ type: 'hello', v: 1, site: 'kanreg1', token });
    await ws.waitFor('welcome');

    const acked = new Set<string>();
    let stopping = false;
    const loops = ['a', 'b', 'c', 'd'].map((name) => keepAliveLoop(server, token, threadId, name, acked, () => stopping));
    await until(() => acked.size >= 100, 'the keep-alive clients to get going', 10_000);

    const signalled = Date.now();
    server.proc.kill('SIGTERM');
    await until(() => /"msg":"stopping"/.test(server.output()), 'the server to start draining');

    keptAlive.write('\r\n');
    const refused = await keptAlive.response();
    assert.equal(refused.status, 503, 'a new request on a kept-alive socket is refused');
    assert.equal(refused.headers.connection, 'close');
    assert.equal(JSON.parse(refused.body).error.code, 'unavailable');
    await keptAlive.ended;
    health.write('\r\n');
    const draining = await health.response();
    assert.equal(draining.status, 503);
    assert.equal(JSON.parse(draining.body).status, 'stopping');
    slowPost.write(answer.slice(10));
    const finished = await slowPost.response();
    assert.equal(finished.status, 201, 'the request in flight is finished');
    assert.equal(finished.headers.connection, 'close');

    const code = await server.exited;
    const took = Date.now() - signalled;
    stopping = true;
    const results = await Promise.all(loops);
    assert.equal(code, 0, `exit code; output:\n${server.output().slice(-2000)}`);
    assert.ok(took < GRACE_MS, `stopped in ${took} ms, within the ${GRACE_MS} ms grace`);
    assert.equal(await ws.closed, 1001);
    assert.match(server.output(), /"msg":"snapshot written"/);
    assert.ok(existsSync(join(dir, 'clean-shutdown.json')), 'a clean shutdown was recorded');
    const snapshot = JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8'));
    assert.ok(snapshot.posts.length >= acked.size + 1, 'the snapshot holds every post');

    const again = await spawnServer(dir); // the lock went with the process: starts at once
    const stored = new Set((await (await fetch(`${again.url}/api/threads/${threadId}`)).json()).posts.map((p: { clientId: string }) => p.clientId));
    const lost = [...acked, 'sigterm-in-flight'].filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], 'every acknowledged answer is kept');
    assert.ok(results.reduce((n, r) => n + r.sent, 0) > 40, 'the load was real');
    t.diagnostic(`stopped ${took} ms after SIGTERM; ${results.reduce((n, r) => n + r.sent, 0)} keep-alive requests, ${acked.size} answers acknowledged, ${results.reduce((n, r) => n + r.after503, 0)} refused while draining`);
    again.proc.kill('SIGTERM');
    assert.equal(await again.exited, 0);
  });
});

describe('SIGTERM while WebSocket posts are in flight', () => {
  it('answers every post it read (ack, or unavailable once draining) before closing with 1001, and keeps every acknowledged one', async (t) => {
    const wsDir = mkdtempSync(join(tmpdir(), 'osg-shutdown-ws-'));
    after(() => rmSync(wsDir, { recursive: true, force: true }));
    const server = await spawnServer(wsDir, { OSG_SHUTDOWN_GRACE_MS: String(GRACE_MS) });
    const { token } = await (await fetch(`${server.url}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
    c.send({ type: 'hello', v: 1, site: 'kanreg1', token });
    await c.waitFor('welcome');
    c.send({ type: 'ask', clientId: 'ws-drain-question', title: 'Uji berhenti saat WebSocket aktif', body: 'Jawaban yang sedang dikirim harus dijawab.', category: 'lainnya' });
    const threadId = (await c.waitFor('ack')).thread!.id;
    const sent = Array.from({ length: 400 }, (_, i) => `ws-drain-answer-${i}`);
    for (const clientId of sent) c.send({ type: 'answer', clientId, threadId, body: `Jawaban ${clientId}` });
    await c.waitFor('ack', (f) => f.clientId === sent[0]);
    server.proc.kill('SIGTERM');
    assert.equal(await c.closed, 1001);
    assert.equal(await server.exited, 0);

    const acked = c.of('ack').map((f) => f.clientId).filter((id) => id !== 'ws-drain-question');
    const refused = c.of('error').filter((f) => f.clientId !== undefined);
    assert.ok(refused.every((f) => f.error.code === 'unavailable'), JSON.stringify(refused.slice(0, 3)));
    assert.deepEqual([...acked, ...refused.map((f) => f.clientId)].sort(), [...sent].sort(), 'no post read by the server was left without an answer');
    t.diagnostic(`${acked.length} answers acknowledged, ${refused.length} refused as unavailable while draining`);

    const again = await spawnServer(wsDir);
    const stored = new Set((await (await fetch(`${again.url}/api/threads/${threadId}`)).json()).posts.map((p: { clientId: string }) => p.clientId));
    assert.deepEqual(acked.filter((id) => !stored.has(id)), []);
    again.proc.kill('SIGTERM');
    assert.equal(await again.exited, 0);
  });
});
