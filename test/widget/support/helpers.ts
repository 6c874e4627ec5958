import type { ServerMessage } from '../../../server/protocol.js';
import '../../../widget/osg-konsultasi.js';
import type { OsgKonsultasi } from '../../../widget/osg-konsultasi.js';

declare global {
  interface Window {
    __OSG_SERVER__: string;
  }
}

/** The real server the test runner started (web-test-runner.config.mjs). */
export const SERVER = window.__OSG_SERVER__;

/** Waits until `check` returns something truthy, or fails with `what`. */
export async function waitFor<T>(check: () => T, what: string, timeoutMs = 8000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Adds a widget to the page; removed by cleanup(). */
export function mount(attributes: Record<string, string>): OsgKonsultasi {
  const element = document.createElement('osg-konsultasi');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  document.body.append(element);
  return element;
}

export function cleanup(): void {
  for (const element of document.querySelectorAll('osg-konsultasi')) element.remove();
  for (const key of Object.keys(localStorage)) if (key.startsWith('osg-konsultasi:')) localStorage.removeItem(key);
}

/** Every element with this part name, through the nested shadow roots (what `::part()` can reach). */
export function parts(host: Element, name: string): HTMLElement[] {
  const found: HTMLElement[] = [];
  const visit = (root: ShadowRoot) => {
    for (const element of root.querySelectorAll<HTMLElement>('*')) {
      if (element.part.contains(name)) found.push(element);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  if (host.shadowRoot) visit(host.shadowRoot);
  return found;
}

export function part(host: Element, name: string): HTMLElement | undefined {
  return parts(host, name)[0];
}

/** Types into an input or textarea the way a visitor does (fires `input`). */
export function type(field: HTMLElement | undefined, value: string): void {
  const input = field as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

/** A second visitor talking to the server directly, as another browser would. */
export class RawClient {
  readonly frames: ServerMessage[] = [];
  private socket!: WebSocket;
  token = '';

  static async connect(server = SERVER, site = 'kanreg1'): Promise<RawClient> {
    const client = new RawClient();
    const response = await fetch(`${server}/api/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Budi Santoso' }),
    });
    client.token = (await response.json()).token;
    client.socket = new WebSocket(`${server.replace(/^http/, 'ws')}/ws`);
    client.socket.onmessage = (event) => client.frames.push(JSON.parse(event.data));
    await new Promise((resolve, reject) => {
      client.socket.onopen = resolve;
      client.socket.onerror = reject;
    });
    client.send({ type: 'hello', v: 1, site, token: client.token });
    await waitFor(() => client.frames.find((frame) => frame.type === 'welcome'), 'welcome');
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** Sends a frame that expects an ack and returns the ack. */
  async post(frame: { type: 'ask' | 'answer'; [key: string]: unknown }) {
    const clientId = `raw${Math.random().toString(36).slice(2, 12)}`;
    this.send({ ...frame, clientId });
    const ack = await waitFor(
      () => this.frames.find((m) => (m.type === 'ack' || m.type === 'error') && m.clientId === clientId),
      `ack of ${clientId}`,
    );
    if (ack.type !== 'ack') throw new Error(`refused: ${JSON.stringify(ack)}`);
    return ack;
  }

  close(): void {
    this.socket.close();
  }
}

/** A question the server accepts (title and body within the limits). */
export function question(title: string) {
  return {
    type: 'ask' as const,
    title,
    body: 'Bagaimana prosedurnya dan dokumen apa saja yang perlu disiapkan?',
    category: 'kenaikan-pangkat',
  };
}

/** A JSON call to the server's REST API with a bearer token; a refusal throws with the error body. */
export async function restAs<T>(token: string, path: string, method = 'GET', body?: unknown): Promise<T> {
  const response = await fetch(`${SERVER}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
  return json as T;
}

/** Signs an officer account in through the API (ending that account's older session) and returns the token. */
export async function officerToken(account: { username: string; password: string }): Promise<string> {
  const response = await fetch(`${SERVER}/api/officer/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`officer sign-in: ${JSON.stringify(json)}`);
  return json.token as string;
}

