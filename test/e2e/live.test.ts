import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { getThread, listedThread, openOnlineDemos, openThread, part, storedAnswers, useServerAndBrowser } from './support/harness.js';

// The promise of the widget: what one visitor posts, every other visitor sees without reloading.
const LIVE_MS = 1000;

describe('two visitors on the demo page', () => {
  const rig = useServerAndBrowser();
  let asker: Page;
  let helper: Page;

  before(async () => {
    [asker, helper] = await openOnlineDemos(rig, 2);
  });

  const title = 'Berapa lama proses kenaikan pangkat pilihan?';
  const question = 'Saya mengajukan usul kenaikan pangkat pilihan bulan lalu.\nKapan biasanya SK terbit?';
  const answer = 'Biasanya 2–3 bulan setelah berkas lengkap; pantau statusnya di SIASN.';

  it('shows a question asked through the ask form in the other visitor’s list within 1 s', async () => {
    await part(asker, 'ask').click();
    await part(asker, 'title-input').fill(title);
    await part(asker, 'category').selectOption('pensiun');
    await part(asker, 'compose').fill(question);
    await part(asker, 'submit').click();
    const sent = Date.now();

    await listedThread(helper, title).waitFor({ timeout: LIVE_MS });
    const seen = Date.now() - sent;
    assert.ok(seen <= LIVE_MS, `the question reached the other visitor after ${seen} ms`);
    // The asker's own list settles too: the question leaves the outbox and is listed once, stored.
    await listedThread(asker, title).waitFor();
    await part(asker, 'pending').waitFor({ state: 'detached' });
    assert.equal(await listedThread(asker, title).count(), 1);
    assert.equal(await listedThread(helper, title).count(), 1);
  });

  it('stores the question with the topic and text the visitor entered', async () => {
    const res = await fetch(`${rig.server.url}/api/sites/kanreg1/threads?q=${encodeURIComponent('pangkat pilihan')}`);
    const { threads } = (await res.json()) as { threads: Array<{ title: string; body: string; category: string }> };
    assert.equal(threads.length, 1);
    assert.deepEqual(
      { title: threads[0].title, body: threads[0].body, category: threads[0].category },
      { title, body: question, category: 'pensiun' },
    );
  });

  it('counts both visitors as viewers while both have the thread open', async () => {
    await openThread(asker, title);
    await openThread(helper, title);
    await part(asker, 'viewers').filter({ hasText: /^\s*2 orang melihat\s*$/ }).waitFor({ timeout: 3000 });
    await part(helper, 'viewers').filter({ hasText: /^\s*2 orang melihat\s*$/ }).waitFor({ timeout: 3000 });
  });

  it('shows an answer given through the thread view to the asker within 1 s', async () => {
    assert.equal(await storedAnswers(asker).count(), 0);
    await part(helper, 'compose').fill(answer);
    await part(helper, 'submit').click();
    const sent = Date.now();

    await storedAnswers(asker).filter({ hasText: answer }).waitFor({ timeout: LIVE_MS });
    const seen = Date.now() - sent;
    assert.ok(seen <= LIVE_MS, `the answer reached the asker after ${seen} ms`);
    assert.equal(await storedAnswers(asker).count(), 1);
    // The answerer sees it stored once, not as a pending copy beside the stored one.
    await storedAnswers(helper).filter({ hasText: answer }).waitFor();
    await part(helper, 'pending').waitFor({ state: 'detached' });
    assert.equal(await storedAnswers(helper).count(), 1);
    assert.equal(await part(helper, 'compose').inputValue(), '');
  });

  it('stores the answer exactly once', async () => {
    const { threads } = (await (await fetch(`${rig.server.url}/api/sites/kanreg1/threads`)).json()) as { threads: Array<{ id: string }> };
    const { thread, posts } = await getThread(rig.server.url, threads[0].id);
    assert.equal(thread.title, title);
    assert.deepEqual(posts.map((post) => post.body), [answer]);
    assert.equal(thread.status, 'answered');
  });

  it('drops the viewer count to 1 when the other visitor goes back to the list', async () => {
    await part(helper, 'back').click();
    await part(asker, 'viewers').filter({ hasText: /^\s*1 orang melihat\s*$/ }).waitFor({ timeout: 3000 });
  });
});
