/** The widget on instance A shows, live, a question asked through instance B (PostgreSQL + Redis, docs/SCALING.md). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { spawnServer, type ChildServer } from '../support/child-server.js';
import { dropTestSchemas } from '../support/postgres.js';
import { clusterEnv } from '../support/scale-rig.js';
import { listedThread, RestVisitor, stopServer, waitOnline } from './support/harness.js';

const LIVE_MS = 2000;

describe('a widget on one instance and a visitor on another', () => {
  const dirs: string[] = [];
  const instances: ChildServer[] = [];
  let browser: Browser;
  let page: Page;
  let dropSchema: () => Promise<void>;

  before(async () => {
    const { env, drop } = await clusterEnv();
    dropSchema = drop;
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'osg-e2e-scale-'));
      dirs.push(dir);
      instances.push(await spawnServer(dir, env));
    }
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      timeout: 30_000,
    });
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    await page.goto(`${instances[0]!.url}/demo/`);
    await waitOnline(page);
  });

  after(async () => {
    await browser?.close();
    for (const instance of instances) await stopServer(instance);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await dropSchema?.();
    await dropTestSchemas();
  });

  it(`lists a question asked through instance B within ${LIVE_MS} ms, without reloading`, async () => {
    const other = await RestVisitor.create(instances[1]!.url);
    const title = 'Apakah cuti besar bisa diambil bertahap?';
    const sent = Date.now();
    await other.ask({ title, body: 'Saya ingin mengambil cuti besar dalam dua tahap, apakah boleh?' });
    await listedThread(page, title).waitFor({ timeout: LIVE_MS });
    const seen = Date.now() - sent;
    assert.ok(seen <= LIVE_MS, `the question reached the widget on A after ${seen} ms`);
    assert.equal(await listedThread(page, title).count(), 1);
  });
});
