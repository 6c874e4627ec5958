import type { FollowUpRequestResponse, ThreadView } from '../../../../server/protocol.js';
import { SERVER, waitFor } from '../../support/helpers.js';
import { deep, deepAll, typeInto } from './admin-helpers.js';

let sequence = 0;

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(SERVER + path, {
    method: 'POST',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json as T;
}

/** A visitor asks and presses "Minta jawaban petugas" (its REST call). */
export async function requestFollowUp(title: string, name = 'Sri Rahayu'): Promise<{ thread: ThreadView; tracking: string }> {
  const visitor = await post<{ token: string }>('/api/visitors', { name });
  const thread = await post<ThreadView>('/api/sites/kanreg1/threads', {
    title,
    body: 'Bagaimana prosedurnya dan dokumen apa saja yang perlu disiapkan?',
    category: 'kenaikan-pangkat',
    clientId: `fu-test-${Date.now().toString(36)}-${sequence++}`,
  }, visitor.token);
  const { followUp } = await post<FollowUpRequestResponse>(`/api/threads/${thread.id}/follow-up`, undefined, visitor.token);
  return { thread, tracking: followUp.tracking };
}

/** A word no other test's title contains. */
export function uniqueWord(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 8)}`;
}

export async function signInConsole(admin: HTMLElement, account: { username: string; password: string }): Promise<void> {
  const form = await waitFor(() => deep<HTMLFormElement>(admin, 'form[part="form"]'), 'the sign-in form');
  typeInto(deep(admin, '#username'), account.username);
  typeInto(deep(admin, '#password'), account.password);
  form.requestSubmit();
  await waitFor(() => deep(admin, '[part="live"][data-state="online"]'), 'the console online', 20_000);
}

export function inboxRow(admin: HTMLElement, tracking: string): HTMLElement | undefined {
  return deepAll(admin, '[part~="queue-row"]').find((row) => row.dataset.tracking === tracking);
}

/** Applies the words filter as an officer does, once the filters are shown (they wait for the officer's sites): type, submit. */
export async function searchWords(admin: HTMLElement, words: string): Promise<void> {
  typeInto(await waitFor(() => deep(admin, '#fu-words'), 'the words filter'), words);
  deep<HTMLFormElement>(admin, 'form.filters')!.requestSubmit();
}
