import '../../../../widget/admin/osg-admin.js';
import type { OsgAdmin } from '../../../../widget/admin/osg-admin.js';

/** Adds <osg-admin> talking to `server`; removed by cleanupAdmin(). */
export function mountAdmin(server: string, lang = 'id'): OsgAdmin {
  const element = document.createElement('osg-admin');
  element.setAttribute('server', server);
  element.setAttribute('lang', lang);
  document.body.append(element);
  return element;
}

export function cleanupAdmin(): void {
  for (const element of document.querySelectorAll('osg-admin')) element.remove();
  for (const key of Object.keys(sessionStorage)) if (key.startsWith('osg-admin:')) sessionStorage.removeItem(key);
}

/** Every element matching `selector` in `root` and the shadow roots nested in it. */
export function deepAll<T extends Element = HTMLElement>(root: Element | ShadowRoot, selector: string): T[] {
  const found: T[] = [];
  const visit = (node: Element | ShadowRoot) => {
    found.push(...node.querySelectorAll<T>(selector));
    for (const element of node.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
  };
  visit(root instanceof Element && root.shadowRoot ? root.shadowRoot : root);
  return found;
}

export function deep<T extends Element = HTMLElement>(root: Element | ShadowRoot, selector: string): T | undefined {
  return deepAll<T>(root, selector)[0];
}

/** Types the way a person does (fires `input`). */
export function typeInto(field: Element | null | undefined, value: string): void {
  const input = field as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

/** The element that has focus, looking through shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

async function call<T>(server: string, path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const response = await fetch(server + path, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json as T;
}

let nipSequence = Math.floor(Math.random() * 800) + 100;

/** A valid NIP: born 12 March 1985, TMT CPNS January 2010, man, a fresh sequence number. */
export function validNip(): string {
  nipSequence = nipSequence >= 999 ? 101 : nipSequence + 1;
  return `198503122010011${nipSequence}`;
}

/** A member who asks to be verified through the real member API, as the widget would. */
export async function memberWithRequest(
  server: string,
  fields: { name: string; instansi: string; jabatan: string; note?: string },
): Promise<{ memberId: string; token: string; nip: string }> {
  const created = await call<{ token: string; visitor: { id: string } }>(server, '/api/visitors', { method: 'POST', body: { name: fields.name } });
  const nip = validNip();
  await call(server, '/api/visitors/me/verification', {
    method: 'POST',
    token: created.token,
    body: { nip, instansi: fields.instansi, jabatan: fields.jabatan, ...(fields.note ? { note: fields.note } : {}) },
  });
  return { memberId: created.visitor.id, token: created.token, nip };
}

/** Opens a section from the menu, as an officer does ("Tindak lanjut" is where they land). */
export async function openSection(admin: HTMLElement, section: string): Promise<void> {
  const deadline = Date.now() + 8000;
  let button: HTMLButtonElement | undefined;
  while (!(button = deep<HTMLButtonElement>(admin, `nav button[data-section="${section}"]`))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the menu button ${section}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  button.click();
}
