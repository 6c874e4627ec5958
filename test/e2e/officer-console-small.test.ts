import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { askForFollowUp, openConsole, queueRow, writeConsoleOfficers } from './support/console.js';
import { useServerAndBrowser } from './support/harness.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's WCAG 2 A/AA rules over the console (it looks into the open shadow roots). */
async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> };
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<Result> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${JSON.stringify(node.target)}`));
  });
}

/** Wider than the viewport means a sideways scroll on a phone. */
function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe("the officers' console at 390 px", { timeout: 120_000 }, () => {
  const rig = useServerAndBrowser(writeConsoleOfficers);
  let page: Page;
  let tracking = '';

  before(async () => {
    ({ tracking } = await askForFollowUp(rig.server.url, {
      name: 'Sri Rahayu',
      title: 'Kapan berkas kenaikan pangkat periode April harus masuk ke BKN Kantor Regional?',
      body: 'Saya PNS golongan III/b. Berkas KP periode April paling lambat diunggah kapan, dan lewat SIASN atau instansi?',
    }));
    // axe is injected as a script tag, which the page's Content-Security-Policy would refuse.
    page = await openConsole(rig.browser, rig.server.url, 'rina', { width: 390, height: 844 }, { bypassCSP: true });
  });

  it('shows the inbox without sideways scrolling and without WCAG A/AA problems', async () => {
    await queueRow(page, tracking).waitFor();
    assert.equal(await overflow(page), 0);
    assert.deepEqual(await axeProblems(page), []);
  });

  it('shows a follow-up, its panel and due times without sideways scrolling or WCAG A/AA problems', async () => {
    await queueRow(page, tracking).locator('button.thread-title').click();
    const due = page.locator('osg-admin [part="follow-up-panel"] .due').first();
    await due.waitFor();
    assert.equal(await overflow(page), 0);
    // "sisa 4 jam kerja" and its date each stay on one line inside the panel.
    const panel = await page.locator('osg-admin [part="follow-up-panel"]').boundingBox();
    for (const box of await page.locator('osg-admin [part="follow-up-panel"] .due-left, osg-admin [part="follow-up-panel"] .due-date').evaluateAll((elements) =>
      elements.map((element) => element.getBoundingClientRect().toJSON() as { left: number; right: number }),
    )) {
      assert.ok(box.left >= panel!.x && box.right <= panel!.x + panel!.width, `a due time overflows the panel: ${JSON.stringify(box)}`);
    }
    assert.deepEqual(await axeProblems(page), []);
  });
});
