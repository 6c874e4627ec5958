/**
 * The officers' console in end-to-end runs and the screenshot script: officer accounts written before the
 * server starts, REST calls for visitors and officers, and a signed-in console page.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { OfficerAccount } from '../../../server/domain/officer-accounts.js';
import { hashPassword } from '../../../server/domain/passwords.js';
import type { CreateVisitorResponse, FollowUpRequestResponse, OfficerLoginResponse, ThreadView } from '../../../server/protocol.js';
import { clientId } from './harness.js';

export const CONSOLE_PASSWORD = 'kata-sandi-konsol-2026';

/** ani and budi work kanreg1; rina supervises it; api is for REST writes (one session per account). */
export const CONSOLE_OFFICERS = {
  ani: { name: 'Ani Wulandari' },
  budi: { name: 'Budi Santoso' },
  rina: { name: 'Rina Supervisor', role: 'supervisor' as const },
  api: { name: 'Petugas Layanan' },
};
export type ConsoleOfficer = keyof typeof CONSOLE_OFFICERS;

/** Writes `<dir>/officers.json` (the server reads it at start: OSG_DATA_DIR/officers.json). */
export async function writeConsoleOfficers(dir: string): Promise<void> {
  const passwordHash = await hashPassword(CONSOLE_PASSWORD);
  const accounts: OfficerAccount[] = Object.entries(CONSOLE_OFFICERS).map(([username, each]) => ({
    username,
    name: each.name,
    passwordHash,
    ...('role' in each ? { role: each.role } : {}),
    sites: ['kanreg1'],
  }));
  writeFileSync(join(dir, 'officers.json'), JSON.stringify(accounts));
}

export async function rest<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = res.status === 204 ? undefined : await res.json();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

export async function officerToken(base: string, username: ConsoleOfficer): Promise<string> {
  return (await rest<OfficerLoginResponse>(base, 'POST', '/api/officer/login', { username, password: CONSOLE_PASSWORD })).token;
}

/** A visitor asks and presses "Minta jawaban petugas" (the REST call behind the button). */
export async function askForFollowUp(
  base: string,
  question: { title: string; body: string; category?: string; name?: string },
): Promise<{ thread: ThreadView; tracking: string; visitorToken: string; identity: CreateVisitorResponse }> {
  const visitor = await rest<CreateVisitorResponse>(base, 'POST', '/api/visitors', question.name ? { name: question.name } : {});
  const thread = await rest<ThreadView>(base, 'POST', '/api/sites/kanreg1/threads', {
    title: question.title,
    body: question.body,
    category: question.category ?? 'lainnya',
    clientId: clientId('q'),
  }, visitor.token);
  const { followUp } = await rest<FollowUpRequestResponse>(base, 'POST', `/api/threads/${thread.id}/follow-up`, undefined, visitor.token);
  return { thread, tracking: followUp.tracking, visitorToken: visitor.token, identity: visitor };
}

/** The console at /admin/, signed in, on "Tindak lanjut" with its live link up. */
export async function openConsole(
  browser: Browser,
  base: string,
  username: ConsoleOfficer,
  viewport = { width: 1280, height: 900 },
  options: { bypassCSP?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport, ...options });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${base}/admin/`);
  await page.locator('osg-admin #username').fill(username);
  await page.locator('osg-admin #password').fill(CONSOLE_PASSWORD);
  await page.locator('osg-admin button[type="submit"]').click();
  await page.locator('osg-admin [part="live"][data-state="online"]').waitFor({ timeout: 20_000 });
  return page;
}

/** An inbox row, by tracking number. */
export function queueRow(page: Page, tracking: string): Locator {
  return page.locator(`osg-admin [part~="queue-row"][data-tracking="${tracking}"]`);
}
