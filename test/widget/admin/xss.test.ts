import { expect } from '@esm-bundle/chai';
import type { FlaggedPostView, MemberSummary, VerificationRequestView } from '../../../server/protocol.js';
import '../../../widget/admin/components/flagged/flagged.js';
import '../../../widget/admin/components/requests/requests.js';
import type { OfficerApiLike } from '../../../widget/admin/lib/officer-api.js';
import { SERVER, waitFor } from '../support/helpers.js';
import { cleanupAdmin, deep, deepAll, memberWithRequest, mountAdmin, openSection, typeInto } from './support/admin-helpers.js';
import { TEST_OFFICER } from './support/test-officer.mjs';

// Everything the two lists may create; a payload that became markup would add another tag or an on* attribute.
const ALLOWED_TAGS = new Set(['section', 'h2', 'h3', 'h4', 'div', 'label', 'select', 'option', 'button', 'p', 'ul', 'li', 'span', 'strong', 'dl', 'dt', 'dd', 'textarea']);

function member(id: string, name: string): MemberSummary {
  return { id, name, reputation: 1, level: 'baru', officer: false };
}

function request(index: number, payload: string): VerificationRequestView {
  return {
    id: `r${index}`,
    member: member(`m${index}`, payload),
    nip: '198503122010011001',
    nipInfo: { birthDate: '1985-03-12', startMonth: '2010-01', gender: 'pria' },
    instansi: payload,
    jabatan: payload,
    note: payload,
    status: 'pending',
    createdAt: '2026-11-23T03:00:00.000Z',
  };
}

function flagged(index: number, payload: string): FlaggedPostView {
  return {
    post: {
      id: `p${index}`, threadId: `t${index}`, site: 'kanreg1', seq: index, body: payload, authorId: `m${index}`, authorName: payload,
      clientId: 'abcdefghijk', createdAt: '2026-11-23T03:00:00.000Z', official: false, up: 0, down: 0, score: 0,
      hidden: { reason: 'spam', status: 'pending' }, author: member(`m${index}`, payload),
    },
    thread: { id: `t${index}`, title: payload, site: 'kanreg1' },
    flags: [{ reason: 'tidak_pantas', weight: 0.5, at: '2026-11-23T03:05:00.000Z', member: member(`f${index}`, payload) }],
  };
}

/** A stand-in API that answers the two lists with the current batch. */
function stubApi(batch: () => { requests: VerificationRequestView[]; flagged: FlaggedPostView[] }): OfficerApiLike {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    liveUrl: 'ws://127.0.0.1:9/ws',
    verificationRequests: async () => batch().requests,
    flagged: async () => batch().flagged,
    approve: unused, reject: unused, member: unused, revokeVerification: unused, reverseVotes: unused, restorePost: unused,
    removePost: unused, audit: unused, site: unused, threads: unused, thread: unused, answer: unused, endorse: unused,
    me: unused, queue: unused, officerThread: unused, setStatus: unused, assign: unused, officerAnswer: unused, notifications: unused, markRead: unused,
  };
}

/** Payloads whose element or text differs from the payload itself, or that planted markup. */
function problems(root: ShadowRoot, cards: string, fields: Record<string, string>, payloads: string[]): string[] {
  const found: string[] = [];
  const rendered = [...root.querySelectorAll(cards)];
  if (rendered.length !== payloads.length) found.push(`${rendered.length} cards for ${payloads.length} payloads`);
  rendered.forEach((card, index) => {
    const payload = payloads[index]!;
    for (const [selector, what] of Object.entries(fields)) {
      const element = card.querySelector(selector);
      if (element?.textContent !== payload) found.push(`${what}: ${payload}`);
    }
  });
  for (const element of root.querySelectorAll('*')) {
    const bad = !ALLOWED_TAGS.has(element.localName) || [...element.attributes].some((attribute) => /^on/i.test(attribute.name));
    if (bad) found.push(`markup <${element.localName}> planted`);
  }
  return found;
}

describe('the admin lists against the XSS payload corpus', () => {
  let payloads: string[] = [];
  const ran: string[] = [];
  const saved = { alert: window.alert, prompt: window.prompt, confirm: window.confirm, print: window.print };

  before(async () => {
    const response = await fetch('/__corpora/xss-payload-list.txt');
    expect(response.ok, 'corpus is served by the test runner').to.equal(true);
    payloads = (await response.text()).split('\n').filter((line) => line.length > 0);
    const trap = (name: string) => (...args: unknown[]) => void ran.push(`${name}(${args.join(',')})`);
    Object.assign(window, { alert: trap('alert'), prompt: trap('prompt'), confirm: trap('confirm'), print: trap('print') });
  });

  after(() => Object.assign(window, saved));
  afterEach(() => {
    cleanupAdmin();
    for (const element of document.querySelectorAll('osg-admin-requests, osg-admin-flagged')) element.remove();
  });

  async function renderAll(sample: string[], batchSize: number): Promise<string[]> {
    const failures: string[] = [];
    let current: string[] = [];
    const api = stubApi(() => ({ requests: current.map((p, i) => request(i, p)), flagged: current.map((p, i) => flagged(i, p)) }));
    const requests = document.createElement('osg-admin-requests');
    const reports = document.createElement('osg-admin-flagged');
    requests.api = api;
    reports.api = api;
    document.body.append(requests, reports);
    for (let start = 0; start < sample.length; start += batchSize) {
      current = sample.slice(start, start + batchSize);
      await Promise.all([requests.reload(), reports.reload()]);
      await Promise.all([requests.updateComplete, reports.updateComplete]);
      failures.push(
        ...problems(requests.shadowRoot!, 'li[part="request"]', { '.name': 'name', '.instansi': 'instansi', '.jabatan': 'jabatan', '.note': 'note' }, current),
        ...problems(reports.shadowRoot!, 'li[part="flagged"]', { '.thread-title': 'thread title', '.answer-text': 'answer', '.name': 'author' }, current),
      );
    }
    // Handlers and timers a payload might have planted get a chance to fire.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return failures;
  }

  it('holds all the payloads', () => {
    expect(payloads.length).to.be.greaterThan(6500);
  });

  it('renders a sample of 300 as names, instansi, jabatan, notes, titles and answers, as text only', async () => {
    const step = Math.floor(payloads.length / 300);
    const sample = payloads.filter((_, index) => index % step === 0).slice(0, 300);
    expect(await renderAll(sample, 300)).to.deep.equal([]);
    expect(ran, 'payload code that ran').to.deep.equal([]);
  });

  it('renders every payload of the corpus the same way', async function () {
    this.timeout(120_000);
    expect(await renderAll(payloads, 500)).to.deep.equal([]);
    expect(ran, 'payload code that ran').to.deep.equal([]);
  });

  it('shows payloads sent through the real member API as text in the officer request list', async function () {
    // Sign-in (scrypt) right after the corpus render above: on a loaded 2-core machine this took up to 20 s.
    this.timeout(60_000);
    // Short, trimmed payloads the server stores unchanged: a display name is at most 40 characters.
    const fits = payloads.filter((p) => p.includes('<') && p.length <= 40 && p === p.trim() && !/\s{2}/.test(p));
    const chosen = [fits[0]!, fits[Math.floor(fits.length / 2)]!, fits[fits.length - 1]!];
    const { memberId } = await memberWithRequest(SERVER, { name: chosen[0]!, instansi: chosen[1]!, jabatan: chosen[2]! });
    const admin = mountAdmin(SERVER);
    await waitFor(() => deep(admin, 'form[part="form"]'), 'the sign-in form');
    typeInto(deep(admin, '#username'), TEST_OFFICER.username);
    typeInto(deep(admin, '#password'), TEST_OFFICER.password);
    deep<HTMLFormElement>(admin, 'form[part="form"]')!.requestSubmit();
    await openSection(admin, 'requests');
    const card = await waitFor(
      () => deepAll(admin, 'li[part="request"]').find((each) => each.textContent!.includes(memberId)),
      'the request with payloads',
    );
    expect(card.querySelector('.name')!.textContent).to.equal(chosen[0]);
    expect(card.querySelector('.instansi')!.textContent).to.equal(chosen[1]);
    expect(card.querySelector('.jabatan')!.textContent).to.equal(chosen[2]);
    const planted = [...card.querySelectorAll('*')].filter((element) => !ALLOWED_TAGS.has(element.localName));
    expect(planted.map((element) => element.localName)).to.deep.equal([]);
    expect(ran).to.deep.equal([]);
  });
});
