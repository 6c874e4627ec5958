import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { listedThread, openThread, part, RestVisitor, useServerAndBrowser, waitOnline, type E2eRig } from './support/harness.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's colour-contrast rule over the page (it looks into the widget's open shadow roots). */
async function contrastProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const { violations } = await (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ nodes: Array<{ target: unknown; any: Array<{ message: string }> }> }> }> } }).axe.run(document, { runOnly: ['color-contrast'] });
    return violations.flatMap((violation) => violation.nodes.map((node) => `${JSON.stringify(node.target)}: ${node.any[0]?.message}`));
  });
}

/** The demo page in a browser whose system setting is `scheme`, with the widget set to `theme`. */
async function openDemo(rig: E2eRig, browser: Browser, scheme: 'light' | 'dark', theme: string): Promise<Page> {
  const context = await browser.newContext({ colorScheme: scheme });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${rig.server.url}/demo/`);
  await page.locator('#theme').selectOption(theme);
  await waitOnline(page);
  return page;
}

const background = (page: Page) => part(page, 'base').evaluate((element) => getComputedStyle(element).backgroundColor);

describe('theme="auto"', () => {
  const rig = useServerAndBrowser();
  const title = 'Apakah tunjangan kinerja dibayar saat cuti?';

  before(async () => {
    const asker = await RestVisitor.create(rig.server.url, 'Pegawai Kulon Progo');
    const thread = await asker.ask({ title, body: 'Saya akan cuti besar tiga bulan mulai bulan depan.' });
    await (await RestVisitor.create(rig.server.url, 'Analis Gunungkidul')).answer(thread.id, 'Tergantung peraturan kepala daerah, lihat https://bkn.go.id.');
  });

  it('follows a dark system setting with readable contrast in the list, a thread and the ask form (the demo page included)', async () => {
    const page = await openDemo(rig, rig.browser, 'dark', 'auto');
    assert.equal(await background(page), 'rgb(17, 24, 39)', 'the dark background');
    await listedThread(page, title).waitFor();
    assert.deepEqual(await contrastProblems(page), []);
    await openThread(page, title);
    await part(page, 'rating-up').first().waitFor();
    assert.deepEqual(await contrastProblems(page), []);
    await part(page, 'back').click();
    await part(page, 'ask').click();
    await part(page, 'title-input').fill('Pendek');
    await part(page, 'submit').click();
    await part(page, 'ask-form').locator('[part~="error"]').first().waitFor();
    assert.deepEqual(await contrastProblems(page), []);
    await page.context().close();
  });

  it('stays light under a light system setting', async () => {
    const page = await openDemo(rig, rig.browser, 'light', 'auto');
    assert.equal(await background(page), 'rgb(255, 255, 255)');
    await listedThread(page, title).waitFor();
    assert.deepEqual(await contrastProblems(page), []);
    await page.context().close();
  });

  it('theme="dark" is dark under a light system setting, with readable contrast', async () => {
    const page = await openDemo(rig, rig.browser, 'light', 'dark');
    assert.equal(await background(page), 'rgb(17, 24, 39)');
    await listedThread(page, title).waitFor();
    assert.deepEqual(await contrastProblems(page), []);
    await page.context().close();
  });
});
