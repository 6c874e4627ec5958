/**
 * What every end-to-end test needs: the built widget, a real server child on a temp data dir, Debian's
 * Chromium through playwright-core, a REST client for the "other visitor", and part-name locators.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { CreateVisitorResponse, PostView, ThreadView, ThreadWithPosts } from '../../../server/protocol.js';
import { spawnServer, type ChildServer } from '../../support/child-server.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WIDGET = join(ROOT, 'dist/widget/osg-konsultasi.js');

/** Fails the suite with one clear line instead of a page that silently never renders. */
export function requireBuiltWidget(): void {
  if (!existsSync(WIDGET)) throw new Error(`${WIDGET} is missing: run \`npm run build\` before \`npm run test:e2e\`.`);
}

export function tempDataDir(): { dir: string; remove(): void } {
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

// ---- browser ------------------------------------------------------------------------------------

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    timeout: 30_000,
  });
}

/** A fresh visitor: its own context means its own localStorage, so its own identity and outbox. */
export async function openDemo(browser: Browser, server: { url: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${server.url}/demo/`);
  return { context, page };
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

export async function openThread(page: Page, title: string): Promise<void> {
  await listedThread(page, title).locator('button').click();
  await part(page, 'question').filter({ hasText: title }).waitFor();
  await part(page, 'compose').waitFor();
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
    private readonly headers: Record<string, string>,
  ) {}

  /** A new anonymous visitor; `forwardedFor` makes it come from its own address, as behind a proxy. */
  static async create(base: string, name?: string, forwardedFor?: string): Promise<RestVisitor> {
    const headers: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
    const created = await call<CreateVisitorResponse>(base, 'POST', '/api/visitors', name ? { name } : {}, headers);
    return new RestVisitor(base, created.token, created.visitor.id, created.visitor.name, headers);
  }

  ask(question: { title: string; body: string; category?: string }): Promise<ThreadView> {
    const body = { category: 'lainnya', ...question, clientId: clientId('q') };
    return call(this.base, 'POST', '/api/sites/kanreg1/threads', body, this.auth());
  }

  answer(threadId: string, body: string): Promise<PostView> {
    return call(this.base, 'POST', `/api/threads/${threadId}/posts`, { body, clientId: clientId('a') }, this.auth());
  }

  private auth(): Record<string, string> {
    return { ...this.headers, authorization: `Bearer ${this.token}` };
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
 * Posts many items quickly the way a crowd would: each of `concurrency` workers acts as one visitor from its
 * own (forwarded) address, and becomes a new visitor when the server's per-member or per-address limits
 * refuse it. Nothing is stored by a refused post, so retrying it as someone else posts it once.
 */
export async function postAsCrowd<T, R>(
  base: string,
  items: readonly T[],
  concurrency: number,
  post: (visitor: RestVisitor, item: T, index: number) => Promise<R>,
): Promise<R[]> {
  let people = 0;
  const newcomer = () => {
    const n = ++people;
    return RestVisitor.create(base, undefined, `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
  };
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    let visitor = await newcomer();
    while (next < items.length) {
      const index = next++;
      for (let attempt = 0; ; attempt++) {
        try {
          results[index] = await post(visitor, items[index], index);
          break;
        } catch (error) {
          if (!(error instanceof HttpError) || error.code !== 'rate_limited' || attempt >= 5) throw error;
          visitor = await newcomer();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
