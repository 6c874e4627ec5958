import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { askForFollowUp, openConsole, queueRow, writeConsoleOfficers } from './support/console.js';
import { ROOT, useServerAndBrowser } from './support/harness.js';

// Payloads of the public corpus as titles, questions and askers' names must show in the officers' inbox and
// thread view as the very text sent, and run nothing: no dialog, no handler, no element of their own.
const PAYLOADS = readFileSync(join(ROOT, '../shared/corpora/xss-payload-list.txt'), 'utf8').split('\n').filter((line) => line !== '');
const SAMPLE = PAYLOADS.filter((_, index) => index % Math.floor(PAYLOADS.length / 60) === 0).slice(0, 60);
const MARK = 'ujixss';

const codePoints = (text: string) => [...text];
const normalise = (text: string) => text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
/** A valid title (8–150) holding the payload, findable by MARK: the server folds whitespace in titles. */
const titleFor = (payload: string, index: number) => codePoints(`${MARK} ${index} ${normalise(payload).replace(/\s+/g, ' ')}`).slice(0, 150).join('').trim();
const bodyFor = (payload: string) => (codePoints(normalise(payload)).length < 10 ? `${payload} [muatan]` : payload);

// Elements the console never renders, so any of them came from a payload.
const FOREIGN = 'script, img, image, iframe, frame, svg, math, object, embed, video, audio, style, link, meta, base, marquee, body, xss, noscript, template';

// Plain JavaScript in a string: what tsx compiles into a function body may call helpers the page does not have.
const INSPECT = `(() => {
  const found = { foreign: [], handlers: [], links: [] };
  const walk = function (root) {
    for (const element of root.querySelectorAll('*')) {
      for (const attribute of element.attributes) if (/^on/i.test(attribute.name)) found.handlers.push(element.outerHTML.slice(0, 160));
      if (element.localName === 'a' && !/^https?:\\/\\//i.test(element.getAttribute('href') || '')) found.links.push(element.outerHTML.slice(0, 160));
      if (element.shadowRoot) walk(element.shadowRoot);
    }
    for (const element of root.querySelectorAll(${JSON.stringify(FOREIGN)})) found.foreign.push(element.outerHTML.slice(0, 160));
  };
  walk(document.querySelector('osg-admin').shadowRoot);
  return found;
})()`;

function inspect(page: Page): Promise<{ foreign: string[]; handlers: string[]; links: string[] }> {
  return page.evaluate(INSPECT);
}

describe("XSS payloads in the officers' console", { timeout: 180_000 }, () => {
  const rig = useServerAndBrowser(writeConsoleOfficers);
  const asked: Array<{ title: string; body: string; tracking: string }> = [];
  let page: Page;
  const dialogs: string[] = [];

  before(async () => {
    for (const [index, payload] of SAMPLE.entries()) {
      const title = titleFor(payload, index);
      const body = bodyFor(payload);
      // A payload that is not a valid display name (too long, reserved) asks under the default name.
      const name = normalise(payload).length >= 2 && codePoints(payload).length <= 40 ? payload : undefined;
      const made = await askForFollowUp(rig.server.url, { title, body, name }).catch(() => askForFollowUp(rig.server.url, { title, body }));
      asked.push({ title, body: normalise(body), tracking: made.tracking });
    }
    page = await openConsole(rig.browser, rig.server.url, 'ani');
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  it('lists every payload as its title, as text', async () => {
    await page.locator('osg-admin #fu-words').fill(MARK);
    await page.locator('osg-admin form.filters button[type="submit"]').click();
    await page.locator('osg-admin [part~="queue-row"]').first().waitFor();
    while (await page.locator('osg-admin [part="load-more"]').count()) {
      const before = await page.locator('osg-admin [part~="queue-row"]').count();
      await page.locator('osg-admin [part="load-more"]').click();
      await page.waitForFunction((n) => {
        const inbox = document.querySelector('osg-admin')!.shadowRoot!.querySelector('osg-admin-followups')!.shadowRoot!.querySelector('osg-admin-fu-inbox')!;
        return inbox.shadowRoot!.querySelectorAll('[part~="queue-row"]').length > n;
      }, before);
    }
    assert.equal(await page.locator('osg-admin [part~="queue-row"]').count(), asked.length);
    for (const { title, tracking } of asked) {
      assert.equal(await queueRow(page, tracking).locator('button.thread-title').textContent(), title, tracking);
    }
    const found = await inspect(page);
    assert.deepEqual(found, { foreign: [], handlers: [], links: [] });
  });

  it('shows a payload thread as text in the thread view, and runs nothing', async () => {
    for (const { title, body, tracking } of asked.slice(0, 8)) {
      await queueRow(page, tracking).locator('button.thread-title').click();
      const heading = page.locator('osg-admin #fu-thread-heading');
      await heading.waitFor();
      assert.equal(await heading.textContent(), title);
      assert.equal(await page.locator('osg-admin .question .text').textContent(), body);
      assert.deepEqual(await inspect(page), { foreign: [], handlers: [], links: [] });
      await page.locator('osg-admin button.back').click();
    }
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
  });
});
