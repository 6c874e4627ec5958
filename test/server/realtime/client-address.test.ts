import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { startForwardingProxy } from '../../support/forwarding-proxy.js';
import { startTestServer } from '../../support/server.js';
import { TestClient } from '../../support/ws-client.js';

const wide = { capacity: 1e9, perMinute: 1e9 };
// Four questions per address, then one a minute: small enough to see whose bucket a question lands in.
const PER_ADDRESS = 4;
const TRUST = JSON.stringify({ limits: { visitor: { ip: wide }, post: { member: wide, newMember: wide, ip: { capacity: PER_ADDRESS, perMinute: 1 } } } });

/** A real server behind a real forwarding proxy on loopback; clients reach the proxy from 127.0.0.x. */
async function behindProxy(t: TestContext, trustProxy?: string) {
  const server = await startTestServer({ OSG_TRUST: TRUST, ...(trustProxy === undefined ? {} : { OSG_TRUST_PROXY: trustProxy }) });
  const proxy = await startForwardingProxy(server.port);
  t.after(async () => {
    await proxy.close();
    await server.destroy();
  });
  let n = 0;
  const newToken = async () => {
    const res = await fetch(`${server.url.replace('localhost', '127.0.0.1')}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return ((await res.json()) as { token: string }).token;
  };
  const question = () => ({ title: `Pertanyaan dari balik proxy ${n}`, body: 'Bagaimana cara mengurus mutasi antar daerah?', category: 'mutasi', clientId: `proxy-${n++}-xxxxxx` });

  /** One member asks once over WebSocket from `from`; answers 'ack' or the error code. */
  async function askOverSocket(from: string, headers: Record<string, string> = {}): Promise<string> {
    const token = await newToken();
    const c = await TestClient.connect(`ws://127.0.0.1:${proxy.port}/ws`, headers, { localAddress: from });
    try {
      c.send({ type: 'hello', v: 1, site: 'kanreg1', token });
      await c.waitFor('welcome');
      const q = question();
      c.send({ type: 'ask', ...q });
      const reply = await c.waitFor('ack', (f) => f.clientId === q.clientId).catch(() => undefined);
      if (reply) return 'ack';
      return c.of('error').find((f) => f.clientId === q.clientId)?.error.code ?? 'no answer';
    } finally {
      c.close();
    }
  }

  /** One member asks once over REST from `from`; answers the HTTP status. */
  async function askOverRest(from: string): Promise<number> {
    const token = await newToken();
    const body = JSON.stringify(question());
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: proxy.port, localAddress: from, method: 'POST', path: '/api/sites/kanreg1/threads', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  return { askOverSocket, askOverRest };
}

describe('the client address behind a proxy', () => {
  it('gives every member their own rate-limit bucket over WebSocket and REST alike (default: loopback proxies)', async (t) => {
    const { askOverSocket, askOverRest } = await behindProxy(t);
    const socket = [];
    for (let i = 0; i < 8; i++) socket.push(await askOverSocket(`127.0.0.${20 + i}`));
    assert.deepEqual(socket, Array(8).fill('ack'));
    const rest = [];
    for (let i = 0; i < 4; i++) rest.push(await askOverRest(`127.0.0.${40 + i}`));
    assert.deepEqual(rest, Array(4).fill(201));
  });

  it('limits an address that floods, alone, and a forged X-Forwarded-For does not help it', async (t) => {
    const { askOverSocket, askOverRest } = await behindProxy(t, '127.0.0.1');
    const flood = [];
    for (let i = 0; i < PER_ADDRESS + 2; i++) flood.push(await askOverSocket('127.0.0.50'));
    assert.deepEqual(flood, [...Array(PER_ADDRESS).fill('ack'), 'rate_limited', 'rate_limited']);
    assert.equal(await askOverRest('127.0.0.50'), 429, 'REST counts the same address');
    assert.equal(await askOverSocket('127.0.0.50', { 'x-forwarded-for': '203.0.113.9' }), 'rate_limited');
    assert.equal(await askOverSocket('127.0.0.51'), 'ack', 'another address is not affected');
    assert.equal(await askOverRest('127.0.0.52'), 201);
  });

  it('ignores X-Forwarded-For with OSG_TRUST_PROXY=false: everyone is the proxy', async (t) => {
    const { askOverSocket, askOverRest } = await behindProxy(t, 'false');
    const asked = [];
    for (let i = 0; i < PER_ADDRESS + 1; i++) asked.push(await askOverSocket(`127.0.0.${60 + i}`));
    assert.deepEqual(asked, [...Array(PER_ADDRESS).fill('ack'), 'rate_limited']);
    assert.equal(await askOverRest('127.0.0.70'), 429);
  });
});
