import { expect } from '@esm-bundle/chai';
import type { ServerMessage } from '../../server/protocol.js';
import { cleanup, mount, part, parts, question, RawClient, SERVER, waitFor } from './support/helpers.js';

const unique = (text: string) => `${text} ${Math.random().toString(36).slice(2, 8)}`;
const texts = (widget: Element, name: string) => parts(widget, name).map((element) => element.textContent!);

/**
 * Records the frames of the widget's sockets from now on, both ways, and lets a test drop them. The second
 * visitor (RawClient, protocol 1) opens its socket through the same constructor: its frames are left out.
 */
function spySockets() {
  const logs: Array<{ socket: WebSocket; received: ServerMessage[]; sent: Array<Record<string, unknown>> }> = [];
  const Original = window.WebSocket;
  class Spied extends Original {
    readonly log = { socket: this as WebSocket, received: [] as ServerMessage[], sent: [] as Array<Record<string, unknown>> };
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      logs.push(this.log);
      this.addEventListener('message', (event) => this.log.received.push(JSON.parse(String(event.data))));
    }
    override send(data: string): void {
      this.log.sent.push(JSON.parse(data));
      super.send(data);
    }
  }
  window.WebSocket = Spied;
  const widget = () => logs.filter((log) => log.sent[0]?.type === 'hello' && log.sent[0].v === 2);
  return {
    get received() {
      return widget().flatMap((log) => log.received);
    },
    get sent() {
      return widget().flatMap((log) => log.sent);
    },
    get sockets() {
      return widget().map((log) => log.socket);
    },
    restore: () => (window.WebSocket = Original),
  };
}

describe('the thread list in protocol 2', () => {
  let spy: ReturnType<typeof spySockets>;
  beforeEach(() => (spy = spySockets()));
  afterEach(() => {
    spy.restore();
    cleanup();
  });

  it('shows new threads and answer counts of threads nobody here watches, from digest frames only', async () => {
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await waitFor(() => part(widget, 'status')?.textContent!.includes('Tersambung'), 'Tersambung', 10_000);
    expect(spy.sent.find((f) => f.type === 'hello')?.v).to.equal(2);
    const other = await RawClient.connect();
    const title = unique('Apakah cuti besar bisa dibagi dua?');
    const { thread } = await other.post(question(title));
    await waitFor(() => texts(widget, 'thread').some((text) => text.includes(title)), 'the new thread in the list');
    await other.post({ type: 'answer', threadId: thread!.id, body: 'Bisa, sesuai Peraturan BKN tentang cuti.' });
    await other.post({ type: 'answer', threadId: thread!.id, body: 'Ajukan lewat atasan langsung.' });
    await waitFor(() => texts(widget, 'thread').some((text) => text.includes(title) && text.includes('2 jawaban')), '2 jawaban in the list');
    const answerSeq = other.frames.flatMap((f) => (f.type === 'ack' && f.post ? [f.post.seq] : [])).pop()!;
    expect(spy.received.some((f) => f.type === 'digest' && f.digest.toSeq >= answerSeq)).to.equal(true);
    expect(spy.received.filter((f) => f.type === 'event')).to.have.length(0);
    other.close();
  });

  it('resumes after a dropped socket from the last digest, and shows what came meanwhile', async () => {
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await waitFor(() => part(widget, 'status')?.textContent!.includes('Tersambung'), 'Tersambung', 10_000);
    const other = await RawClient.connect();
    const before = unique('Berapa lama SK mutasi terbit?');
    const first = await other.post(question(before));
    await waitFor(() => spy.received.some((f) => f.type === 'digest' && f.digest.toSeq >= first.thread!.seq), 'the digest of the first question');
    const lastSeq = Math.max(...spy.received.flatMap((f) => (f.type === 'digest' ? [f.digest.toSeq] : [])));
    spy.sockets[0]!.close();
    await waitFor(() => !part(widget, 'status')?.textContent!.includes('Tersambung'), 'offline');
    const meanwhile = unique('Bagaimana jika SK mutasi hilang?');
    await other.post(question(meanwhile));
    await waitFor(() => texts(widget, 'thread').some((text) => text.includes(meanwhile)), 'the question asked while away', 15_000);
    const hellos = spy.sent.filter((f) => f.type === 'hello');
    expect(hellos).to.have.length(2);
    expect(hellos[1]!.lastSeq).to.equal(lastSeq);
    other.close();
  });
});
