import { expect } from '@esm-bundle/chai';
import type { FollowUpView, MemberSummary, OfficerMeView, OfficerThreadView, PostView, QueueItem, ThreadView } from '../../../server/protocol.js';
import '../../../widget/admin/components/followups/inbox.js';
import '../../../widget/admin/components/followups/thread.js';
import type { OfficerApiLike } from '../../../widget/admin/lib/officer-api.js';

// Everything the inbox and the thread view may create; a payload that became markup would add another tag or an
// on* attribute. Links (<a>) come only from render-text, with http(s) addresses.
const ALLOWED_TAGS = new Set([
  'form', 'div', 'label', 'select', 'option', 'input', 'button', 'strong', 'p', 'ul', 'ol', 'li', 'span', 'article', 'h3', 'aside',
  'dl', 'dt', 'dd', 'section', 'textarea', 'a',
]);

function member(id: string, name: string, officer = false): MemberSummary {
  return { id, name, reputation: 1, level: 'baru', officer };
}

const ME: OfficerMeView = {
  officer: member('officer-uji', 'Petugas Uji', true),
  role: 'supervisor',
  sites: [{ id: 'kanreg1', name: 'Kanreg I', timeZone: 'Asia/Jakarta', categories: [{ id: 'lainnya', label: { id: 'Lainnya', en: 'Other' } }] }],
  colleagues: [],
};

function thread(index: number, payload: string): ThreadView {
  return {
    id: `t${index}`, site: 'kanreg1', seq: index, title: payload, body: payload, category: 'lainnya', authorId: `m${index}`, authorName: payload,
    clientId: 'abcdefghijk', createdAt: '2026-11-23T03:00:00.000Z', lastActivityAt: '2026-11-23T03:00:00.000Z', answerCount: 1, status: 'answered',
    author: member(`m${index}`, payload),
  } as ThreadView;
}

function followUp(index: number, payload: string): FollowUpView {
  return {
    threadId: `t${index}`, site: 'kanreg1', tracking: `KR1-2026-${String(index).padStart(6, '0')}`, status: 'diproses', reason: 'asker_request',
    assignee: member(`o${index}`, payload, true), createdAt: '2026-11-23T03:00:00.000Z', updatedAt: '2026-11-23T03:00:00.000Z',
    firstResponseDue: '2026-11-23T07:00:00.000Z', resolutionDue: '2026-11-30T07:00:00.000Z', slaState: 'ok', minutesLeft: 120, timeZone: 'Asia/Jakarta',
    version: 2, allowedStatuses: ['selesai'],
    history: [{ at: '2026-11-23T03:00:00.000Z', from: 'baru', to: 'diproses', cause: 'officer', by: member(`o${index}`, payload, true), note: payload }],
  };
}

function post(index: number, payload: string): PostView {
  return {
    id: `p${index}`, threadId: 't0', site: 'kanreg1', seq: index, body: payload, authorId: `m${index}`, authorName: payload, clientId: 'abcdefghijk',
    createdAt: '2026-11-23T03:00:00.000Z', official: index % 2 === 0, up: 0, down: 0, score: 0, author: member(`m${index}`, payload, index % 2 === 0),
  } as PostView;
}

function stubApi(batch: () => string[]): OfficerApiLike {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    liveUrl: 'ws://127.0.0.1:9/ws',
    me: async () => ME,
    queue: async () => ({
      items: batch().map((payload, i): QueueItem => ({ thread: thread(i, payload), followUp: followUp(i, payload) })),
      counts: { byStatus: { baru: 0, diproses: batch().length, menunggu_penanya: 0, selesai: 0, ditutup: 0 }, bySla: { ok: batch().length, warning: 0, breached: 0, paused: 0, met: 0 } },
    }),
    officerThread: async (): Promise<OfficerThreadView> => ({
      thread: thread(0, batch()[0]!),
      posts: batch().map((payload, i) => post(i, payload)),
      followUp: followUp(0, batch()[0]!),
      officers: [{ officer: member('o9', batch()[0]!, true), typing: true }],
    }) as OfficerThreadView,
    verificationRequests: unused, approve: unused, reject: unused, member: unused, revokeVerification: unused, reverseVotes: unused, flagged: unused,
    restorePost: unused, removePost: unused, audit: unused, site: unused, threads: unused, thread: unused, answer: unused, endorse: unused,
    setStatus: unused, assign: unused, officerAnswer: unused, notifications: unused, markRead: unused,
  };
}

function planted(root: ShadowRoot): string[] {
  const found: string[] = [];
  for (const element of root.querySelectorAll('*')) {
    if (!ALLOWED_TAGS.has(element.localName)) found.push(`markup <${element.localName}> planted`);
    for (const attribute of element.attributes) if (/^on/i.test(attribute.name)) found.push(`handler ${attribute.name} on <${element.localName}>`);
    if (element.localName === 'a' && !/^https?:\/\//i.test(element.getAttribute('href') ?? '')) found.push(`link to ${element.getAttribute('href')}`);
  }
  return found;
}

describe('the follow-up inbox and thread view against the XSS payload corpus', () => {
  let payloads: string[] = [];
  const ran: string[] = [];
  const saved = { alert: window.alert, prompt: window.prompt, confirm: window.confirm, print: window.print };

  before(async () => {
    const response = await fetch('/__corpora/xss-payload-list.txt');
    payloads = (await response.text()).split('\n').filter((line) => line.length > 0);
    const trap = (name: string) => (...args: unknown[]) => void ran.push(`${name}(${args.join(',')})`);
    Object.assign(window, { alert: trap('alert'), prompt: trap('prompt'), confirm: trap('confirm'), print: trap('print') });
  });
  after(() => Object.assign(window, saved));
  afterEach(() => {
    for (const element of document.querySelectorAll('osg-admin-fu-inbox, osg-admin-fu-thread')) element.remove();
  });

  it('renders every payload as titles, names, notes and answers, as text only', async function () {
    this.timeout(180_000);
    expect(payloads.length).to.be.greaterThan(6500);
    let current: string[] = [];
    const api = stubApi(() => current);
    const failures: string[] = [];
    for (let start = 0; start < payloads.length; start += 400) {
      current = payloads.slice(start, start + 400);
      const inbox = document.createElement('osg-admin-fu-inbox');
      Object.assign(inbox, { api, me: ME });
      document.body.append(inbox);
      await inbox.reload();
      await inbox.updateComplete;
      const rows = [...inbox.shadowRoot!.querySelectorAll('[part~="queue-row"]')];
      if (rows.length !== current.length) failures.push(`${rows.length} rows for ${current.length} payloads`);
      rows.forEach((row, i) => {
        if (row.querySelector('.thread-title')!.textContent !== current[i]) failures.push(`title: ${current[i]}`);
        if (row.querySelector('.name')!.textContent !== current[i]) failures.push(`asker: ${current[i]}`);
        if (row.querySelector('.assignee')!.textContent !== current[i]) failures.push(`assignee: ${current[i]}`);
      });
      failures.push(...planted(inbox.shadowRoot!));
      inbox.remove();

      const view = document.createElement('osg-admin-fu-thread');
      Object.assign(view, { api, me: ME, threadId: 't0' });
      document.body.append(view);
      await new Promise((resolve) => setTimeout(resolve, 0));
      const root = view.shadowRoot!;
      for (let i = 0; i < 200 && root.querySelectorAll('[part="post"]').length !== current.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      const posts = [...root.querySelectorAll('[part="post"]')];
      if (posts.length !== current.length) failures.push(`${posts.length} posts for ${current.length} payloads`);
      posts.forEach((each, i) => {
        if (each.querySelector('.text')!.textContent !== current[i]) failures.push(`answer: ${current[i]}`);
        if (each.querySelector('.name')!.textContent !== current[i]) failures.push(`author: ${current[i]}`);
      });
      if (root.querySelector('.thread-title')!.textContent !== current[0]) failures.push(`thread title: ${current[0]}`);
      if (root.querySelector('.history .note')!.textContent !== current[0]) failures.push(`history note: ${current[0]}`);
      failures.push(...planted(root));
      view.remove();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(failures.slice(0, 20)).to.deep.equal([]);
    expect(ran, 'payload code that ran').to.deep.equal([]);
  });
});
