import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ThreadWithPosts } from '../../server/protocol.js';
import { CONSOLE_OFFICERS, openConsole, queueRow, rest, writeConsoleOfficers } from './support/console.js';
import { listedThread, openOnlineDemos, openThread, part, storedAnswers, useServerAndBrowser } from './support/harness.js';

// The promise: a follow-up reaches an officer's inbox within a second of the asker's request.
const LIVE_MS = 1000;

describe("the officers' console working a follow-up with a visitor's widget", { timeout: 120_000 }, () => {
  const rig = useServerAndBrowser(writeConsoleOfficers);
  let visitor: Page;
  let ani: Page;
  let budi: Page;
  let threadId = '';
  let tracking = '';
  const title = 'Pensiun janda: dokumen apa saja yang perlu disiapkan?';

  before(async () => {
    [visitor] = await openOnlineDemos(rig, 1);
    ani = await openConsole(rig.browser, rig.server.url, 'ani');
    budi = await openConsole(rig.browser, rig.server.url, 'budi');
  });

  it("shows the asker's request in officer A's inbox within 1 s, with its tracking number", async () => {
    await part(visitor, 'ask').click();
    await part(visitor, 'title-input').fill(title);
    await part(visitor, 'category').selectOption('pensiun');
    await part(visitor, 'compose').fill('Suami saya PNS dan meninggal bulan lalu. Apa saja yang harus saya lengkapi?');
    await part(visitor, 'submit').click();
    await listedThread(visitor, title).waitFor();
    await part(visitor, 'pending').waitFor({ state: 'detached' });
    const { threads } = await rest<{ threads: Array<{ id: string; title: string }> }>(rig.server.url, 'GET', '/api/sites/kanreg1/threads');
    threadId = threads.find((each) => each.title === title)!.id;

    // The asker presses "Minta jawaban petugas" under their own question.
    await openThread(visitor, title);
    await part(visitor, 'follow-up-request').click();
    const requested = Date.now();
    const status = part(visitor, 'follow-up-status');
    await status.waitFor();
    tracking = /KR1-\d{4}-\d{6}/.exec(await status.innerText())?.[0] ?? '';
    assert.match(tracking, /^KR1-\d{4}-\d{6}$/);
    const row = queueRow(ani, tracking);
    await row.waitFor({ timeout: LIVE_MS });
    const seen = Date.now() - requested;
    assert.ok(seen <= LIVE_MS, `the follow-up reached the inbox after ${seen} ms`);
    assert.match(await row.innerText(), new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.equal(await row.locator('[data-status]').innerText(), 'Baru');
    await ani.waitForFunction(() => /^\(1\) Tindak lanjut — OSG$/.test(document.title));
  });

  it('shows officer A that officer B is looking at the thread', async () => {
    await queueRow(ani, tracking).locator('button.thread-title').click();
    await ani.locator('osg-admin [part="follow-up-panel"]').waitFor();
    await queueRow(budi, tracking).locator('button.thread-title').click();
    await budi.locator('osg-admin [part="follow-up-panel"]').waitFor();
    await ani.locator('osg-admin [part="presence"]').filter({ hasText: `${CONSOLE_OFFICERS.budi.name} sedang melihat` }).waitFor({ timeout: 3000 });
    await budi.locator('osg-admin [part="presence"]').filter({ hasText: `${CONSOLE_OFFICERS.ani.name} sedang melihat` }).waitFor({ timeout: 3000 });
    // Typing shows as typing.
    await budi.locator('osg-admin #reply').pressSequentially('Sebentar', { delay: 20 });
    await ani.locator('osg-admin [part="presence"]').filter({ hasText: `${CONSOLE_OFFICERS.budi.name} sedang mengetik` }).waitFor({ timeout: 3000 });
  });

  it("puts A's answer in the visitor's widget with the officer badge, and the follow-up is Diproses", async () => {
    const answer = 'Siapkan surat keterangan kematian, akta nikah, dan SK pensiun terakhir, lalu ajukan lewat BKD.';
    await ani.locator('osg-admin #reply').fill(answer);
    await ani.locator('osg-admin [part="send"]').click();
    await ani.locator('osg-admin [part="follow-up-panel"] [data-status="diproses"]').waitFor();
    const shown = storedAnswers(visitor).filter({ hasText: answer });
    await shown.waitFor({ timeout: 3000 });
    // The badge sits in the author's own shadow root, which locators pierce and innerText does not.
    await shown.getByText('Petugas BKN', { exact: true }).first().waitFor();
    await part(visitor, 'follow-up-status').filter({ hasText: 'Diproses' }).waitFor({ timeout: 3000 });
    const thread = await rest<ThreadWithPosts>(rig.server.url, 'GET', `/api/threads/${threadId}`);
    assert.deepEqual(thread.thread.followUp, { tracking, status: 'diproses' });
    // Budi's page heard of it: his draft gets the changes above it.
    await budi.locator('osg-admin [part="stale"]').filter({ hasText: `${CONSOLE_OFFICERS.ani.name} menjawab` }).waitFor({ timeout: 3000 });
    assert.equal(await budi.locator('osg-admin #reply').inputValue(), 'Sebentar');
  });

  it("marks it Selesai, which the visitor's widget shows", async () => {
    await ani.locator('osg-admin [part="move"][data-status="selesai"]').click();
    await ani.locator('osg-admin [part="follow-up-panel"] [data-status="selesai"]').waitFor();
    await ani.locator('osg-admin .history').filter({ hasText: 'Diproses → Selesai' }).waitFor();
    await part(visitor, 'follow-up-status').filter({ hasText: 'Selesai' }).waitFor({ timeout: 3000 });
    const thread = await rest<ThreadWithPosts>(rig.server.url, 'GET', `/api/threads/${threadId}`);
    assert.deepEqual(thread.thread.followUp, { tracking, status: 'selesai' });
    // Officer B's inbox row follows live.
    await budi.locator('osg-admin button.back').click();
    await queueRow(budi, tracking).locator('[data-status="selesai"]').waitFor({ timeout: 3000 });
  });
});
