import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ThreadView } from '../../server/protocol.js';
import {
  getThread,
  openOnlineDemos,
  openThread,
  part,
  RestVisitor,
  startServer,
  stopServer,
  storedAnswers,
  useServerAndBrowser,
  waitOnline,
} from './support/harness.js';

describe('a visitor whose server restarts while a thread is open', () => {
  const rig = useServerAndBrowser();
  let page: Page;
  let thread: ThreadView;

  const whileDown = 'Jawaban yang ditulis saat server mati: ajukan lewat SIASN.';
  const afterRestart = 'Jawaban lewat REST tepat setelah server hidup lagi.';

  before(async () => {
    const asker = await RestVisitor.create(rig.server.url, 'Sri Wahyuni');
    thread = await asker.ask({ title: 'Bagaimana mengurus cuti besar?', body: 'Apa saja syarat cuti besar bagi PNS?', category: 'cuti' });
    [page] = await openOnlineDemos(rig, 1);
    await openThread(page, thread.title);
  });

  it('shows that it lost the connection soon after the server stops', async () => {
    await stopServer(rig.server);
    assert.equal(await rig.server.exited, 0, `the server did not stop cleanly:\n${rig.server.output()}`);
    // A SIGTERM tells the widget first (`unavailable`, then close 1001): it says so rather than "offline".
    await part(page, 'status').filter({ hasText: 'Server sedang tidak tersedia — mencoba lagi…' }).waitFor({ timeout: 3000 });
  });

  it('keeps an answer written while offline in its outbox, shown as waiting', async () => {
    await part(page, 'compose').fill(whileDown);
    await part(page, 'submit').click();
    const pending = page.locator('osg-konsultasi [part~="answer"][part~="pending"]');
    await pending.filter({ hasText: whileDown }).waitFor({ timeout: 2000 });
    assert.match(await pending.innerText(), /Menunggu koneksi/);
    assert.equal(await storedAnswers(page).count(), 0);
    assert.equal(await part(page, 'compose').inputValue(), '');
  });

  it('reconnects to the restarted server by itself and shows both answers, each once, without a reload', async () => {
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    rig.server = await startServer(rig.dataDir, rig.server.port);
    const other = await RestVisitor.create(rig.server.url, 'Agus');
    await other.answer(thread.id, afterRestart);

    // Backoff is capped and jittered: a few seconds of downtime can mean up to ~8 s before the next try.
    await waitOnline(page, 20_000);
    await storedAnswers(page).filter({ hasText: whileDown }).waitFor({ timeout: 5000 });
    await storedAnswers(page).filter({ hasText: afterRestart }).waitFor({ timeout: 5000 });
    await part(page, 'pending').waitFor({ state: 'detached' });
    assert.equal(await storedAnswers(page).count(), 2);
    assert.deepEqual(navigations, [], 'the page was reloaded');
  });

  it('stores the outbox answer exactly once', async () => {
    const { posts } = await getThread(rig.server.url, thread.id);
    assert.equal(posts.filter((post) => post.body === whileDown).length, 1);
    assert.equal(posts.filter((post) => post.body === afterRestart).length, 1);
    assert.equal(posts.length, 2);
  });
});
