import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { OFFICER, writeOfficers } from '../support/server.js';
import { clientId, eventually, listedThread, openOnlineDemos, openThread, part, useServerAndBrowser } from './support/harness.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's WCAG 2 A/AA rules over the widget (it looks into the open shadow roots): what they find. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> };
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<Result> } }).axe;
    const { violations } = await axe.run(document.querySelector('osg-konsultasi'), { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return violations.flatMap((v) => v.nodes.map((node) => `${v.id}: ${JSON.stringify(node.target)}`));
  });
}

// The acceptance, the widget's side: a visitor presses "Minta jawaban petugas" and gets a tracking
// number; an officer answers and marks it "selesai" over REST; the asker's open widget shows "Selesai" without a
// reload, and another visitor's list shows the chips live. The built widget on the demo page, real server.
describe("the asker's follow-up, end to end", () => {
  const rig = useServerAndBrowser(writeOfficers);
  let asker: Page;
  let reader: Page;

  before(async () => {
    [asker, reader] = await openOnlineDemos(rig, 2);
  });

  const title = 'Kapan berkas kenaikan pangkat periode April harus masuk?';
  const words = async (page: Page, name: string) => ((await part(page, name).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  let threadId = '';
  let tracking = '';

  it('the asker presses "Minta jawaban petugas" by keyboard and sees the tracking number, with focus on it', async () => {
    await part(asker, 'ask').click();
    await part(asker, 'title-input').fill(title);
    await part(asker, 'compose').fill('Saya PNS golongan III/b dan berkas sudah lengkap. Kapan paling lambat diserahkan?');
    await part(asker, 'submit').click();
    await openThread(asker, title);
    // Nobody else gets the button: it is in the asker's own thread only.
    await openThread(reader, title);
    const button = part(asker, 'follow-up-request');
    await button.waitFor();
    assert.equal((await button.textContent())?.trim(), 'Minta jawaban petugas');
    assert.equal(await part(reader, 'follow-up-request').count(), 0);

    assert.deepEqual(await axeViolations(asker), [], 'with the button');

    await button.focus();
    await asker.keyboard.press('Enter');
    const status = part(asker, 'follow-up-status');
    await status.waitFor();
    const shown = await words(asker, 'follow-up-status');
    assert.match(shown, /^Nomor tiket KR1-\d{4}-\d{6} · Baru$/);
    tracking = shown.match(/KR1-\d{4}-\d{6}/)![0];
    await eventually('focus on the tracking number', () => status.evaluate((element) => element.matches(':focus')));
    assert.deepEqual(await axeViolations(asker), [], 'with the tracking number');
    // The other visitor, in the same thread, sees the chip live and never the tracking number.
    await eventually('"Ditangani petugas" for the reader', async () => (await words(reader, 'follow-up-chip')) === 'Ditangani petugas');
    assert.equal(await part(reader, 'follow-up-status').count(), 0);
    assert.ok(!(await reader.content()).includes(tracking));

    const list = await (await fetch(`${rig.server.url}/api/sites/kanreg1/threads`)).json();
    threadId = list.threads.find((t: { title: string }) => t.title === title).id;
  });

  it('an officer answers and marks it selesai over REST; the asker sees "Selesai" and the reader the chip, live', async () => {
    await part(reader, 'back').click();
    await listedThread(reader, title).waitFor();
    const json = { 'content-type': 'application/json' };
    const login = await (await fetch(`${rig.server.url}/api/officer/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: OFFICER.username, password: OFFICER.password }) })).json();
    const officer = { ...json, authorization: `Bearer ${login.token}` };
    const view = await (await fetch(`${rig.server.url}/api/officer/threads/${threadId}`, { headers: officer })).json();
    assert.equal(view.followUp.tracking, tracking);
    const answered = await fetch(`${rig.server.url}/api/officer/threads/${threadId}/answers`, {
      method: 'POST',
      headers: officer,
      body: JSON.stringify({ body: 'Berkas periode April diterima paling lambat akhir Januari.', clientId: clientId('officer'), followUpVersion: view.followUp.version }),
    });
    assert.equal(answered.status, 201);
    await eventually('"Diproses" for the asker', async () => (await words(asker, 'follow-up-status')).endsWith(`${tracking} · Diproses`));

    const { followUp } = await answered.json();
    const resolved = await fetch(`${rig.server.url}/api/officer/threads/${threadId}/status`, {
      method: 'POST',
      headers: officer,
      body: JSON.stringify({ status: 'selesai', version: followUp.version }),
    });
    assert.equal(resolved.status, 200);
    await eventually('"Selesai" for the asker, live', async () => (await words(asker, 'follow-up-status')).endsWith(`${tracking} · Selesai`), 2000);
    assert.equal(await words(asker, 'follow-up-chip'), 'Selesai');
    const chip = listedThread(reader, title).locator('[part~="follow-up-chip"]');
    await eventually('"Selesai" in the reader\'s list, live', async () => ((await chip.textContent()) ?? '').trim() === 'Selesai', 2000);
  });
});
