import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnServer } from '../support/child-server.js';
import { TestClient } from '../support/ws-client.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'osg-start-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function seed(dir: string, threads: number) {
  const server = await spawnServer(dir);
  const { token } = await (await fetch(`${server.url}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
  for (let i = 0; i < threads; i++) {
    const res = await fetch(`${server.url}/api/sites/kanreg1/threads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: `Pertanyaan nomor ${i}`, body: 'Isi pertanyaan yang cukup panjang.', category: 'cuti', clientId: `seed-${i}-xxxx` }),
    });
    assert.equal(res.status, 201);
  }
  return { server, token };
}

describe('starting on a damaged data file', () => {
  it('stops with a message naming the file and position, and leaves the file as it was', async () => {
    const dir = tempDir();
    const { server } = await seed(dir, 3);
    server.proc.kill('SIGKILL');
    await server.exited;
    const journal = readdirSync(dir).find((f) => f.startsWith('journal-'))!;
    const file = join(dir, journal);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1]!.replace(/"title":"Pertanyaan/, '"title":"Pertanyaam'); // one flipped letter
    writeFileSync(file, lines.join('\n'));
    const before = sha(file);

    const broken = await spawnServer(dir).then(
      () => assert.fail('server started on a damaged journal'),
      (err: Error) => err.message,
    );
    assert.match(broken, /exited with 1/);
    assert.match(broken, new RegExp(`${journal}.*line 2`));
    assert.equal(sha(file), before, 'the damaged file is untouched');
  });

  it('refuses a truncated snapshot the same way', async () => {
    const dir = tempDir();
    const { server } = await seed(dir, 2);
    server.proc.kill('SIGTERM'); // a clean stop writes a snapshot
    assert.equal(await server.exited, 0);
    const file = join(dir, 'snapshot.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const before = sha(file);
    const message = await spawnServer(dir).then(
      () => assert.fail('server started on a truncated snapshot'),
      (err: Error) => err.message,
    );
    assert.match(message, /snapshot\.json/);
    assert.equal(sha(file), before);
  });
});

describe('stopping with SIGTERM', () => {
  it('finishes in-flight posts, closes sockets with 1001 and exits 0; everything acknowledged is there after restart', async () => {
    const dir = tempDir();
    const { server, token } = await seed(dir, 1);
    const threadId = (await (await fetch(`${server.url}/api/sites/kanreg1/threads`)).json()).threads[0].id;
    const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
    c.send({ type: 'hello', v: 1, site: 'kanreg1', token });
    await c.waitFor('welcome');
    for (let i = 0; i < 50; i++) c.send({ type: 'answer', clientId: `term-${i}-xxxx`, threadId, body: `Jawaban ${i}` });
    server.proc.kill('SIGTERM');
    assert.equal(await c.closed, 1001);
    assert.equal(await server.exited, 0);
    const acked = c.of('ack').map((a) => a.clientId);

    const again = await spawnServer(dir);
    const posts = (await (await fetch(`${again.url}/api/threads/${threadId}`)).json()).posts.map((p: { clientId: string }) => p.clientId);
    for (const id of acked) assert.ok(posts.includes(id), `acknowledged ${id} kept`);
    assert.match(server.output(), /"msg":"stopped"/);
    again.proc.kill('SIGTERM');
    await again.exited;
  });
});

describe('configuration errors', () => {
  it('stop start-up with one clear line and exit code 2', async () => {
    const message = await spawnServer(tempDir(), { OSG_SITES: '[{"id":"Kanreg 1"}]' }).then(
      () => assert.fail('started with bad configuration'),
      (err: Error) => err.message,
    );
    assert.match(message, /exited with 2/);
    assert.match(message, /invalid configuration: OSG_SITES: 0\.id: site id/);
  });
});

describe('logs', () => {
  it('are JSON lines that never contain tokens or post text', async () => {
    const dir = tempDir();
    const { server, token } = await seed(dir, 2);
    server.proc.kill('SIGTERM');
    await server.exited;
    const out = server.output();
    assert.ok(!out.includes(token.split('.')[2]!), 'no token signature in logs');
    assert.ok(!out.includes('Pertanyaan nomor'), 'no post text in logs');
    const jsonLines = out.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(jsonLines.length >= 3);
    for (const l of jsonLines) assert.doesNotThrow(() => JSON.parse(l));
  });
});
