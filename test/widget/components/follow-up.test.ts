import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { ThreadView } from '../../../server/protocol.js';
import { TEST_API_OFFICER } from '../admin/support/test-officer.mjs';
import { cleanup, mount, officerToken, part, parts, RawClient, restAs, SERVER, waitFor } from '../support/helpers.js';

const unique = (text: string) => `${text} ${Math.random().toString(36).slice(2, 8)}`;
const words = (element: Element | undefined) => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
const identityKey = `osg-konsultasi:v1:${new URL(SERVER).origin}`;
const tokenInPage = () => (JSON.parse(localStorage.getItem(identityKey) ?? '{}') as { token?: string }).token;

/** The element that has focus, looking into shadow roots. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** A widget whose visitor asked a question (over REST, as that visitor) and has it open. */
async function askerWithThread(attributes: Record<string, string> = {}) {
  const widget = mount({ site: 'kanreg1', server: SERVER, ...attributes });
  await waitFor(() => part(widget, 'status')?.classList.contains('online'), 'online', 10_000);
  const token = await waitFor(tokenInPage, "the widget's identity");
  const title = unique('Kapan berkas kenaikan pangkat periode April harus masuk?');
  const thread = await restAs<ThreadView>(token, '/api/sites/kanreg1/threads', 'POST', {
    title,
    body: 'Saya PNS golongan III/b, berkas sudah lengkap. Kapan paling lambat diserahkan?',
    category: 'kenaikan-pangkat',
    clientId: `fu-${Math.random().toString(36).slice(2, 12)}`,
  });
  (await waitFor(() => parts(widget, 'thread').find((item) => item.textContent!.includes(title)), 'the question in the list'))
    .querySelector('button')!.click();
  return { widget, token, thread, title };
}

/** Moves the follow-up as an officer would: answer (baru → diproses), then `selesai`. */
async function officerResolves(threadId: string, until: 'diproses' | 'selesai') {
  const officer = await officerToken(TEST_API_OFFICER);
  const { followUp } = await restAs<{ followUp: { version: number } }>(officer, `/api/officer/threads/${threadId}`);
  const answered = await restAs<{ followUp: { version: number } }>(officer, `/api/officer/threads/${threadId}/answers`, 'POST', {
    body: 'Berkas periode April diterima paling lambat akhir Januari.',
    clientId: `officer-${Math.random().toString(36).slice(2, 12)}`,
    followUpVersion: followUp.version,
  });
  if (until === 'selesai') {
    await restAs(officer, `/api/officer/threads/${threadId}/status`, 'POST', { status: 'selesai', version: answered.followUp.version });
  }
}

describe("the asker's follow-up", () => {
  afterEach(cleanup);

  it('"Minta jawaban petugas" sends the request, then shows the tracking number and status, with focus on it', async () => {
    const { widget } = await askerWithThread();
    const button = await waitFor(() => part(widget, 'follow-up-request') as HTMLButtonElement | undefined, 'the request button');
    expect(words(button)).to.equal('Minta jawaban petugas');
    expect(part(widget, 'follow-up-chip')).to.equal(undefined);
    button.focus();
    await sendKeys({ press: 'Enter' });
    const status = await waitFor(() => part(widget, 'follow-up-status'), 'the tracking number');
    expect(words(status)).to.match(/^Nomor tiket KR1-\d{4}-\d{6} · Baru$/);
    expect(part(widget, 'follow-up-request')).to.equal(undefined);
    await waitFor(() => focused() === status, 'focus on the tracking number');
    expect(words(part(widget, 'follow-up-chip'))).to.equal('Ditangani petugas');
  });

  it('shows the sending state while the request is on its way, the button still focused', async () => {
    const { widget } = await askerWithThread();
    const button = await waitFor(() => part(widget, 'follow-up-request') as HTMLButtonElement | undefined, 'the request button');
    button.focus();
    button.click();
    // The render after the press shows it, before any answer can arrive (that takes a network round trip, the
    // render only microtasks); the button keeps focus (aria-disabled, not disabled).
    await ((button.getRootNode() as ShadowRoot).host as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    expect(words(button)).to.equal('Mengirim permintaan…');
    expect(button.getAttribute('aria-disabled')).to.equal('true');
    expect(focused()).to.equal(button);
    await waitFor(() => part(widget, 'follow-up-status'), 'the tracking number');
  });

  it('follows an officer live: Diproses after the answer, then Selesai, said in the live region', async () => {
    const { widget, thread } = await askerWithThread();
    (await waitFor(() => part(widget, 'follow-up-request'), 'the request button')).click();
    const status = await waitFor(() => part(widget, 'follow-up-status'), 'the tracking number');
    const tracking = words(status).match(/KR1-\d{4}-\d{6}/)![0];

    await officerResolves(thread.id, 'diproses');
    await waitFor(() => words(part(widget, 'follow-up-status')).endsWith(`${tracking} · Diproses`), 'Diproses, live');
    const host = (part(widget, 'follow-up-status')!.getRootNode() as ShadowRoot).host;
    const live = host.shadowRoot!.querySelector('[aria-live]')!;
    expect(words(live)).to.equal(`Tiket ${tracking}: Diproses`);
    const officer = await officerToken(TEST_API_OFFICER);
    const { followUp } = await restAs<{ followUp: { version: number } }>(officer, `/api/officer/threads/${thread.id}`);
    await restAs(officer, `/api/officer/threads/${thread.id}/status`, 'POST', { status: 'selesai', version: followUp.version });
    await waitFor(() => words(part(widget, 'follow-up-status')).endsWith(`${tracking} · Selesai`), 'Selesai, live');
    expect(words(part(widget, 'follow-up-chip'))).to.equal('Selesai');
    expect(words(live)).to.equal(`Tiket ${tracking}: Selesai`);
  });

  it('says in words why a request was refused, and keeps the button', async () => {
    const { widget } = await askerWithThread();
    const button = await waitFor(() => part(widget, 'follow-up-request') as HTMLButtonElement | undefined, 'the request button');
    // The stored token no longer works: the request is refused, retried with a new identity, and that visitor
    // is not the asker. A real refusal by the real server, in its own code.
    localStorage.setItem(identityKey, JSON.stringify({ ...JSON.parse(localStorage.getItem(identityKey)!), token: 'rusak' }));
    button.click();
    const error = await waitFor(() => parts(widget, 'error').find((element) => element.getAttribute('role') === 'alert'), 'the refusal');
    expect(words(error)).to.equal('Hanya penanya yang dapat meminta jawaban petugas.');
    expect(part(widget, 'follow-up-request')).to.exist;
    expect(part(widget, 'follow-up-status')).to.equal(undefined);
  });

  it('speaks English with lang="en"', async () => {
    const { widget } = await askerWithThread({ lang: 'en' });
    const button = await waitFor(() => part(widget, 'follow-up-request'), 'the request button');
    expect(words(button)).to.equal("Ask for an officer's answer");
    button.click();
    const status = await waitFor(() => part(widget, 'follow-up-status'), 'the tracking number');
    expect(words(status)).to.match(/^Tracking number KR1-\d{4}-\d{6} · New$/);
    expect(words(part(widget, 'follow-up-chip'))).to.equal('Handled by an officer');
  });
});

describe('the follow-up chip for every visitor', () => {
  afterEach(cleanup);

  it('shows "Ditangani petugas" in the list and the thread, and "Selesai" live once resolved; no button for others', async () => {
    const asker = await RawClient.connect();
    const title = unique('Apakah cuti besar bisa dipecah dua kali?');
    const { thread } = await asker.post({ type: 'ask', title, body: 'Saya ingin mengambil cuti besar dua kali, masing-masing satu bulan.', category: 'cuti' });
    await restAs(asker.token, `/api/threads/${thread!.id}/follow-up`, 'POST');

    const widget = mount({ site: 'kanreg1', server: SERVER });
    await waitFor(() => part(widget, 'status')?.classList.contains('online'), 'online', 10_000);
    const item = await waitFor(() => parts(widget, 'thread').find((element) => element.textContent!.includes(title)), 'the thread');
    const chipIn = (element: Element) => words(parts(widget, 'follow-up-chip').find((chip) => element.contains(chip)));
    expect(chipIn(item)).to.equal('Ditangani petugas');
    // A thread without a follow-up has no chip.
    const plain = parts(widget, 'thread').find((element) => !element.textContent!.includes(title) && !chipIn(element));
    if (plain) expect(chipIn(plain)).to.equal('');

    await officerResolves(thread!.id, 'selesai');
    await waitFor(() => chipIn(parts(widget, 'thread').find((element) => element.textContent!.includes(title))!) === 'Selesai', '"Selesai" in the list, live');

    parts(widget, 'thread').find((element) => element.textContent!.includes(title))!.querySelector('button')!.click();
    await waitFor(() => words(part(widget, 'heading')) === title, 'the thread');
    await waitFor(() => words(part(widget, 'follow-up-chip')) === 'Selesai', 'the chip in the thread');
    // Only the asker sees the request button or the tracking number.
    expect(part(widget, 'follow-up-request')).to.equal(undefined);
    expect(part(widget, 'follow-up-status')).to.equal(undefined);
    expect(words(part(widget, 'question'))).to.not.match(/KR1-\d{4}-\d{6}/);
    asker.close();
  });
});
