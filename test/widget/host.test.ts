import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import type { ConnectionChangeDetail } from '../../widget/components/konsultasi/konsultasi.events.js';
import { cleanup, mount, part, parts, question, RawClient, SERVER, type, waitFor } from './support/helpers.js';

const unique = (text: string) => `${text} ${Math.random().toString(36).slice(2, 8)}`;
const status = (widget: Element) => part(widget, 'status')?.textContent?.trim();

/** Every state the widget told the page, heard on the document: the events bubble out of the shadow root. */
function recordStates(): { states: string[]; stop(): void } {
  const states: string[] = [];
  const listener = (event: CustomEvent<ConnectionChangeDetail>) => {
    expect(event.bubbles && event.composed, 'bubbles and composed').to.equal(true);
    states.push(event.detail.state);
  };
  document.addEventListener('osg-connection-change', listener);
  return { states, stop: () => document.removeEventListener('osg-connection-change', listener) };
}

describe('events for the host page', () => {
  afterEach(cleanup);

  it('tells the page, on the document, of its own question and answer once stored, with ids only', async () => {
    const heard: Array<{ type: string; detail: Record<string, string> }> = [];
    const listen = (event: Event) => heard.push({ type: event.type, detail: (event as CustomEvent).detail });
    for (const name of ['osg-question-asked', 'osg-answer-posted']) document.addEventListener(name, listen);
    const recorder = recordStates();
    try {
      const widget = mount({ site: 'kanreg1', server: SERVER });
      await waitFor(() => status(widget) === 'Tersambung', 'online');
      expect(recorder.states).to.deep.equal(['online']);

      const title = unique('Bagaimana cara mengajukan cuti besar?');
      part(widget, 'ask')!.click();
      await waitFor(() => part(widget, 'title-input'), 'the ask form');
      type(part(widget, 'title-input'), title);
      (part(widget, 'category') as HTMLSelectElement).value = 'cuti';
      part(widget, 'category')!.dispatchEvent(new Event('change'));
      type(part(widget, 'compose'), 'Saya PNS dengan masa kerja 6 tahun, apa saja syaratnya?');
      part(widget, 'submit')!.click();
      const asked = await waitFor(() => heard.find((event) => event.type === 'osg-question-asked'), 'osg-question-asked');
      const thread = await (await fetch(`${SERVER}/api/threads/${asked.detail.threadId}`)).json();
      expect(thread.thread.title).to.equal(title);
      expect(asked.detail).to.deep.equal({ site: 'kanreg1', threadId: thread.thread.id, category: 'cuti' });

      const item = await waitFor(() => parts(widget, 'thread').find((element) => element.textContent!.includes(title) && !element.part.contains('pending')), 'the stored thread');
      item.querySelector('button')!.click();
      await waitFor(() => part(widget, 'compose'), 'the open thread');
      type(part(widget, 'compose'), 'Minimal 5 tahun bekerja terus-menerus.');
      part(widget, 'submit')!.click();
      const posted = await waitFor(() => heard.find((event) => event.type === 'osg-answer-posted'), 'osg-answer-posted');
      const after = await (await fetch(`${SERVER}/api/threads/${thread.thread.id}`)).json();
      expect(posted.detail).to.deep.equal({ site: 'kanreg1', threadId: thread.thread.id, postId: after.posts[0].id });

      expect(heard.map((event) => event.type)).to.deep.equal(['osg-question-asked', 'osg-answer-posted']);
      const token = JSON.parse(localStorage.getItem(Object.keys(localStorage).find((key) => key.startsWith('osg-konsultasi:v1:'))!)!);
      const details = JSON.stringify(heard);
      for (const secret of [token.token, token.visitor.name, title]) expect(details).not.to.contain(secret);
    } finally {
      for (const name of ['osg-question-asked', 'osg-answer-posted']) document.removeEventListener(name, listen);
      recorder.stop();
    }
  });
});

describe('a server of another protocol version', () => {
  const send = WebSocket.prototype.send;
  const NativeSocket = window.WebSocket;
  afterEach(() => {
    WebSocket.prototype.send = send;
    window.WebSocket = NativeSocket;
    cleanup();
  });

  it('shows the widget\'s own message, says "Tidak tersambung" and does not reconnect', async () => {
    // The widget's hello as a client of another version would send it; the real server answers.
    let sockets = 0;
    window.WebSocket = class extends NativeSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets++;
      }
    };
    WebSocket.prototype.send = function (this: WebSocket, data: string) {
      const frame = JSON.parse(data);
      return send.call(this, frame.type === 'hello' ? JSON.stringify({ ...frame, v: 3 }) : data);
    };
    const recorder = recordStates();
    try {
      const widget = mount({ site: 'kanreg1', server: SERVER });
      await waitFor(() => part(widget, 'notice')?.textContent!.includes('Versi widget sudah usang; silakan muat ulang halaman.'), 'the version message');
      expect(status(widget)).to.equal('Tidak tersambung');
      expect(recorder.states).to.deep.equal(['stopped']);
      // "online" makes a running connection retry at once; a stopped one stays stopped.
      window.dispatchEvent(new Event('online'));
      await fetch(`${SERVER}/healthz`, { mode: 'no-cors' });
      expect(sockets).to.equal(1);
      expect(status(widget)).to.equal('Tidak tersambung');
    } finally {
      recorder.stop();
    }
  });
});

describe('a server that shuts down', () => {
  afterEach(cleanup);

  it('says the server is unavailable, retries with backoff and is back online when the server is', async () => {
    const { url } = await executeServerCommand<{ url: string }, { action: string; id: string }>('osg-server', { action: 'start', id: 'restart' });
    const recorder = recordStates();
    try {
      const widget = mount({ site: 'kanreg1', server: url });
      await waitFor(() => status(widget) === 'Tersambung', 'online', 10_000);
      await executeServerCommand('osg-server', { action: 'terminate', id: 'restart' });
      await waitFor(() => status(widget) === 'Server sedang tidak tersedia — mencoba lagi…', 'the unavailable state');
      expect(part(widget, 'notice')).to.equal(undefined);
      await executeServerCommand('osg-server', { action: 'start', id: 'restart' });
      await waitFor(() => status(widget) === 'Tersambung', 'online again', 20_000);
      expect(recorder.states).to.deep.equal(['online', 'unavailable', 'online']);
    } finally {
      recorder.stop();
      await executeServerCommand('osg-server', { action: 'stop', id: 'restart' });
    }
  });
});

describe('announcements for screen readers', () => {
  afterEach(cleanup);

  it('reads the same announcement twice: a live region changes each time', async () => {
    const other = await RawClient.connect();
    const title = unique('Kapan kenaikan gaji berkala?');
    const { thread } = await other.post(question(title));
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await waitFor(() => status(widget) === 'Tersambung', 'online');
    const item = await waitFor(() => parts(widget, 'thread').find((element) => element.textContent!.includes(title)), title);
    item.querySelector('button')!.click();
    await waitFor(() => part(widget, 'compose'), 'the open thread');

    // What a screen reader hears: each time a live region's text changes to something.
    const heard: string[] = [];
    const regions = () => [...widget.shadowRoot!.querySelectorAll('[aria-live]')];
    const last = new Map<Element, string>();
    const observer = new MutationObserver(() => {
      for (const region of regions()) {
        const text = region.textContent!.trim();
        if (text && text !== last.get(region)) heard.push(text);
        last.set(region, text);
      }
    });
    observer.observe(widget.shadowRoot!, { subtree: true, childList: true, characterData: true });
    try {
      for (const body of ['Setiap dua tahun sekali.', 'Lihat juga PP 15/2019.']) {
        await other.post({ type: 'answer', threadId: thread!.id, body });
        await waitFor(() => parts(widget, 'answer').some((element) => element.textContent!.includes(body)), body);
      }
      await waitFor(() => heard.length >= 2, 'two announcements', 3000).catch(() => undefined);
      expect(heard).to.deep.equal(['Jawaban baru dari Budi Santoso', 'Jawaban baru dari Budi Santoso']);
    } finally {
      observer.disconnect();
      other.close();
    }
  });
});
