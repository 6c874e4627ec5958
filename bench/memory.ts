/**
 * Memory per connected client: the server runs in a child process; its resident set (/proc/<pid>/status
 * VmRSS) and JS heap are read after forced garbage collections (through the child's inspector) with no
 * clients, then with N subscribed ones (`hello`, no `watch`). Baseline, measured the same way in the
 * same run: bench/lib/bare-ws-server.ts holding the same N connections.
 *
 *   node --import tsx bench/memory.ts
 *   BENCH_MEMORY_CLIENTS=2000 (default)
 */
import {
  Fleet,
  SITE,
  kib,
  machine,
  openFileLimit,
  ratio,
  residentBytes,
  settle,
  spawnBareServer,
  spawnOsgServer,
  table,
  until,
  type Child,
} from './lib/harness.js';

const CLIENTS = Number(process.env.BENCH_MEMORY_CLIENTS ?? 2000);

interface Reading {
  rss: number;
  heap: number;
}

interface Result {
  idle: Reading;
  loaded: Reading;
}

async function read(server: Child): Promise<Reading> {
  const { heapUsed } = await settle(server.inspector!);
  return { rss: residentBytes(server.pid), heap: heapUsed };
}

async function measure(server: Child, n: number): Promise<Result> {
  let fleet: Fleet | undefined;
  try {
    const idle = await read(server);
    fleet = await Fleet.open(`ws://127.0.0.1:${server.port}/ws`, n);
    let welcomed = 0;
    const seen = new Uint8Array(n);
    fleet.onFrame = (i) => {
      if (!seen[i]) {
        seen[i] = 1;
        welcomed++;
      }
    };
    fleet.sendAll(JSON.stringify({ type: 'hello', v: 1, site: SITE }));
    await until(() => welcomed === n, 60_000, `${n} welcome frames`);
    const loaded = await read(server);
    return { idle, loaded };
  } finally {
    await fleet?.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  console.log(`# Server memory per subscribed client, ${CLIENTS} clients, after forced GC`);
  console.log(`# ${machine()}; server and baseline each in a child process, clients in this one; 127.0.0.1`);
  if (CLIENTS + 256 > openFileLimit()) {
    console.log(`# NOTE: open-file limit is ${openFileLimit()}; raise it (ulimit -n ${CLIENTS + 1024}) to hold ${CLIENTS} clients`);
    process.exitCode = 1;
    return;
  }
  const osg = await measure(await spawnOsgServer({ inspect: true }), CLIENTS);
  const bare = await measure(await spawnBareServer(600, { inspect: true }), CLIENTS);

  const perClient = (r: Result, k: keyof Reading) => (r.loaded[k] - r.idle[k]) / CLIENTS;
  const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
  const row = (name: string, r: Result) => [
    name,
    mib(r.idle.rss),
    mib(r.loaded.rss),
    kib(perClient(r, 'rss')),
    mib(r.idle.heap),
    mib(r.loaded.heap),
    kib(perClient(r, 'heap')),
  ];
  console.log(`\nServer process memory, idle vs ${CLIENTS} clients (MiB), and the difference per client (KiB)\n`);
  console.log(
    table(
      ['server', 'RSS idle', `RSS ${CLIENTS}`, 'RSS/client', 'heap idle', `heap ${CLIENTS}`, 'heap/client'],
      [row('osg', osg), row('bare ws', bare), ['osg / bare', '', '', ratio(perClient(osg, 'rss'), perClient(bare, 'rss')), '', '', ratio(perClient(osg, 'heap'), perClient(bare, 'heap'))]],
    ),
  );
}

await main();
