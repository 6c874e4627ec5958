import { expect } from '@esm-bundle/chai';
import { SERVER, waitFor } from '../support/helpers.js';
import { cleanupAdmin, deep, deepActiveElement, deepAll, memberWithRequest, mountAdmin, openSection, typeInto } from './support/admin-helpers.js';
import { TEST_OFFICER } from './support/test-officer.mjs';

async function signIn(admin: HTMLElement, username: string, password: string): Promise<void> {
  const form = await waitFor(() => deep<HTMLFormElement>(admin, 'form[part="form"]'), 'the sign-in form');
  typeInto(deep(admin, '#username'), username);
  typeInto(deep(admin, '#password'), password);
  form.requestSubmit();
}

describe('officer sign-in', () => {
  afterEach(cleanupAdmin);

  it('refuses a wrong password with a clear message, read out, and keeps no token', async () => {
    const admin = mountAdmin(SERVER);
    await signIn(admin, TEST_OFFICER.username, 'bukan-kata-sandinya');
    const error = await waitFor(() => deep(admin, '#login-error')?.textContent?.trim(), 'the refusal');
    expect(error).to.equal('Nama pengguna atau kata sandi salah.');
    expect(deep(admin, '#login-error')!.getAttribute('role')).to.equal('alert');
    expect(deep<HTMLInputElement>(admin, '#password')!.value, 'password field cleared').to.equal('');
    expect(deep(admin, 'nav'), 'no officer menu').to.equal(undefined);
    expect(Object.keys(sessionStorage).filter((key) => key.startsWith('osg-admin:'))).to.deep.equal([]);
  });

  it('signs in with a real officer account, keeps the token in sessionStorage only, and signs out', async () => {
    const localBefore = JSON.stringify(localStorage);
    const admin = mountAdmin(SERVER);
    await signIn(admin, TEST_OFFICER.username, TEST_OFFICER.password);
    await waitFor(() => deep(admin, 'nav'), 'the officer menu');
    expect(admin.shadowRoot!.textContent).to.include(`Masuk sebagai ${TEST_OFFICER.name}`);
    const stored = Object.keys(sessionStorage).filter((key) => key.startsWith('osg-admin:'));
    expect(stored).to.have.length(1);
    expect(JSON.parse(sessionStorage.getItem(stored[0]!)!).token).to.be.a('string');
    expect(JSON.stringify(localStorage), 'nothing written to localStorage').to.equal(localBefore);
    // Focus moves to the first section's heading.
    await waitFor(() => deepActiveElement()?.id === 'followups-heading', 'focus on "Tindak lanjut", the landing section');

    deep<HTMLButtonElement>(admin, 'button[part="sign-out"]')!.click();
    await waitFor(() => deep(admin, 'osg-admin-login'), 'the sign-in form again');
    expect(Object.keys(sessionStorage).filter((key) => key.startsWith('osg-admin:'))).to.deep.equal([]);
  });
});

describe('approving a verification request', () => {
  afterEach(cleanupAdmin);

  it('shows a request made through the member API with its NIP decoded, and approval moves it out of the pending list', async () => {
    const name = `Sri Rahayu ${Math.random().toString(36).slice(2, 6)}`;
    const { memberId, nip } = await memberWithRequest(SERVER, {
      name,
      instansi: 'BKD Kab. Sleman',
      jabatan: 'Analis Kepegawaian',
      note: 'Mohon diverifikasi.',
    });
    const admin = mountAdmin(SERVER);
    await signIn(admin, TEST_OFFICER.username, TEST_OFFICER.password);
    await openSection(admin, 'requests');
    const card = await waitFor(
      () => deepAll(admin, 'li[part="request"]').find((each) => each.textContent!.includes(memberId)),
      'the pending request',
    );
    expect(card.textContent).to.include(name);
    expect(card.textContent).to.include(nip);
    expect(card.textContent).to.include('BKD Kab. Sleman');
    expect(card.textContent).to.include('Analis Kepegawaian');
    expect(card.textContent).to.include('Mohon diverifikasi.');
    expect(card.textContent).to.match(/12 Mar 1985/);
    expect(card.textContent).to.include('Pria');

    typeInto(card.querySelector('textarea'), 'Sesuai data SIASN.');
    (card.querySelector('button[part="approve"]') as HTMLButtonElement).click();
    await waitFor(() => !deepAll(admin, 'li[part="request"]').some((each) => each.textContent!.includes(memberId)), 'the request to leave the pending list');
    await waitFor(() => deep(admin, '[part="announcement"]')?.textContent?.includes('disetujui'), 'the announced result');

    // The approved list shows it, and the member now carries the verified badge.
    const select = deep<HTMLSelectElement>(deep(admin, 'osg-admin-requests')!.shadowRoot!, 'select')!;
    select.value = 'approved';
    select.dispatchEvent(new Event('change'));
    const approved = await waitFor(
      () => deepAll(admin, 'li[part="request"]').find((each) => each.textContent!.includes(memberId)),
      'the request among the approved',
    );
    expect(approved.textContent).to.include('Terverifikasi · Analis Kepegawaian · BKD Kab. Sleman');
    expect(approved.textContent).to.include('Sesuai data SIASN.');
  });

  it('opens the member from a request and shows the profile with the request history', async () => {
    const name = `Budi Santoso ${Math.random().toString(36).slice(2, 6)}`;
    const { memberId } = await memberWithRequest(SERVER, { name, instansi: 'Kanreg I BKN', jabatan: 'Pranata Komputer' });
    const admin = mountAdmin(SERVER);
    await signIn(admin, TEST_OFFICER.username, TEST_OFFICER.password);
    await openSection(admin, 'requests');
    const card = await waitFor(
      () => deepAll(admin, 'li[part="request"]').find((each) => each.textContent!.includes(memberId)),
      'the pending request',
    );
    ([...card.querySelectorAll('button')].find((button) => button.textContent!.includes('Lihat anggota')) as HTMLButtonElement).click();
    const profile = await waitFor(() => deep(admin, 'osg-admin-member') && deep(deep(admin, 'osg-admin-member')!.shadowRoot!, 'article'), 'the member profile');
    expect(profile.textContent).to.include(name);
    expect(profile.textContent).to.include('Pranata Komputer');
    expect(profile.textContent).to.include('Menunggu');
    await waitFor(() => deepActiveElement()?.id === 'member-heading', 'focus on "Anggota"');
  });
});
