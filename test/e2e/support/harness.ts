/**
 * What every end-to-end test needs: the built widget, a real server child on a temp data dir, Debian's
 * Chromium through playwright-core, a REST client for the "other visitor", and part-name locators.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { CreateVisitorResponse, PostView, ThreadView, ThreadWithPosts } from '../../../server/protocol.js';
import { spawnServer, type ChildServer } from '../../support/child-server.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WIDGET = join(ROOT, 'dist/widget/osg-konsultasi.js');

/** Fails the suite with one clear line instead of a page that silently never renders. */
function requireBuiltWidget(): void {
  if (!existsSync(WIDGET)) throw new Error(`${WIDGET} is missing: run \`npm run build\` before \`npm run test:e2e\`.`);
}

function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'osg-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A server child on `dataDir`; `port` brings a restarted server back on the same address. It logs at info
 * because spawnServer learns the port from the "listening" line.
 */
export function startServer(dataDir: string, port = 0): Promise<ChildServer> {
  return spawnServer(dataDir, { PORT: String(port), OSG_SHUTDOWN_GRACE_MS: '3000' });
}

/** SIGTERM, as a process manager stops it, and wait for the exit. */
export async function stopServer(server: ChildServer): Promise<void> {
  if (server.proc.exitCode !== null || server.proc.signalCode !== null) return;
  server.proc.kill('SIGTERM');
  const code = await Promise.race([server.exited, delay(8000).then(() => 'timeout' as const)]);
  if (code === 'timeout') {
    server.proc.kill('SIGKILL');
    await server.exited;
  }
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a suite's hooks share. `server` is writable so that a suite can restart it; teardown stops the current one. */
export interface E2eRig {
  readonly dataDir: string;
  server: ChildServer;
  browser: Browser;
}

/**
 * Registers the hooks every browser suite needs: before, a built widget, a server child on a fresh data directory
 * and a browser; after, the browser closed, the server stopped and the directory deleted. `prepare` runs on the
 * data directory before the server starts. Call it first in a describe block, so that its `before` runs before
 * the suite's own (node:test runs hooks in the order they were registered).
 */
export function useServerAndBrowser(prepare?: (dataDir: string) => Promise<unknown>): E2eRig {
  const data = tempDataDir();
  const rig = { dataDir: data.dir } as E2eRig;
  before(async () => {
    requireBuiltWidget();
    await prepare?.(data.dir);
    rig.server = await startServer(data.dir);
    rig.browser = await launchBrowser();
  });
  after(async () => {
    await rig.browser?.close();
    if (rig.server) await stopServer(rig.server);
    data.remove();
  });
  return rig;
}

// ---- browser ------------------------------------------------------------------------------------

function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    timeout: 30_000,
  });
}

/** A fresh visitor: its own context means its own localStorage, so its own identity and outbox. */
async function openDemo(browser: Browser, server: { url: string }): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${server.url}/demo/`);
  return page;
}

/** `count` fresh visitors on the demo page, once each widget says it is connected. */
export async function openOnlineDemos(rig: E2eRig, count: number): Promise<Page[]> {
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) pages.push(await openDemo(rig.browser, rig.server));
  await Promise.all(pages.map((page) => waitOnline(page)));
  return pages;
}

/** Elements carrying a part name anywhere in the widget's (open) shadow trees. */
export function part(page: Page, name: string): Locator {
  return page.locator(`osg-konsultasi [part~="${name}"]`);
}

/** Stored answers in the open thread, not the ones still waiting in the outbox. */
export function storedAnswers(page: Page): Locator {
  return page.locator('osg-konsultasi [part~="answer"]:not([part~="pending"])');
}

/** A listed thread that the server has stored (not a pending question), found by its title. */
export function listedThread(page: Page, title: string): Locator {
  return page.locator('osg-konsultasi [part~="thread"]:not([part~="pending"])').filter({ hasText: title });
}

export async function waitOnline(page: Page, ms = 15_000): Promise<void> {
  await part(page, 'status').filter({ hasText: 'Tersambung' }).waitFor({ timeout: ms });
}

/** `ms`: how long the thread may take to show (a thread of thousands of answers needs more than the default). */
export async function openThread(page: Page, title: string, ms?: number): Promise<void> {
  await listedThread(page, title).locator('button').click();
  await part(page, 'question').filter({ hasText: title }).waitFor({ timeout: ms });
  await part(page, 'compose').waitFor({ timeout: ms });
}

/** Polls `probe` until it returns true; fails with `what` after `ms`. */
export async function eventually(what: string, probe: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > end) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await delay(25);
  }
}

// ---- the other visitor, over REST ---------------------------------------------------------------

let sequence = 0;
export const clientId = (prefix = 'e2e') => `${prefix}-${Date.now().toString(36)}-${(sequence++).toString(36)}`;

/** A refused request, with the server's stable error code. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string | undefined, message: string) {
    super(message);
  }
}

export class RestVisitor {
  private constructor(
    readonly base: string,
    readonly token: string,
    readonly id: string,
    readonly name: string,
  ) {}

  /** A new anonymous visitor. */
  static async create(base: string, name?: string): Promise<RestVisitor> {
    const created = await call<CreateVisitorResponse>(base, 'POST', '/api/visitors', name ? { name } : {});
    return new RestVisitor(base, created.token, created.visitor.id, created.visitor.name);
  }

  ask(question: { title: string; body: string; category?: string }): Promise<ThreadView> {
    const body = { category: 'lainnya', ...question, clientId: clientId('q') };
    return call(this.base, 'POST', '/api/sites/kanreg1/threads', body, this.auth());
  }

  answer(threadId: string, body: string): Promise<PostView> {
    return call(this.base, 'POST', `/api/threads/${threadId}/posts`, { body, clientId: clientId('a') }, this.auth());
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }
}

export function getThread(base: string, id: string): Promise<ThreadWithPosts> {
  return call(base, 'GET', `/api/threads/${id}`);
}

async function call<T>(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const all = { ...headers };
  if (body !== undefined) all['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { error?: { code?: string } };
  if (!res.ok) throw new HttpError(res.status, json.error?.code, `${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

/**
 * Posts many items quickly the way a crowd would: `concurrency` workers, each one visitor. The server child runs
 * with test/support/generous-trust.json (see spawnServer), so no limit refuses them; any refusal fails the test.
 */
export async function postAsCrowd<T, R>(
  base: string,
  items: readonly T[],
  concurrency: number,
  post: (visitor: RestVisitor, item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    const visitor = await RestVisitor.create(base);
    while (next < items.length) {
      const index = next++;
      results[index] = await post(visitor, items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
