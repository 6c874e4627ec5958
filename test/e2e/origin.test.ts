import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { spawnServer, type ChildServer } from '../support/child-server.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { part, stopServer } from './support/harness.js';

/** Requests the server logged (http lines at debug level, refused WebSocket upgrades), after `from` characters. */
function requestsLogged(server: ChildServer, from = 0): string[] {
  return server
    .output()
    .slice(from)
    .split('\n')
    .filter((line) => line.includes('"msg":"http"') || line.includes('"msg":"ws origin refused"'));
}

// A webmaster embeds the widget on a site whose origin the server does not list: the widget must say so and stop,
// not look offline and retry for ever.
describe('a page on an origin the server does not list', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osg-e2e-origin-'));
  let server: ChildServer;
  let pages: Server;
  let pagesPort = 0;
  let browser: Browser;

  before(async () => {
    // The host page's own server: the same page at http://127.0.0.1:P (unlisted) and http://localhost:P (listed).
    pages = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="id"><body><h1>Situs lain</h1>
        <script src="${server.url}/osg-konsultasi.js" defer></script>
        <osg-konsultasi site="kanreg1"></osg-konsultasi></body></html>`);
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pagesPort = (pages.address() as AddressInfo).port;
    server = await spawnServer(dataDir, {
      OSG_LOG_LEVEL: 'debug',
      OSG_SITES: JSON.stringify([{ id: 'kanreg1', name: 'Kanreg I', origins: [`http://localhost:${pagesPort}`] }]),
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
    if (server) await stopServer(server);
    pages?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(origin: string): Promise<Page> {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    // Timers run only when the test says so: a minute of backoff passes in an instant.
    await page.clock.install();
    await page.goto(`${origin}/`);
    return page;
  }

  it('says "Situs ini tidak diizinkan…", shows no offline state or ask form, and sends nothing after the refusal', async () => {
    const logged = server.output().length;
    const page = await open(`http://127.0.0.1:${pagesPort}`);
    await part(page, 'notice').filter({ hasText: 'Situs ini tidak diizinkan memakai layanan konsultasi.' }).waitFor();
    assert.equal((await part(page, 'status').innerText()).trim(), 'Tidak tersambung');
    assert.equal(await part(page, 'ask-form').count(), 0);
    assert.equal(await part(page, 'ask').count(), 0);

    // Every retry of the old widget (backoff up to 15 s) would fall in this minute.
    await page.clock.runFor(60_000);
    // Barrier: a request of our own, sent by the same page after anything the widget could have started.
    await page.evaluate((url) => fetch(`${url}/healthz?barrier`, { mode: 'no-cors' }).then(() => true), server.url);
    const deadline = Date.now() + 5000;
    while (!requestsLogged(server, logged).some((line) => line.includes('"path":"/healthz"'))) {
      assert.ok(Date.now() < deadline, 'the barrier request reached the server');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const requests = requestsLogged(server, logged).filter((line) => !line.includes('/healthz') && !line.includes('/osg-konsultasi.js'));
    // The site's settings and the first page of threads (logged without /api, as routed), both refused with a 403 the page could read.
    assert.deepEqual(requests.map((line) => /"path":"([^"]+)"/.exec(line)?.[1]).sort(), ['/sites/kanreg1', '/sites/kanreg1/threads']);
    assert.ok(requests.every((line) => line.includes('"status":403')), requests.join('\n'));
    await page.context().close();
  });

  it('says it in English on a lang="en" page', async () => {
    const page = await open(`http://127.0.0.1:${pagesPort}`);
    await part(page, 'notice').waitFor();
    await page.locator('osg-konsultasi').evaluate((element) => element.setAttribute('lang', 'en'));
    await part(page, 'notice').filter({ hasText: 'This site may not use the consultation service.' }).waitFor();
    assert.equal((await part(page, 'status').innerText()).trim(), 'Not connected');
    await page.context().close();
  });

  it('connects from the listed origin of the same page', async () => {
    const page = await open(`http://localhost:${pagesPort}`);
    await part(page, 'status').filter({ hasText: 'Tersambung' }).waitFor();
    assert.equal(await part(page, 'notice').count(), 0);
    await page.context().close();
  });
});
