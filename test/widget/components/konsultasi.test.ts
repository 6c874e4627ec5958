import { expect } from '@esm-bundle/chai';
import { missingCatalogue } from '../../../widget/i18n.js';
import { cleanup, mount, part, parts, RawClient, question, SERVER, type, waitFor } from '../support/helpers.js';

const PUBLIC_PARTS = ['thread-list', 'thread', 'ask', 'title-input', 'compose', 'submit', 'question', 'answer', 'status'];

describe('<osg-konsultasi> on a page', () => {
  afterEach(cleanup);

  it('with lang="en" waits for the English words and shows no Bahasa Indonesia first', async () => {
    // First in this file: the English catalogue comes with the on-demand module, which nothing has loaded yet.
    expect(missingCatalogue('en')).to.equal(true);
    const widget = mount({ site: 'kanreg1', server: SERVER, lang: 'en' });
    const status = await waitFor(() => part(widget, 'status'), 'the first render');
    expect(['Connecting…', 'Connected']).to.include(status.textContent!.trim());
    await waitFor(() => part(widget, 'ask')?.textContent!.trim() === 'Ask a question', 'English ask button');
  });

  it('can be loaded twice without breaking the page', async () => {
    const first = customElements.get('osg-konsultasi');
    // A second evaluation of the entry module, as when a CMS block and a theme both add the script tag.
    await import(`../../../widget/osg-konsultasi.ts?again=${Date.now()}`);
    expect(customElements.get('osg-konsultasi')).to.equal(first);
  });

  it('shows every public part, each reachable with ::part() from the page', async () => {
    const author = await RawClient.connect();
    const ack = await author.post(question('Syarat kenaikan pangkat reguler golongan III?'));
    await author.post({ type: 'answer', threadId: ack.thread!.id, body: 'Lihat Peraturan BKN Nomor 4 Tahun 2023.' });
    author.close();

    const style = document.createElement('style');
    style.textContent = PUBLIC_PARTS.map((name) => `osg-konsultasi::part(${name}) { outline: 3px dotted rgb(1, 2, 3); }`).join('\n');
    document.head.append(style);
    const seen = new Set<string>();
    const look = () => {
      for (const name of PUBLIC_PARTS) {
        for (const element of parts(widget, name)) {
          if (getComputedStyle(element).outlineColor === 'rgb(1, 2, 3)') seen.add(name);
        }
      }
    };
    const widget = mount({ site: 'kanreg1', server: SERVER });
    try {
      await waitFor(() => part(widget, 'thread'), 'a listed thread');
      expect(part(widget, 'status')!.getAttribute('role')).to.equal('status');
      look();
      part(widget, 'ask')!.click();
      await waitFor(() => part(widget, 'title-input'), 'the ask form');
      look();
      part(widget, 'cancel')!.click();
      await waitFor(() => part(widget, 'thread'), 'the list again');
      (part(widget, 'thread')!.querySelector('button') as HTMLButtonElement).click();
      await waitFor(() => part(widget, 'answer'), 'the open thread with its answer');
      look();
    } finally {
      style.remove();
    }
    expect([...seen].sort()).to.deep.equal([...PUBLIC_PARTS].sort());
  });

  it('speaks Bahasa Indonesia by default and English with lang="en", switching live', async () => {
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await waitFor(() => part(widget, 'status')?.textContent!.includes('Tersambung'), 'Tersambung');
    expect(part(widget, 'ask')!.textContent!.trim()).to.equal('Ajukan pertanyaan');
    widget.setAttribute('lang', 'en');
    await widget.updateComplete;
    expect(part(widget, 'status')!.textContent!.trim()).to.equal('Connected');
    await waitFor(() => part(widget, 'ask')!.textContent!.trim() === 'Ask a question', 'English ask button');
  });

  it('shows "Offline" in the status part when the server cannot be reached', async () => {
    const widget = mount({ site: 'kanreg1', server: 'http://127.0.0.1:9' });
    await widget.updateComplete;
    expect(part(widget, 'status')!.textContent!.trim()).to.equal('Menghubungkan…');
    await waitFor(() => part(widget, 'status')!.textContent!.includes('Offline'), 'offline status');
    expect(part(widget, 'status')!.textContent!.trim()).to.equal('Offline — pesan akan dikirim saat tersambung kembali');
    await waitFor(() => part(widget, 'error'), 'the list error');
    expect(part(widget, 'error')!.textContent).to.contain('Tidak dapat menghubungi server.');
  });

  it('says so when the site is unknown to the server', async () => {
    const widget = mount({ site: 'kanreg99', server: SERVER });
    await waitFor(() => part(widget, 'notice'), 'a notice');
    expect(part(widget, 'notice')!.textContent).to.contain('Situs ini belum terdaftar');
  });

  it('moves focus to the heading of each view it opens', async () => {
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await waitFor(() => part(widget, 'ask'), 'the list');
    part(widget, 'ask')!.click();
    await waitFor(() => part(widget, 'title-input'), 'the ask form');
    const heading = await waitFor(() => {
      const view = widget.shadowRoot!.querySelector('osg-ask-form');
      return view?.shadowRoot!.activeElement;
    }, 'focus inside the ask form');
    expect(heading.localName).to.equal('h2');
    expect(heading.textContent).to.equal('Pertanyaan baru');
  });
});

describe('the display name', () => {
  afterEach(cleanup);

  it('changes with "Ubah": focus goes to the name, the new name shows, focus returns to "Ubah"', async () => {
    const widget = mount({ site: 'kanreg1', server: SERVER });
    const edit = await waitFor(() => {
      const button = part(widget, 'name-edit') as HTMLButtonElement | undefined;
      return button?.disabled === false ? button : undefined;
    }, 'the "Ubah" button');
    edit.click();
    // The form comes with the on-demand module.
    const input = await waitFor(() => part(widget, 'name') as HTMLInputElement | undefined, 'the name input', 10_000);
    await waitFor(() => input.getRootNode() instanceof ShadowRoot && (input.getRootNode() as ShadowRoot).activeElement === input, 'focus on the name');
    const name = `Rina ${Math.random().toString(36).slice(2, 6)}`;
    input.value = name;
    part(widget, 'name-save')!.click();
    await waitFor(() => part(widget, 'identity')!.textContent!.includes(name), 'the new name');
    await waitFor(() => widget.shadowRoot!.activeElement === part(widget, 'name-edit'), 'focus back on "Ubah"');
  });
});

describe('the ask form', () => {
  afterEach(cleanup);

  async function openForm(attributes: Record<string, string> = {}) {
    const widget = mount({ site: 'kanreg1', server: SERVER, ...attributes });
    await waitFor(() => part(widget, 'ask'), 'the list');
    part(widget, 'ask')!.click();
    await waitFor(() => (part(widget, 'category') as HTMLSelectElement)?.options.length > 2, 'topics from the site');
    return widget;
  }

  it('preselects the topic named by the category attribute', async () => {
    const widget = await openForm({ category: 'pensiun' });
    expect((part(widget, 'category') as HTMLSelectElement).value).to.equal('pensiun');
  });

  it('shows the site limits and counts characters as the visitor types', async () => {
    const widget = await openForm();
    const form = part(widget, 'ask-form')!;
    expect(form.textContent).to.contain('8–150 karakter');
    expect(form.textContent).to.contain('10–5000 karakter');
    type(part(widget, 'title-input'), 'Cuti besar');
    await waitFor(() => parts(widget, 'counter')[0].textContent === '10/150', 'title counter 10/150');
  });

  it('refuses a short title and a missing topic with clear messages, sending nothing', async () => {
    const widget = await openForm();
    type(part(widget, 'title-input'), 'Cuti');
    type(part(widget, 'compose'), 'Berapa lama cuti besar untuk PNS?');
    part(widget, 'submit')!.click();
    await waitFor(() => parts(widget, 'error').length >= 2, 'two messages');
    const messages = parts(widget, 'error').map((element) => element.textContent!.trim());
    expect(messages).to.include('Judul terlalu pendek (min. 8 karakter)');
    expect(messages).to.include('Pilih topik dari daftar.');
    expect(part(widget, 'title-input')!.getAttribute('aria-invalid')).to.equal('true');
    expect(Object.keys(localStorage).some((key) => key.includes(':outbox:'))).to.equal(false);
  });

  it('names the field as the form labels it: "Pertanyaan", not the server\'s generic "Isi"', async () => {
    const widget = await openForm({ category: 'cuti' });
    type(part(widget, 'title-input'), 'Cuti besar untuk PNS');
    type(part(widget, 'compose'), 'Berapa?');
    part(widget, 'submit')!.click();
    await waitFor(() => part(widget, 'error'), 'a message');
    expect(part(widget, 'error')!.textContent!.trim()).to.equal('Pertanyaan terlalu pendek (min. 10 karakter)');
  });

  it('refuses a title over the limit, in the visitor language', async () => {
    const widget = await openForm({ lang: 'en', category: 'cuti' });
    type(part(widget, 'title-input'), 'x'.repeat(151));
    type(part(widget, 'compose'), 'A question long enough to pass.');
    part(widget, 'submit')!.click();
    await waitFor(() => part(widget, 'error'), 'a message');
    expect(part(widget, 'error')!.textContent!.trim()).to.equal('Title is too long (max. 150 characters)');
  });
});

describe('the answer box', () => {
  afterEach(cleanup);

  it('says, while the visitor types, that an answer is over the limit, naming it as labelled, in both languages', async () => {
    const author = await RawClient.connect();
    const title = `Apakah PPPK mendapat cuti besar? ${Math.random().toString(36).slice(2, 8)}`;
    await author.post(question(title));
    author.close();
    const widget = mount({ site: 'kanreg1', server: SERVER });
    const item = await waitFor(() => parts(widget, 'thread').find((element) => element.textContent!.includes(title)), title);
    item.querySelector('button')!.click();
    await waitFor(() => part(widget, 'compose'), 'the answer box');
    const box = part(widget, 'compose')!;
    const counter = () => parts(widget, 'counter').at(-1)!;
    type(box, 'x'.repeat(5000));
    await waitFor(() => counter().textContent === '5000/5000', 'the counter at the limit');
    expect(counter().classList.contains('over')).to.equal(false);
    expect(box.getAttribute('aria-invalid')).to.equal('false');
    type(box, 'x'.repeat(5001));
    await waitFor(() => counter().classList.contains('over'), 'the counter over the limit');
    expect(part(widget, 'error')!.textContent!.trim()).to.equal('Jawaban Anda terlalu panjang (maks. 5000 karakter)');
    expect(box.getAttribute('aria-invalid')).to.equal('true');
    widget.setAttribute('lang', 'en');
    await waitFor(() => part(widget, 'error')?.textContent!.trim() === 'Your answer is too long (max. 5000 characters)', 'the English words');
  });
});
