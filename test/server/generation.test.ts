import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnServer, type ChildServer } from '../support/child-server.js';
import { TestClient } from '../support/ws-client.js';

const dir = mkdtempSync(join(tmpdir(), 'osg-generation-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function ask(server: ChildServer, token: string, title: string): Promise<{ id: string; seq: number }> {
  const res = await fetch(`${server.url}/api/sites/kanreg1/threads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title, body: 'Isi pertanyaan untuk uji generasi data.', category: 'lainnya', clientId: `gen-${title.replace(/\W/g, '')}` }),
  });
  assert.equal(res.status, 201);
  return res.json();
}

async function welcome(server: ChildServer, hello: Record<string, unknown>) {
  const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
  c.send({ type: 'hello', v: 1, site: 'kanreg1', ...hello });
  const frame = await c.waitFor('welcome');
  // A barrier: every frame the server sends after welcome for this hello has arrived once the pong does.
  c.send({ type: 'ping', id: 1 });
  await c.waitFor('pong');
  const events = c.of('event');
  c.close();
  return { ...frame, events };
}

describe('a client holding a seq from a lost journal tail', () => {
  it('keeps its generation over a clean restart, and is told to resync once the tail was lost and the seq reused', async () => {
    let server = await spawnServer(dir);
    const { token } = await (await fetch(`${server.url}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    await ask(server, token, 'Pertama sebelum restart');
    const first = await welcome(server, {});
    server.proc.kill('SIGTERM');
    assert.equal(await server.exited, 0);

    server = await spawnServer(dir);
    const g1 = (await welcome(server, {})).generation;
    assert.equal(g1, first.generation, 'a clean restart keeps the generation');
    await ask(server, token, 'Kedua setelah restart bersih');
    const lost = await ask(server, token, 'Ketiga yang nanti hilang');
    const list = await (await fetch(`${server.url}/api/sites/kanreg1/threads`)).json();
    assert.deepEqual({ seq: list.seq, generation: list.generation }, { seq: 3, generation: g1 }, 'a client now holds seq 3 of this generation');
    const resumed = await welcome(server, { lastSeq: 2, generation: g1 });
    assert.equal(resumed.resync, false, 'within one generation a client resumes');
    assert.deepEqual(resumed.events.map((e) => e.event.seq), [3]);
    server.proc.kill('SIGKILL');
    await server.exited;

    // Storage that lied about a sync: the last acknowledged record is gone.
    const journal = join(dir, readdirSync(dir).filter((f) => /^journal-\d+\.ndjson$/.test(f)).sort().at(-1)!);
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    assert.equal(JSON.parse(lines.at(-1)!).r.event.change.thread.id, lost.id);
    writeFileSync(journal, `${lines.slice(0, -1).join('\n')}\n`);

    server = await spawnServer(dir);
    const reused = await ask(server, token, 'Keempat memakai seq yang sama');
    assert.equal(reused.seq, lost.seq, 'the seq was handed out again');
    const stale = await welcome(server, { lastSeq: 3, generation: g1 });
    assert.notEqual(stale.generation, g1);
    assert.equal(stale.resync, true, 'the client must reload: its seq 3 is not this generation’s seq 3');
    assert.equal(stale.seq, 3);
    const current = await welcome(server, { lastSeq: 3, generation: stale.generation });
    assert.equal(current.resync, false);
    const relisted = await (await fetch(`${server.url}/api/sites/kanreg1/threads`)).json();
    assert.equal(relisted.generation, stale.generation);
    server.proc.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });
});
