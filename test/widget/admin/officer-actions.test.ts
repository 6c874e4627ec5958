import { expect } from '@esm-bundle/chai';
import { officerToken, question, RawClient, restAs, SERVER, waitFor } from '../support/helpers.js';
import { cleanupAdmin, deep, deepAll, memberWithRequest, mountAdmin, typeInto } from './support/admin-helpers.js';
import { TEST_API_OFFICER, TEST_OFFICER } from './support/test-officer.mjs';

const asOfficer = <T>(token: string, path: string, method = 'GET', body?: unknown) => restAs<T>(token, path, method, body);
const apiOfficerToken = () => officerToken(TEST_API_OFFICER);

/** A member verified by the test officer through the real API. */
async function verifiedMember(): Promise<{ memberId: string; name: string; token: string }> {
  const name = `Dewi Lestari ${Math.random().toString(36).slice(2, 6)}`;
  const { memberId } = await memberWithRequest(SERVER, { name, instansi: 'BKD Kab. Bantul', jabatan: 'Analis SDM Aparatur' });
  const token = await apiOfficerToken();
  const { requests } = await asOfficer<{ requests: Array<{ id: string; member: { id: string } }> }>(token, '/api/officer/verification-requests?status=pending');
  const request = requests.find((each) => each.member.id === memberId)!;
  await asOfficer(token, `/api/officer/verification-requests/${request.id}/approve`, 'POST', {});
  return { memberId, name, token };
}

async function signedIn(): Promise<HTMLElement> {
  const admin = mountAdmin(SERVER);
  const form = await waitFor(() => deep<HTMLFormElement>(admin, 'form[part="form"]'), 'the sign-in form');
  typeInto(deep(admin, '#username'), TEST_OFFICER.username);
  typeInto(deep(admin, '#password'), TEST_OFFICER.password);
  form.requestSubmit();
  await waitFor(() => deep(admin, 'nav'), 'the sections');
  return admin;
}

function showSection(admin: HTMLElement, section: string): void {
  deep<HTMLButtonElement>(admin, `button[data-section="${section}"]`)!.click();
}

describe('revoking a badge', () => {
  afterEach(cleanupAdmin);

  it('asks for confirmation first, as reversing votes does, and revokes only after "Ya"', async () => {
    const { memberId, name, token } = await verifiedMember();
    const admin = await signedIn();
    showSection(admin, 'member');
    const member = await waitFor(() => deep(admin, 'osg-admin-member'), 'the member section');
    typeInto(deep(member.shadowRoot!, '#member-id'), memberId);
    deep<HTMLFormElement>(member.shadowRoot!, 'form')!.requestSubmit();
    const revoke = await waitFor(() => deep<HTMLButtonElement>(member.shadowRoot!, 'button[part="revoke"]'), 'Cabut verifikasi');
    typeInto(deep(member.shadowRoot!, '#revoke-note'), 'Pindah jabatan.');
    revoke.click();
    const confirm = await waitFor(() => deep(member.shadowRoot!, '[part="confirm"]'), 'the confirmation');
    expect(confirm.textContent).to.contain(name);
    expect(confirm.textContent).to.contain('Terverifikasi');
    const still = await asOfficer<{ profile: { verified?: unknown } }>(token, `/api/officer/members/${memberId}`);
    expect(still.profile.verified, 'nothing revoked before the officer confirms').to.not.equal(undefined);

    deep<HTMLButtonElement>(member.shadowRoot!, 'button[part="confirm-yes"]')!.click();
    await waitFor(() => deep(member.shadowRoot!, '.result')?.textContent?.includes('dicabut'), 'the result');
    const after = await asOfficer<{ profile: { verified?: unknown } }>(token, `/api/officer/members/${memberId}`);
    expect(after.profile.verified).to.equal(undefined);
  });
});

describe('the audit log', () => {
  afterEach(cleanupAdmin);

  it('says what happened in words, with the officer\'s note, in Bahasa Indonesia and in English', async () => {
    const { memberId, token } = await verifiedMember();
    await asOfficer(token, `/api/officer/members/${memberId}/revoke-verification`, 'POST', { note: 'NIP milik orang lain.' });
    for (const [lang, revoked, approved, note] of [
      ['id', 'Verifikasi dicabut', 'Verifikasi disetujui', 'Catatan petugas:'],
      ['en', 'Verification revoked', 'Verification approved', "Officer's note:"],
    ]) {
      cleanupAdmin();
      const admin = await signedIn();
      admin.setAttribute('lang', lang);
      showSection(admin, 'audit');
      const audit = await waitFor(() => deep(admin, 'osg-admin-audit'), 'the audit section');
      typeInto(deep(audit.shadowRoot!, 'input'), memberId);
      deep<HTMLFormElement>(audit.shadowRoot!, 'form')!.requestSubmit();
      const rows = await waitFor(() => {
        const found = deepAll(audit, 'tr[part="entry"]');
        return found.length === 2 ? found : undefined;
      }, `two entries (${lang})`);
      const text = rows.map((row) => row.textContent!.replace(/\s+/g, ' ')).join('\n');
      expect(text).to.contain(revoked);
      expect(text).to.contain(approved);
      expect(text).to.contain(`${note} NIP milik orang lain.`);
      expect(text).not.to.match(/verification\.(approve|revoke)|requestId/);
      expect(text.replaceAll(note, '')).not.to.contain('note:');
    }
  });
});

describe('endorsing', () => {
  afterEach(cleanupAdmin);

  it('is not offered on an answer an officer removed', async () => {
    const author = await RawClient.connect();
    const title = `Apakah cuti sakit memotong TPP? ${Math.random().toString(36).slice(2, 6)}`;
    const { thread } = await author.post(question(title));
    const kept = await author.post({ type: 'answer', threadId: thread!.id, body: 'Tidak, selama ada surat dokter.' });
    const removed = await author.post({ type: 'answer', threadId: thread!.id, body: 'Beli surat dokter saja di internet.' });
    author.close();
    await asOfficer(await apiOfficerToken(), `/api/officer/posts/${removed.post!.id}/remove`, 'POST', {});

    const admin = await signedIn();
    showSection(admin, 'answer');
    const section = await waitFor(() => deep(admin, 'osg-admin-answer'), 'the answer section');
    const open = await waitFor(
      () => deepAll<HTMLButtonElement>(section, 'button.thread-title').find((button) => button.textContent!.includes(title)),
      'the question',
    );
    // The site comes from the officer's account as a list, never typed.
    const site = section.shadowRoot!.querySelector<HTMLSelectElement>('select#site')!;
    expect(site.value).to.equal('kanreg1');
    expect([...site.options].map((option) => option.value)).to.include('kanreg1');
    open.click();
    const post = (id: string) => deep(section.shadowRoot!, `li[part="post"][data-post="${id}"]`);
    await waitFor(() => post(kept.post!.id) && post(removed.post!.id), 'both answers');
    expect(post(kept.post!.id)!.querySelector('button[part="endorse"]')).to.not.equal(null);
    expect(post(removed.post!.id)!.querySelector('button[part="endorse"]')).to.equal(null);
  });
});
