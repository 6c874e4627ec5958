/**
 * `npm run migrate-store -- --from ./data --to postgres://…`: a JSON store made by a real server moves into
 * an empty PostgreSQL schema, and every public REST response reads the same from a server on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { spawnServer, type ChildServer } from '../../../support/child-server.js';
import { dropTestSchemas, queryIn, TEST_DATABASE_URL, testSchema } from '../../../support/postgres.js';

after(dropTestSchemas);
const root = fileURLToPath(new URL('../../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'osg-migrate-store-'));
after(() => rmSync(work, { recursive: true, force: true }));

const NIP = '198503122010012003';

function migrateStore(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/cli/migrate-store.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => proc.once('exit', (code) => resolve({ code, out, err })));
}

function client(server: ChildServer) {
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    call,
    async ok(method: string, path: string, token?: string, body?: unknown) {
      const res = await call(method, path, token, body);
      assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  };
}

/** Members, threads in two categories, answers, votes, an accepted answer, a flag and a pending verification. */
async function seed(server: ChildServer) {
  const api = client(server);
  const [a, b, c] = await Promise.all(['Ani', 'Budi', 'Citra'].map((name) => api.ok('POST', '/api/visitors', undefined, { name })));
  const t1 = await api.ok('POST', '/api/sites/kanreg1/threads', a.token, {
    title: 'Syarat kenaikan pangkat reguler',
    body: 'Apa saja berkas yang perlu disiapkan untuk kenaikan pangkat reguler periode April?',
    category: 'kenaikan-pangkat',
    clientId: 'seed-thread-1',
  });
  const t2 = await api.ok('POST', '/api/sites/kanreg1/threads', b.token, {
    title: 'Cuti besar setelah lima tahun',
    body: 'Apakah cuti besar bisa diambil terpisah dari cuti tahunan di tahun yang sama?',
    category: 'cuti',
    clientId: 'seed-thread-2',
  });
  const p1 = await api.ok('POST', `/api/threads/${t1.id}/posts`, b.token, { body: 'Siapkan SK pangkat terakhir, PAK, dan SKP dua tahun terakhir.', clientId: 'seed-post-1' });
  const p2 = await api.ok('POST', `/api/threads/${t1.id}/posts`, c.token, { body: 'Tidak perlu berkas apa pun, semuanya otomatis.', clientId: 'seed-post-2' });
  await api.ok('PUT', `/api/posts/${p1.id}/vote`, a.token, { value: 1 });
  await api.ok('PUT', `/api/posts/${p2.id}/vote`, b.token, { value: -1 });
  await api.ok('PUT', `/api/threads/${t1.id}/accepted`, a.token, { postId: p1.id });
  await api.ok('POST', `/api/posts/${p2.id}/flags`, a.token, { reason: 'salah_informasi' });
  await api.ok('POST', '/api/visitors/me/verification', b.token, { nip: NIP, instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' });
  await api.ok('PATCH', '/api/visitors/me', c.token, { instansi: 'Dinas Pendidikan', yearsExperience: 4 });
  return { tokens: [a.token, b.token, c.token] as string[], members: [a.visitor.id, b.visitor.id, c.visitor.id] as string[], threads: [t1.id, t2.id] as string[] };
}

/** Every public read a widget makes; the store generation differs by design (clients reload once). */
async function publicReads(server: ChildServer, seeded: Awaited<ReturnType<typeof seed>>) {
  const api = client(server);
  const reads: Record<string, unknown> = {};
  const paths = [
    '/api/sites/kanreg1',
    '/api/sites/kanreg1/threads',
    '/api/sites/kanreg1/threads?status=unanswered',
    '/api/sites/kanreg1/threads?status=answered',
    '/api/sites/kanreg1/threads?q=pangkat',
    '/api/sites/kanreg1/threads?limit=1',
    ...seeded.threads.map((id) => `/api/threads/${id}`),
    ...seeded.members.map((id) => `/api/members/${id}`),
  ];
  for (const path of paths) reads[path] = await api.call('GET', path);
  for (const [i, token] of seeded.tokens.entries()) {
    reads[`me ${i}`] = await api.call('GET', '/api/visitors/me', token);
    reads[`verification ${i}`] = await api.call('GET', '/api/visitors/me/verification', token);
    for (const id of seeded.threads) reads[`thread ${id} as ${i}`] = await api.call('GET', `/api/threads/${id}`, token);
  }
  return JSON.parse(JSON.stringify(reads, (key, value) => (key === 'generation' ? '(generation)' : value)));
}

describe('npm run migrate-store', () => {
  it('copies a JSON store into an empty PostgreSQL schema; every public response is the same on both; a second copy is refused', async (t) => {
    const jsonDir = join(work, 'json');
    mkdirSync(jsonDir);
    const schema = await testSchema();
    t.after(schema.drop);
    await queryIn('public', `CREATE SCHEMA ${schema.name}`);
    const target = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema.name}`)}`;

    const onJson = await spawnServer(jsonDir);
    t.after(() => onJson.proc.kill('SIGKILL'));
    const seeded = await seed(onJson);
    const before = await publicReads(onJson, seeded);

    const whileRunning = await migrateStore(['--from', jsonDir, '--to', target]);
    assert.equal(whileRunning.code, 1, whileRunning.err);
    assert.match(whileRunning.err, /stop the server first/);
    onJson.proc.kill('SIGTERM');
    assert.equal(await onJson.exited, 0);

    const copied = await migrateStore(['--from', jsonDir, '--to', target]);
    assert.equal(copied.code, 0, copied.err);
    assert.match(copied.out, /3 members, 2 threads, 2 answers, 2 votes, 1 flags, 1 verification requests/);
    assert.match(copied.out, /checked: every count and sequence number matches the source/);
    assert.doesNotMatch(copied.out + copied.err, new RegExp(NIP), 'no NIP in the output');
    const [{ seq }] = await queryIn<{ seq: number }>(schema.name, `SELECT seq::int FROM site_seq WHERE site = 'kanreg1'`);
    assert.equal(seq, before['/api/sites/kanreg1/threads'].body.seq, "the site's sequence number moved with the data");

    const pgDir = join(work, 'pg-data');
    mkdirSync(pgDir);
    const onPg = await spawnServer(pgDir, { OSG_DATABASE_URL: target });
    t.after(() => onPg.proc.kill('SIGKILL'));
    assert.match(onPg.output(), /"kind":"postgres"/);
    assert.deepEqual(await publicReads(onPg, seeded), before);

    // (author, clientId) moved too: a retry after the move is recognised, not posted twice.
    const retry = await client(onPg).call('POST', `/api/threads/${seeded.threads[0]}/posts`, seeded.tokens[1], {
      body: 'Siapkan SK pangkat terakhir, PAK, dan SKP dua tahun terakhir.',
      clientId: 'seed-post-1',
    });
    assert.equal(retry.status, 200);
    const fresh = await client(onPg).ok('POST', '/api/sites/kanreg1/threads', seeded.tokens[2], {
      title: 'Pertanyaan setelah pindah',
      body: 'Apakah data lama tetap ada setelah server pindah ke PostgreSQL?',
      category: 'lainnya',
      clientId: 'after-move-1',
    });
    assert.equal(fresh.seq, seq + 1, 'numbering continues after the copied sequence');
    onPg.proc.kill('SIGTERM');
    assert.equal(await onPg.exited, 0);

    const again = await migrateStore(['--from', jsonDir, '--to', target]);
    assert.equal(again.code, 1);
    assert.match(again.err, /already holds data \(.*threads.*\).*nothing was written/);
    const [{ n }] = await queryIn<{ n: number }>(schema.name, 'SELECT count(*)::int AS n FROM threads');
    assert.equal(n, 3, 'the refused copy changed nothing');
  });

  it('refuses bad arguments with a usage line and never creates a store in a mistyped directory', async () => {
    const none = await migrateStore([]);
    assert.equal(none.code, 2);
    assert.match(none.err, /usage: npm run migrate-store -- --from/);
    const unknown = await migrateStore(['--from', work, '--into', 'x']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown argument "--into"/);
    const missing = await migrateStore(['--from', join(work, 'nope'), '--to', TEST_DATABASE_URL]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such directory/);
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const notStore = await migrateStore(['--from', empty, '--to', TEST_DATABASE_URL]);
    assert.equal(notStore.code, 2);
    assert.match(notStore.err, /not a JSON store/);
    const notPg = await migrateStore(['--from', work, '--to', 'mysql://localhost/x']);
    assert.equal(notPg.code, 2);
    assert.match(notPg.err, /--to must start with postgres:\/\//);
  });
});
