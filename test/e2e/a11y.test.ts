import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { listedThread, openOnlineDemos, part, useServerAndBrowser } from './support/harness.js';

/** The part names of the focused element, looking through shadow roots to the innermost one. */
function focusedPart(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.getAttribute('part') ?? null;
  });
}

/** Presses Tab until the focused element has the part; returns how many presses it took. */
async function tabTo(page: Page, name: string, most = 10): Promise<number> {
  for (let presses = 1; presses <= most; presses++) {
    await page.keyboard.press('Tab');
    if ((await focusedPart(page))?.split(/\s+/).includes(name)) return presses;
  }
  assert.fail(`${most} presses of Tab did not reach [part~="${name}"] (focus is on part "${await focusedPart(page)}")`);
}

describe('asking a question with the keyboard only', () => {
  const rig = useServerAndBrowser();
  let page: Page;

  before(async () => {
    [page] = await openOnlineDemos(rig, 1);
  });

  it('tells the connection state in a role="status" region', async () => {
    const status = page.getByRole('status');
    assert.equal(await status.count(), 1);
    assert.equal((await status.innerText()).trim(), 'Tersambung');
    assert.match((await status.getAttribute('part')) ?? '', /\bstatus\b/);
  });

  it('reaches the ask button with Tab and opens the form with Enter, moving focus into it', async () => {
    // From the top of the demo page: its two selects, maybe the name button, then the widget.
    await page.locator('body').focus();
    await tabTo(page, 'ask', 6);
    await page.keyboard.press('Enter');
    await part(page, 'title-input').waitFor();
    await page.waitForFunction(() => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element?.closest('[part~="ask-form"]') !== null && element?.localName === 'h2';
    });
  });

  it('names every field of the form by its visible label', async () => {
    const named = async (label: string) => (await page.getByLabel(label, { exact: true }).getAttribute('part')) ?? '';
    assert.match(await named('Judul'), /\btitle-input\b/);
    assert.match(await named('Topik'), /\bcategory\b/);
    assert.match(await named('Pertanyaan'), /\bcompose\b/);
    assert.equal(await page.getByRole('button', { name: 'Kirim', exact: true }).getAttribute('part'), 'submit');
  });

  it('sends the question typed and submitted with the keyboard', async () => {
    const title = 'Apakah cuti melahirkan memotong tunjangan?';
    const body = 'Saya PNS golongan III/a dan akan cuti melahirkan tiga bulan.';
    await tabTo(page, 'title-input', 2);
    await page.keyboard.type(title);
    await tabTo(page, 'category', 3);
    await page.keyboard.press('ArrowDown');
    const category = await part(page, 'category').inputValue();
    await tabTo(page, 'compose', 3);
    await page.keyboard.type(body);
    await tabTo(page, 'submit', 3);
    await page.keyboard.press('Enter');

    await listedThread(page, title).waitFor();
    const res = await fetch(`${rig.server.url}/api/sites/kanreg1/threads`);
    const { threads } = (await res.json()) as { threads: Array<{ title: string; body: string; category: string }> };
    assert.deepEqual(threads.map((t) => ({ title: t.title, body: t.body, category: t.category })), [{ title, body, category }]);
    // The demo preselects kenaikan-pangkat; ArrowDown moved to the next topic.
    assert.notEqual(category, 'kenaikan-pangkat');
  });
});
