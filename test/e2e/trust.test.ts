import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { OFFICER, writeOfficers } from '../support/server.js';
import { eventually, getThread, openOnlineDemos, openThread, part, storedAnswers, useServerAndBrowser } from './support/harness.js';

// The acceptance: A answers, B rates it, an officer verifies A, and B's open widget shows A's
// verified badge without reloading.
describe('trust made visible, end to end', () => {
  // writeOfficers fills the default officers file of the data directory.
  const rig = useServerAndBrowser(writeOfficers);
  let a: Page;
  let b: Page;

  before(async () => {
    [a, b] = await openOnlineDemos(rig, 2);
  });

  const title = 'Apakah cuti besar bisa dipecah?';
  const answerText = 'Bisa, cuti besar dapat diambil sebagian sesuai PP 11/2017.';
  let threadId = '';

  /** The visitor token a page's widget keeps (its identity). */
  const tokenOf = (page: Page) =>
    page.evaluate((origin) => JSON.parse(localStorage.getItem(`osg-konsultasi:v1:${origin}`)!).token as string, rig.server.url);

  it('B asks, A answers, and B rates the answer: the score changes in both widgets', async () => {
    await part(b, 'ask').click();
    await part(b, 'title-input').fill(title);
    await part(b, 'compose').fill('Saya ingin mengambil cuti besar dua kali, masing-masing satu bulan.');
    await part(b, 'submit').click();
    await openThread(b, title);
    await openThread(a, title);
    await part(a, 'compose').fill(answerText);
    await part(a, 'submit').click();
    await storedAnswers(b).filter({ hasText: answerText }).waitFor();

    const answerB = storedAnswers(b).filter({ hasText: answerText });
    await answerB.locator('[part~="rating-up"]').click();
    await eventually('score 1 in B', async () => (await answerB.locator('[part~="score"]').textContent())?.trim() === '1');
    const answerA = storedAnswers(a).filter({ hasText: answerText });
    await eventually('score 1 in A, live', async () => (await answerA.locator('[part~="score"]').textContent())?.trim() === '1');
    assert.equal(await answerB.locator('[part~="rating-up"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await answerA.locator('[part~="rating-up"]').isDisabled(), true, 'A cannot rate their own answer');

    const list = await (await fetch(`${rig.server.url}/api/sites/kanreg1/threads`)).json();
    threadId = list.threads.find((t: { title: string }) => t.title === title).id;
    const stored = await getThread(rig.server.url, threadId);
    assert.deepEqual([stored.posts[0]!.up, stored.posts[0]!.score], [1, 1]);
  });

  it('an officer verifies A, and B sees the verified badge on A\'s answer without reloading', async () => {
    const answerB = storedAnswers(b).filter({ hasText: answerText });
    assert.equal(await answerB.locator('[part~="badge-verified"]').count(), 0);
    const tokenA = await tokenOf(a);
    const json = { 'content-type': 'application/json' };
    const asked = await fetch(`${rig.server.url}/api/visitors/me/verification`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${tokenA}` },
      body: JSON.stringify({ nip: '199001152015031002', instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' }),
    });
    assert.equal(asked.status, 201);
    const login = await (await fetch(`${rig.server.url}/api/officer/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: OFFICER.username, password: OFFICER.password }) })).json();
    const officer = { authorization: `Bearer ${login.token}` };
    const { requests } = await (await fetch(`${rig.server.url}/api/officer/verification-requests`, { headers: officer })).json();
    assert.equal(requests.length, 1);
    const approved = await fetch(`${rig.server.url}/api/officer/verification-requests/${requests[0].id}/approve`, { method: 'POST', headers: { ...officer, ...json }, body: '{}' });
    assert.equal(approved.status, 200);

    const badge = answerB.locator('[part~="badge-verified"]');
    await badge.waitFor({ timeout: 2000 });
    assert.match((await badge.textContent()) ?? '', /Terverifikasi.*Analis Kepegawaian.*BKD Kab\. Sleman/s);
    // Nothing personal reached B's page.
    assert.ok(!(await b.content()).includes('199001152015031002'));
  });

  it('the officer endorses A\'s answer and it shows "Dibenarkan petugas" live, first in the thread', async () => {
    const login = await (await fetch(`${rig.server.url}/api/officer/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: OFFICER.username, password: OFFICER.password }) })).json();
    const stored = await getThread(rig.server.url, threadId);
    const res = await fetch(`${rig.server.url}/api/officer/posts/${stored.posts[0]!.id}/endorsement`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
      body: JSON.stringify({ endorsed: true }),
    });
    assert.equal(res.status, 200);
    await storedAnswers(b).filter({ hasText: answerText }).locator('[part~="endorsed"]').waitFor({ timeout: 2000 });
  });
});
