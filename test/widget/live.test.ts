import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import type { ListThreadsResponse } from '../../server/protocol.js';
import { cleanup, mount, part, parts, question, RawClient, SERVER, type, waitFor } from './support/helpers.js';

const unique = (text: string) => `${text} ${Math.random().toString(36).slice(2, 8)}`;
const texts = (widget: Element, name: string) => parts(widget, name).map((element) => element.textContent!);
const liveRegion = (widget: Element) =>
  [...widget.shadowRoot!.querySelectorAll('[aria-live="polite"]')].map((region) => region.textContent).join(' ');

async function online(widget: Element) {
  await waitFor(() => part(widget, 'status')?.textContent!.includes('Tersambung'), 'Tersambung', 10_000);
}

async function openThread(widget: Element, title: string) {
  const item = await waitFor(() => parts(widget, 'thread').find((element) => element.textContent!.includes(title)), title);
  item.querySelector('button')!.click();
  await waitFor(() => part(widget, 'compose'), 'the open thread');
}

describe('live updates from other visitors', () => {
  afterEach(cleanup);

  it('shows a question asked by a second real client without a reload, and announces it', async () => {
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await online(widget);
    const other = await RawClient.connect();
    const title = unique('Apakah PPPK bisa mutasi antarinstansi?');
    await other.post(question(title));
    other.close();
    await waitFor(() => texts(widget, 'thread').some((text) => text.includes(title)), 'the new thread in the list');
    expect(texts(widget, 'thread')[0]).to.contain(title);
    expect(texts(widget, 'thread')[0]).to.contain('Budi Santoso');
    await waitFor(() => liveRegion(widget).includes(`Pertanyaan baru: ${title}`), 'the announcement');
  });

  it('shows answers from others in the open thread, announced, with the viewer count', async () => {
    const other = await RawClient.connect();
    const title = unique('Kapan SK pensiun diterbitkan?');
    const { thread } = await other.post(question(title));
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await online(widget);
    await openThread(widget, title);
    other.send({ type: 'watch', threadId: thread!.id });
    await waitFor(() => part(widget, 'viewers')?.textContent === '2 orang melihat', '2 orang melihat');
    await other.post({ type: 'answer', threadId: thread!.id, body: 'Biasanya 1 bulan sebelum TMT pensiun.' });
    await waitFor(() => texts(widget, 'answer').some((text) => text.includes('1 bulan sebelum TMT')), 'the answer');
    await waitFor(() => liveRegion(widget).includes('Jawaban baru dari Budi Santoso'), 'the announcement');
    other.close();
    await waitFor(() => part(widget, 'viewers')?.textContent === '1 orang melihat', 'back to 1 viewer');
  });
});

describe('posting an answer', () => {
  afterEach(cleanup);

  it('sends it over the socket and shows it once, also when answering several times', async () => {
    const other = await RawClient.connect();
    const title = unique('Bagaimana cara memperbarui data di SIASN?');
    const { thread } = await other.post(question(title));
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await online(widget);
    await openThread(widget, title);
    for (const body of ['Login ke MySAPK lalu pilih menu Riwayat.', 'Tambahan: unggah dokumen pendukung juga.']) {
      type(part(widget, 'compose'), body);
      part(widget, 'submit')!.click();
      await waitFor(() => parts(widget, 'answer').some((element) => element.dataset.postId && element.textContent!.includes(body)), body);
    }
    await waitFor(() => !parts(widget, 'pending').length, 'no pending answer left');
    expect(parts(widget, 'answer')).to.have.length(2);
    expect((part(widget, 'compose') as HTMLTextAreaElement).value).to.equal('');
    // The other visitor received both as live events.
    await waitFor(
      () => other.frames.filter((f) => f.type === 'event' && f.event.change.kind === 'post.created' && f.event.change.post.threadId === thread!.id).length === 2,
      'two post.created events at the other client',
    );
    other.close();
  });

  it('gives the text back with the reason when the server refuses it', async () => {
    const other = await RawClient.connect();
    const title = unique('Apakah tunjangan kinerja dibayar saat cuti?');
    await other.post(question(title));
    other.close();
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await online(widget);
    await openThread(widget, title);
    // A control character passes the length check in the browser; the server refuses it as invalid_text.
    const body = 'Ya, dibayar penuh\u0007 selama cuti tahunan.';
    type(part(widget, 'compose'), body);
    part(widget, 'submit')!.click();
    await waitFor(() => part(widget, 'error'), 'the refusal');
    expect(part(widget, 'error')!.textContent!.trim()).to.equal('Jawaban Anda berisi karakter yang tidak diizinkan.');
    expect((part(widget, 'compose') as HTMLTextAreaElement).value).to.equal(body);
    expect(parts(widget, 'answer')).to.have.length(0);
  });
});

describe('the outbox', () => {
  afterEach(cleanup);

  it('keeps a question written offline across a reload and sends it once the server is back', async () => {
    const { url } = await executeServerCommand<{ url: string }, { action: string; id: string }>('osg-server', { action: 'start', id: 'outbox' });
    let widget = mount({ site: 'kanreg1', server: url });
    await online(widget);
    await executeServerCommand('osg-server', { action: 'stop', id: 'outbox' });
    await waitFor(() => part(widget, 'status')!.textContent!.includes('Offline'), 'offline');

    const title = unique('Berkas kenaikan pangkat ditolak, apa sebabnya?');
    part(widget, 'ask')!.click();
    await waitFor(() => part(widget, 'title-input'), 'the ask form');
    type(part(widget, 'title-input'), title);
    (part(widget, 'category') as HTMLSelectElement).value = 'kenaikan-pangkat';
    part(widget, 'category')!.dispatchEvent(new Event('change'));
    type(part(widget, 'compose'), 'Status usulan saya BTS, apa yang harus saya perbaiki?');
    part(widget, 'submit')!.click();
    const pending = await waitFor(() => part(widget, 'pending'), 'the queued question');
    expect(pending.textContent).to.contain(title);
    expect(pending.textContent).to.contain('Menunggu koneksi');

    // A reload: the page's widget goes away and a new one starts from localStorage.
    widget.remove();
    widget = mount({ site: 'kanreg1', server: url });
    await waitFor(() => part(widget, 'pending')?.textContent!.includes(title), 'the queued question after reload');

    await executeServerCommand('osg-server', { action: 'start', id: 'outbox' });
    // The browser says the network is back; the widget retries at once instead of waiting out its backoff.
    window.dispatchEvent(new Event('online'));
    await online(widget);
    await waitFor(() => !part(widget, 'pending') && texts(widget, 'thread').some((text) => text.includes(title)), 'the sent question');
    expect(texts(widget, 'thread').filter((text) => text.includes(title))).to.have.length(1);
    expect(Object.keys(localStorage).filter((key) => key.includes(':outbox:'))).to.deep.equal([]);

    const stored: ListThreadsResponse = await (await fetch(`${url}/api/sites/kanreg1/threads`)).json();
    expect(stored.threads.filter((thread) => thread.title === title)).to.have.length(1);
    await executeServerCommand('osg-server', { action: 'stop', id: 'outbox' });
  });
});
