import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnServer, type ChildServer } from '../support/child-server.js';
import { TestClient } from '../support/ws-client.js';

const dir = mkdtempSync(join(tmpdir(), 'osg-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function visitor(server: ChildServer): Promise<string> {
  const res = await fetch(`${server.url}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  return (await res.json()).token;
}

async function joined(server: ChildServer, token: string): Promise<TestClient> {
  const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
  c.send({ type: 'hello', v: 1, site: 'kanreg1', token });
  await c.waitFor('welcome');
  return c;
}

describe('a server killed with SIGKILL while posts are in flight', () => {
  it('still has every acknowledged post after restart, round after round', async () => {
    let server = await spawnServer(dir);
    const token = await visitor(server);
    const c0 = await joined(server, token);
    c0.send({ type: 'ask', clientId: 'crash-thread-1', title: 'Uji ketahanan server', body: 'Pertanyaan untuk uji SIGKILL pada server.', category: 'lainnya' });
    const threadId = (await c0.waitFor('ack')).thread!.id;
    c0.close();
    const acked = new Set<string>();
    let sent = 0;

    for (let round = 0; round < 4; round++) {
      const clients = await Promise.all([0, 1, 2].map(() => joined(server, token)));
      let running = true;
      // Each client keeps up to 8 posts in flight: the kill lands between fsyncs and mid-write.
      const pumps = clients.map(async (c, ci) => {
        let inFlight = 0;
        c.ws.on('message', (d) => {
          const f = JSON.parse(d.toString());
          if (f.type === 'ack') {
            acked.add(f.clientId);
            inFlight--;
          }
        });
        while (running && c.ws.readyState === c.ws.OPEN) {
          if (inFlight < 8) {
            inFlight++;
            c.send({ type: 'answer', clientId: `r${round}c${ci}n${sent++}x`, threadId, body: `Jawaban ${sent} `.repeat(10) });
          } else await new Promise((r) => setTimeout(r, 1));
        }
      });
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 400));
      server.proc.kill('SIGKILL');
      await server.exited;
      running = false;
      await Promise.all(pumps);

      server = await spawnServer(dir);
      const res = await fetch(`${server.url}/api/threads/${threadId}`);
      assert.equal(res.status, 200);
      const posts = (await res.json()).posts as Array<{ clientId: string }>;
      const stored = new Set<string>(posts.map((p) => p.clientId));
      const lost = [...acked].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `round ${round}: acknowledged posts lost after SIGKILL`);
      // A post and its author's counts are one journal record: no kill can keep one without the other.
      const me = await (await fetch(`${server.url}/api/visitors/me`, { headers: { authorization: `Bearer ${token}` } })).json();
      assert.deepEqual({ questions: me.stats.questions, answers: me.stats.answers }, { questions: 1, answers: posts.length }, `round ${round}: counts match the posts`);
    }
    assert.ok(acked.size > 50, `enough posts were acknowledged to mean something (${acked.size})`);
    server.proc.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });
});

describe('a retry after a lost ack, across a restart', () => {
  it('creates exactly one post and returns the original', async () => {
    let server = await spawnServer(dir);
    const token = await visitor(server);
    const c = await joined(server, token);
    const ask = { type: 'ask', clientId: 'retry-across-restart', title: 'Ack hilang lalu kirim ulang', body: 'Apakah pertanyaan ini tersimpan sekali saja?', category: 'lainnya' };
    c.send(ask);
    const first = await c.waitFor('ack');
    server.proc.kill('SIGKILL');
    await server.exited;

    server = await spawnServer(dir);
    const again = await joined(server, token);
    again.send(ask);
    const second = await again.waitFor('ack');
    assert.equal(second.duplicate, true);
    assert.equal(second.thread!.id, first.thread!.id);
    const list = await (await fetch(`${server.url}/api/sites/kanreg1/threads?q=ack+hilang`)).json();
    assert.equal(list.threads.length, 1);
    again.close();
    server.proc.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });
});

describe('posting a question or an answer', () => {
  it("writes one journal record, which carries the author's new counts", async () => {
    const server = await spawnServer(dir);
    const token = await visitor(server);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const asked = await fetch(`${server.url}/api/sites/kanreg1/threads`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'Satu catatan per tulisan', body: 'Apakah jumlah tulisan ikut tersimpan bersama tulisannya?', category: 'lainnya', clientId: 'one-record-q' }),
    });
    assert.equal(asked.status, 201);
    const threadId = (await asked.json()).id;
    const me = (await (await fetch(`${server.url}/api/visitors/me`, { headers })).json()).id as string;
    for (const n of [1, 2]) {
      const answered = await fetch(`${server.url}/api/threads/${threadId}/posts`, { method: 'POST', headers, body: JSON.stringify({ body: `Jawaban nomor ${n} untuk uji.`, clientId: `one-record-a${n}` }) });
      assert.equal(answered.status, 201);
    }
    server.proc.kill('SIGKILL');
    await server.exited;

    const records = readdirSync(dir)
      .filter((f) => /^journal-\d+\.ndjson$/.test(f))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
      .map((line) => JSON.parse(line).r);
    const mine = records.filter((r) => (r.t === 'visitor.updated' && r.id === me) || r.member?.id === me);
    assert.deepEqual(
      mine.map((r) => [r.t, r.event?.change.kind, r.member?.patch.stats ?? r.patch]),
      [
        ['change', 'thread.created', { questions: 1, answers: 0, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0 }],
        ['change', 'post.created', { questions: 1, answers: 1, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0 }],
        ['change', 'post.created', { questions: 1, answers: 2, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0 }],
      ],
    );
  });
});
