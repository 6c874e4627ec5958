import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ThreadView } from '../../server/protocol.js';
import { listedThread, openOnlineDemos, RestVisitor, startServer, useServerAndBrowser, waitOnline } from './support/harness.js';

describe('a widget holding a seq that the server hands out again after losing its journal tail', () => {
  const rig = useServerAndBrowser();
  let page: Page;
  let lost: ThreadView;

  before(async () => {
    const asker = await RestVisitor.create(rig.server.url, 'Rina');
    await asker.ask({ title: 'Pertanyaan pertama yang tetap ada', body: 'Apakah pertanyaan ini tetap tersimpan?' });
    [page] = await openOnlineDemos(rig, 1);
    lost = await asker.ask({ title: 'Pertanyaan yang nanti hilang dari jurnal', body: 'Pertanyaan ini hilang bersama ekor jurnal.' });
    await listedThread(page, lost.title).waitFor();
  });

  it('resyncs on reconnect and shows the new question that took the same seq', async () => {
    rig.server.proc.kill('SIGKILL');
    await rig.server.exited;
    // Storage that lied about a sync: the last acknowledged record is gone.
    const journal = join(rig.dataDir, readdirSync(rig.dataDir).filter((f) => /^journal-\d+\.ndjson$/.test(f)).sort().at(-1)!);
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    assert.equal(JSON.parse(lines.at(-1)!).r.event.seq, lost.seq);
    writeFileSync(journal, `${lines.slice(0, -1).join('\n')}\n`);

    rig.server = await startServer(rig.dataDir, rig.server.port);
    const other = await RestVisitor.create(rig.server.url, 'Dodi');
    const reused = await other.ask({ title: 'Pertanyaan baru dengan seq yang sama', body: 'Pertanyaan ini memakai nomor urut yang sama.' });
    assert.equal(reused.seq, lost.seq, 'the seq was handed out again');

    // Backoff is capped and jittered: a few seconds of downtime can mean up to ~8 s before the next try.
    await waitOnline(page, 20_000);
    await listedThread(page, reused.title).waitFor({ timeout: 5000 });
    await listedThread(page, lost.title).waitFor({ state: 'detached', timeout: 5000 });
  });
});
