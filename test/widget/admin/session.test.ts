import { expect } from '@esm-bundle/chai';
import { SERVER, waitFor } from '../support/helpers.js';
import { cleanupAdmin, deep, deepActiveElement, mountAdmin, typeInto } from './support/admin-helpers.js';
import { TEST_OFFICER } from './support/test-officer.mjs';

async function signIn(admin: HTMLElement, username = TEST_OFFICER.username, password = TEST_OFFICER.password): Promise<void> {
  const form = await waitFor(() => deep<HTMLFormElement>(admin, 'form[part="form"]'), 'the sign-in form');
  typeInto(deep(admin, '#username'), username);
  typeInto(deep(admin, '#password'), password);
  form.requestSubmit();
}

function storedToken(): string {
  const key = Object.keys(sessionStorage).find((each) => each.startsWith('osg-admin:'))!;
  return JSON.parse(sessionStorage.getItem(key)!).token;
}

async function auditWith(token: string): Promise<{ status: number; error?: { code: string; reason?: string } }> {
  const response = await fetch(`${SERVER}/api/officer/audit`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, error: (await response.json()).error };
}

/** The notice above the sign-in form, once the page is back there with the heading focused. */
async function backAtSignIn(admin: HTMLElement): Promise<string> {
  await waitFor(() => deepActiveElement()?.id === 'login-heading', 'focus on the sign-in heading');
  const heading = deepActiveElement()!;
  const notice = deep(admin, '#login-notice')!;
  expect(heading.getAttribute('aria-describedby'), 'the heading is described by the notice').to.equal('login-notice');
  expect(deep(admin, 'nav'), 'no officer menu').to.equal(undefined);
  expect(Object.keys(sessionStorage).filter((key) => key.startsWith('osg-admin:')), 'no token kept').to.deep.equal([]);
  return notice.textContent!.trim();
}

describe('signing out of the officers’ page', () => {
  afterEach(cleanupAdmin);

  it('"Keluar" ends the session on the server, not only in the page', async () => {
    const admin = mountAdmin(SERVER);
    await signIn(admin);
    await waitFor(() => deep(admin, 'nav'), 'the officer menu');
    const token = storedToken();
    expect((await auditWith(token)).status).to.equal(200);

    const button = deep<HTMLButtonElement>(admin, 'button[part="sign-out"]')!;
    expect(button.textContent!.trim()).to.equal('Keluar');
    button.click();
    expect(await backAtSignIn(admin)).to.equal('Anda telah keluar.');
    expect(await auditWith(token)).to.deep.equal({ status: 401, error: { code: 'session_ended', message: 'The officer session has ended; sign in again', reason: 'logout' } });
  });
});

describe('a session that ends elsewhere', () => {
  afterEach(cleanupAdmin);

  it('sends the page back to the sign-in form saying the account signed in elsewhere', async () => {
    const admin = mountAdmin(SERVER);
    await signIn(admin);
    await waitFor(() => deep(admin, 'nav'), 'the officer menu');
    // The same account signs in somewhere else.
    const other = await fetch(`${SERVER}/api/officer/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: TEST_OFFICER.username, password: TEST_OFFICER.password }),
    });
    expect(other.status).to.equal(200);
    // The next request of the page finds out.
    deep<HTMLButtonElement>(admin, 'button[data-section="audit"]')!.click();
    expect(await backAtSignIn(admin)).to.equal(
      'Sesi ini berakhir karena akun Anda masuk di perangkat atau tab lain. Jika itu bukan Anda, segera minta kata sandi diganti.',
    );
    // Signing in again works and shows the menu.
    await signIn(admin);
    await waitFor(() => deep(admin, 'nav'), 'the officer menu again');
  });

  it('says it in English on an English page', async () => {
    const admin = mountAdmin(SERVER, 'en');
    await signIn(admin);
    await waitFor(() => deep(admin, 'nav'), 'the officer menu');
    const token = storedToken();
    await fetch(`${SERVER}/api/officer/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    deep<HTMLButtonElement>(admin, 'button[data-section="flagged"]')!.click();
    expect(await backAtSignIn(admin)).to.equal('This session was ended with Sign out (perhaps in another tab); please sign in again.');
  });
});

describe('the sign-in lockout on the page', () => {
  afterEach(cleanupAdmin);

  it('tells, after five failures for a username, how many minutes to wait', async () => {
    const admin = mountAdmin(SERVER);
    // A username nobody has: the server answers it exactly as a real one, and no real account is locked.
    const username = `tidak-ada-${Math.random().toString(36).slice(2, 8)}`;
    for (let i = 0; i < 5; i++) {
      const refused = await fetch(`${SERVER}/api/officer/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'bukan-kata-sandinya' }),
      });
      expect((await refused.json()).error.code).to.equal('bad_credentials');
    }
    await signIn(admin, username, 'bukan-kata-sandinya');
    const error = await waitFor(() => (deep(admin, '#login-error')?.textContent?.includes('menit') ? deep(admin, '#login-error')!.textContent!.trim() : ''), 'the lockout message');
    expect(error).to.equal('Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini; coba lagi dalam 15 menit.');
    expect(deepActiveElement()?.id, 'focus stays on the password field').to.equal('password');
  });
});
