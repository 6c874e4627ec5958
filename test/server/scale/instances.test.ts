/**
 * Several real `server/main.ts` processes on one PostgreSQL schema and one Redis behind a round-robin proxy
 * (docs/SCALING.md): live delivery across instances, resume on another instance, and SIGKILL under writes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../../server/protocol.js';
import { startBalancer } from '../../support/balancer.js';
import { spawnServer, type ChildServer } from '../../support/child-server.js';
import { dropTestSchemas, queryIn } from '../../support/postgres.js';
import { clusterEnv } from '../../support/scale-rig.js';

after(dropTestSchemas);
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function cluster(t: { after: (fn: () => unknown) => void }, count = 2) {
  const { env, schema, drop } = await clusterEnv();
  t.after(drop);
  const instances: ChildServer[] = [];
  for (let i = 0; i < count; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'osg-instance-'));
    dirs.push(dir);
    const child = await spawnServer(dir, env);
    t.after(() => child.proc.kill('SIGKILL'));
    instances.push(child);
  }
  const balancer = await startBalancer(instances.map((c) => c.url));
  t.after(() => balancer.close());
  return { schema, instances, balancer };
}

/**
 * A widget's live connection as far as seq order goes (a gap shows as a missing number in `seqs`): resumes from its last seq (and generation) after any
 * close, through whatever URL it is given, and records every event seq it was sent.
 */
class Watcher {
  /** The seqs applied, as the widget applies them. */
  readonly seqs: number[] = [];
  resent = 0;
  generation: string | undefined;
  reconnects = 0;
  #ws: WebSocket | undefined;
  #stopped = false;

  constructor(private readonly url: string) {}

  start(): Promise<void> {
    return new Promise((resolve) => this.#connect(resolve));
  }

  #connect(welcomed?: () => void): void {
    if (this.#stopped) return;
    const ws = new WebSocket(this.url);
    this.#ws = ws;
    ws.on('open', () => {
      const last = this.seqs.at(-1);
      ws.send(JSON.stringify({ type: 'hello', v: 1, site: 'kanreg1', ...(last === undefined ? {} : { lastSeq: last, generation: this.generation }) }));
    });
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerMessage;
      if (frame.type === 'welcome') {
        if (this.seqs.length > 0) assert.equal(frame.resync, false, 'a resume within the replay window never needs a resync');
        this.generation = frame.generation;
        welcomed?.();
      }
      if (frame.type !== 'event' || frame.event.site !== 'kanreg1') return;
      // As the widget does (forum.controller.ts #apply): an event at or below the last applied seq is ignored.
      // The hub may re-send one that its instance's bus learnt of after this client resumed past it.
      if (frame.event.seq <= (this.seqs.at(-1) ?? 0)) this.resent++;
      else this.seqs.push(frame.event.seq);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.#stopped) return;
      this.reconnects++;
      setTimeout(() => this.#connect(), 50);
    });
  }

  async until(seq: number, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while ((this.seqs.at(-1) ?? 0) < seq) {
      if (Date.now() > end) throw new Error(`watcher reached ${this.seqs.at(-1)} of ${seq}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#ws?.close();
  }
}

let n = 0;
/** Posts a question, retrying the same clientId (idempotent) on 502/503 or a broken connection; the thread id once acknowledged. */
async function ask(base: string, token: string): Promise<string> {
  const clientId = `scale-${n++}-${Date.now()}`;
  const body = JSON.stringify({ title: `Pertanyaan skala nomor ${n}`, body: 'Isi pertanyaan yang cukup panjang.', category: 'cuti', clientId });
  for (let attempt = 0; attempt < 50; attempt++) {
    let res: Response;
    let json: any;
    try {
      res = await fetch(`${base}/api/sites/kanreg1/threads`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      json = await res.json();
    } catch {
      // The connection broke with the instance: the post may or may not be stored; the retry says which.
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (res.status === 201 || res.status === 200) return json.id;
    assert.ok([502, 503].includes(res.status), `unexpected ${res.status}: ${JSON.stringify(json)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('never acknowledged');
}

const wsUrl = (httpUrl: string) => `${httpUrl.replace('http', 'ws')}/ws`;

describe('several instances behind a proxy', () => {
  it('a widget on A sees live what was posted through B, and resumes on the other instance with no gap and no duplicate', async (t) => {
    const { instances, balancer } = await cluster(t);
    const [a, b] = instances as [ChildServer, ChildServer];
    const onA = new Watcher(wsUrl(a.url));
    await onA.start();
    t.after(() => onA.stop());
    const { token } = await (await fetch(`${balancer.url}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    for (let i = 0; i < 3; i++) await ask(b.url, token);
    await onA.until(3);
    assert.deepEqual(onA.seqs, [1, 2, 3]);

    // The same widget, its connection gone, comes back through B while more was posted.
    onA.stop();
    for (let i = 0; i < 2; i++) await ask(a.url, token);
    const resumed = new Watcher(wsUrl(b.url));
    resumed.seqs.push(...onA.seqs);
    resumed.generation = onA.generation;
    await resumed.start();
    t.after(() => resumed.stop());
    await ask(balancer.url, token);
    await resumed.until(6);
    assert.deepEqual(resumed.seqs, [1, 2, 3, 4, 5, 6]);
  });

  it('SIGKILL of one instance under writes: every acknowledged post is in PostgreSQL, and its widgets resume through the proxy', async (t) => {
    const { schema, instances, balancer } = await cluster(t);
    const [a] = instances as [ChildServer, ChildServer];
    const watchers = [0, 1, 2, 3].map(() => new Watcher(wsUrl(balancer.url)));
    for (const w of watchers) await w.start();
    t.after(() => watchers.forEach((w) => w.stop()));
    const { token } = await (await fetch(`${balancer.url}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();

    const acked: string[] = [];
    const total = 80;
    let killed = false;
    const writer = async () => {
      while (acked.length < total) {
        acked.push(await ask(balancer.url, token));
        if (!killed && acked.length >= 20) {
          killed = true;
          a.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    assert.equal(await a.exited, null, 'killed, not exited');

    const stored = await queryIn<{ id: string }>(schema, 'SELECT id FROM threads');
    const ids = new Set(stored.map((r) => r.id));
    assert.deepEqual(acked.filter((id) => !ids.has(id)), [], 'every acknowledged post is stored');
    assert.equal(new Set(acked).size, acked.length, 'a retried post is acknowledged as the same thread');
    const [{ seq }] = await queryIn<{ seq: number }>(schema, `SELECT seq::int FROM site_seq WHERE site = 'kanreg1'`);
    const everySeq = [...Array(seq)].map((_, i) => i + 1);
    for (const w of watchers) {
      await w.until(seq);
      assert.deepEqual(w.seqs, everySeq, 'no gap and no duplicate across the reconnect');
    }
    assert.ok(watchers.some((w) => w.reconnects > 0), 'some widgets were on the killed instance');
  });
});
