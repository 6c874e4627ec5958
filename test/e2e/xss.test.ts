import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ThreadView } from '../../server/protocol.js';
import { eventually, openThread, part, postAsCrowd, RestVisitor, ROOT, useServerAndBrowser, waitOnline } from './support/harness.js';

// Every public XSS payload, posted as a title, a question and an answer, must show as the very text that was
// sent and run nothing: no dialog, no script, no element of its own, no request anywhere.
const PAYLOADS = readFileSync(join(ROOT, '../shared/corpora/xss-payload-list.txt'), 'utf8').split('\n').filter((line) => line !== '');

const codePoints = (text: string) => [...text];
/** The server's normalisation of user text (server/domain/rules.ts), which is what the widget receives. */
const normalise = (text: string) => text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
const normaliseTitle = (text: string) => normalise(text).replace(/\s+/g, ' ');

// Long enough that any payload plus it passes both minimums (title 8, question 10).
const suffix = (index: number) => ` [muatan ${index}]`;

/** A payload shaped into a valid title (8–150): short ones get a suffix, long ones are cut. */
function titleFor(payload: string, index: number): string {
  const folded = normaliseTitle(payload);
  const padded = codePoints(folded).length < 8 ? folded + suffix(index) : folded;
  // Cutting can leave a space at the end, which the server trims.
  return codePoints(padded).slice(0, 150).join('').trim();
}
/** The whole payload as a question body (10–5,000); a short one gets a suffix. */
function bodyFor(payload: string, index: number): string {
  return codePoints(normalise(payload)).length < 10 ? payload + suffix(index) : payload;
}

// Elements the widget never renders itself, so any of them in its shadow DOM came from a payload. Form
// controls are left out here (the widget has its own); inside user text even they are caught below.
const FOREIGN = 'script, img, image, iframe, frame, frameset, svg, math, object, embed, video, audio, source, track, ' +
  'style, link, meta, base, marquee, details, body, html, head, isindex, xss, noscript, template, portal';
// Where the widget puts a title or a body: the list's titles, the open thread's heading and texts, the live region.
const USER_TEXT = '.title, .text, [part~="question"] [part~="heading"], [aria-live]';

interface Findings {
  /** Elements of FOREIGN tags anywhere in the widget. */
  foreign: string[];
  /** Any `on…` attribute anywhere in the widget. */
  handlers: string[];
  /** Elements inside user text other than a link holding only its text. */
  inText: string[];
  /** Every link in user text: href, rel, target and text. */
  links: Array<{ href: string | null; rel: string | null; text: string; target: string | null }>;
  /** How many user-text containers were looked at, so that an empty look proves nothing. */
  containers: number;
}

/** Looks through every shadow root of the widget. */
function inspectWidget(page: Page): Promise<Findings> {
  return page.evaluate(([foreignSelector, userText]) => {
    const findings: Findings = { foreign: [], handlers: [], inText: [], links: [], containers: 0 };
    const describe = (element: Element) => element.outerHTML.slice(0, 160);
    const walk = (root: ParentNode) => {
      for (const element of root.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          // `online` is the widget's own boolean attribute on its views, not a handler.
          const own = element.localName.startsWith('osg-') && attribute.name === 'online';
          if (/^on/i.test(attribute.name) && !own) findings.handlers.push(describe(element));
        }
        if (element.shadowRoot) walk(element.shadowRoot);
      }
      for (const element of root.querySelectorAll(foreignSelector)) findings.foreign.push(describe(element));
      for (const container of root.querySelectorAll(userText)) {
        findings.containers++;
        for (const element of container.querySelectorAll('*')) {
          if (element.localName !== 'a' || element.children.length) {
            findings.inText.push(describe(element));
            continue;
          }
          findings.links.push({
            href: element.getAttribute('href'),
            rel: element.getAttribute('rel'),
            target: element.getAttribute('target'),
            text: element.textContent ?? '',
          });
        }
      }
    };
    walk(document.querySelector('osg-konsultasi')!.shadowRoot!);
    return findings;
  }, [FOREIGN, USER_TEXT] as const);
}

/**
 * For every element matching `scope` anywhere in the widget (through all shadow roots), the text of its first
 * descendant matching `inner` (also through shadow roots), or its own text without `inner`.
 */
function deepTexts(page: Page, scope: string, inner?: string): Promise<string[]> {
  return page.evaluate(
    ([scope, inner]) => {
      const deepAll = (root: Element | ShadowRoot | Document, selector: string): Element[] => {
        const found: Element[] = [];
        const visit = (node: Element | ShadowRoot | Document) => {
          for (const element of node.querySelectorAll('*')) {
            if (element.matches(selector)) found.push(element);
            if (element.shadowRoot) visit(element.shadowRoot);
          }
        };
        visit(root);
        return found;
      };
      const widget = document.querySelector('osg-konsultasi')!.shadowRoot!;
      return deepAll(widget, scope).map((element) => (inner ? deepAll(element, inner)[0] : element)?.textContent ?? '');
    },
    [scope, inner] as const,
  );
}

const STORED_ANSWER = 'li[part~="answer"]:not([part~="pending"])';
const STORED_THREAD = 'li[part~="thread"]:not([part~="pending"])';

/** Which of `expected` are missing from `actual` (as multisets), with a few examples for the message. */
function multisetDifference(expected: string[], actual: string[]): { missing: string[]; extra: string[] } {
  const counts = new Map<string, number>();
  for (const text of actual) counts.set(text, (counts.get(text) ?? 0) + 1);
  const missing: string[] = [];
  for (const text of expected) {
    const left = counts.get(text) ?? 0;
    if (left) counts.set(text, left - 1);
    else missing.push(text);
  }
  const extra = [...counts].flatMap(([text, n]) => Array<string>(n).fill(text));
  return { missing, extra };
}

function assertSameTexts(what: string, expected: string[], actual: string[]): void {
  const { missing, extra } = multisetDifference(expected, actual);
  assert.ok(
    !missing.length && !extra.length,
    `${what}: ${missing.length} expected texts not shown, ${extra.length} unexpected; e.g. expected ${JSON.stringify(missing.slice(0, 3))}, shown ${JSON.stringify(extra.slice(0, 3))}`,
  );
}

describe('XSS payloads from the public corpus', { timeout: 120_000 }, () => {
  const rig = useServerAndBrowser();
  let page: Page;
  let answersThread: ThreadView;
  const threads: ThreadView[] = [];
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const strayRequests: string[] = [];
  const navigations: string[] = [];

  const trapsCalled = () => page.evaluate(() => (window as unknown as { __xssCalls: string[] }).__xssCalls);

  async function assertNothingRan(): Promise<void> {
    assert.deepEqual(dialogs, [], 'a dialog opened');
    assert.deepEqual(await trapsCalled(), [], 'alert/confirm/prompt/print was called');
    assert.deepEqual(strayRequests, [], 'the page requested something it should not have');
    assert.deepEqual(navigations, [], 'the page navigated');
    assert.deepEqual(pageErrors, [], 'a script error happened');
  }

  async function assertNoForeignMarkup(): Promise<Findings> {
    const findings = await inspectWidget(page);
    assert.ok(findings.containers > 0, 'no user text found in the widget');
    assert.deepEqual(findings.foreign, [], 'elements from payloads exist in the widget');
    assert.deepEqual(findings.handlers, [], 'event-handler attributes exist in the widget');
    assert.deepEqual(findings.inText, [], 'user text contains elements other than plain links');
    for (const link of findings.links) {
      assert.match(link.href ?? '', /^https?:\/\//i, `a link that is not http(s): ${JSON.stringify(link)}`);
      assert.equal(link.rel, 'nofollow noopener ugc', `a link without the right rel: ${JSON.stringify(link)}`);
      assert.equal(link.text, link.href, `a link whose text is not its address: ${JSON.stringify(link)}`);
    }
    return findings;
  }

  before(async () => {
    // Titles and questions first, the answers thread last so that it tops the list.
    threads.push(
      ...(await postAsCrowd(rig.server.url, PAYLOADS, 48, (visitor, payload, index) =>
        visitor.ask({ title: titleFor(payload, index), body: bodyFor(payload, index) }))),
    );
    answersThread = await (await RestVisitor.create(rig.server.url, 'Penguji Keamanan')).ask({
      title: 'Semua muatan sebagai jawaban',
      body: `Pertanyaan berisi tautan https://www.bkn.go.id/ dan <img src=x onerror=alert(1)> javascript:alert(1)`,
    });
    await postAsCrowd(rig.server.url, PAYLOADS, 48, (visitor, payload) => visitor.answer(answersThread.id, payload));

    const context = await rig.browser.newContext();
    context.setDefaultTimeout(15_000);
    // tsx compiles with keepNames, so functions passed to page.evaluate call esbuild's __name helper.
    await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    await context.addInitScript(() => {
      const calls: string[] = [];
      (window as unknown as { __xssCalls: string[] }).__xssCalls = calls;
      for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
        (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => void calls.push(`${name}(${String(args[0])})`);
      }
    });
    const origin = new URL(rig.server.url).origin;
    const expectedPath = /^\/(demo\/(demo\.css)?|osg-konsultasi\.js|favicon\.ico|api\/.*|ws)$/;
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === origin && expectedPath.test(url.pathname)) return route.continue();
      strayRequests.push(url.href);
      return route.abort();
    });
    page = await context.newPage();
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== origin && !strayRequests.includes(url.href)) strayRequests.push(url.href);
    });
    page.on('websocket', (socket) => {
      if (new URL(socket.url()).host !== new URL(rig.server.url).host) strayRequests.push(socket.url());
    });
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${rig.server.url}/demo/`);
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await waitOnline(page);
  });

  it(`shows all ${PAYLOADS.length} payloads as answers, each exactly as text, in one thread view`, async () => {
    // 6,613 answers in one view: about 15 s on a loaded 2-core machine, so the default 15 s wait is too short.
    await openThread(page, answersThread.title, 60_000);
    await eventually(
      `${PAYLOADS.length} answers rendered`,
      async () => (await deepTexts(page, STORED_ANSWER, '.text')).length === PAYLOADS.length,
      20_000,
    );
    const shown = await deepTexts(page, STORED_ANSWER, '.text');
    assertSameTexts('answers', PAYLOADS.map(normalise), shown);
    const [question] = await deepTexts(page, '[part~="question"]', '.text');
    assert.equal(question, answersThread.body);
    await assertNothingRan();
  });

  it('renders no element of any payload in the thread view, and links only http(s) addresses with rel="nofollow noopener ugc"', async () => {
    const findings = await assertNoForeignMarkup();
    // The corpus holds http(s) URLs, so some links must exist: a check over zero links would prove nothing.
    assert.ok(findings.links.some((link) => link.href === 'https://www.bkn.go.id/'), 'the question’s own https link is not a link');
    const withUrl = PAYLOADS.filter((payload) => /https?:\/\/[^\s<>"'`]/i.test(payload)).length;
    assert.ok(withUrl > 0 && findings.links.length >= 1 + Math.min(withUrl, 1), `only ${findings.links.length} links for ${withUrl} payloads with URLs`);
    await assertNothingRan();
  });

  it('shows the titles exactly as text, newest first, while paging through the list with “load more”', async (t) => {
    await part(page, 'back').click();
    await part(page, 'thread-list').waitFor();
    // Each page re-renders the whole list, so all ~330 pages would take over a minute: page for a fixed time
    // and check every title shown; the search below reaches the oldest threads.
    const budgetMs = 20_000;
    const loadMore = part(page, 'load-more');
    const started = Date.now();
    let pages = 1;
    while (Date.now() - started < budgetMs && (await loadMore.count())) {
      await loadMore.click();
      pages++;
      await eventually('the next page', async () => !(await loadMore.count()) || (await loadMore.isEnabled()), 10_000);
    }
    const titles = await deepTexts(page, STORED_THREAD, '.title');
    t.diagnostic(`${pages} pages, ${titles.length} titles in ${Date.now() - started} ms`);
    assert.ok(pages >= 20, `only ${pages} pages loaded in ${budgetMs} ms`);
    const newestFirst = [...threads.keys()].sort((a, b) => threads[b].seq - threads[a].seq);
    const expected = [answersThread.title, ...newestFirst.map((index) => titleFor(PAYLOADS[index], index))];
    const wrong = titles.findIndex((title, position) => title !== expected[position]);
    assert.equal(wrong, -1, `title ${wrong} is ${JSON.stringify(titles[wrong])}, expected ${JSON.stringify(expected[wrong])}`);
    assert.equal(titles.length, Math.min(pages * 20, expected.length));
    await assertNoForeignMarkup();
    await assertNothingRan();
  });

  it('finds sampled payload threads with the search box and shows their title and whole question exactly', async (t) => {
    // A spread of shapes: every 500th payload (the oldest threads included), the longest ones, ones with links.
    const indexes = [...threads.keys()];
    const byLength = [...indexes].sort((a, b) => PAYLOADS[b].length - PAYLOADS[a].length).slice(0, 3);
    const withLinks = indexes.filter((index) => /https?:\/\//i.test(PAYLOADS[index])).slice(0, 3);
    const candidates = [...new Set([...indexes.filter((index) => index % 500 === 0), ...byLength, ...withLinks])];
    const queryFor = (index: number) => threads[index].title.split(' ').slice(0, 8).join(' ').slice(0, 100).trim();
    // Only payloads whose search puts their thread on the first page: the search itself is not under test here.
    const sample: number[] = [];
    for (const index of candidates) {
      const res = await fetch(`${rig.server.url}/api/sites/kanreg1/threads?q=${encodeURIComponent(queryFor(index))}`);
      const page1 = (await res.json()) as { threads: ThreadView[] };
      if (page1.threads.some((thread) => thread.id === threads[index].id)) sample.push(index);
    }
    t.diagnostic(`${sample.length} of ${candidates.length} sampled threads opened`);
    assert.ok(sample.length >= 10, `only ${sample.length} sampled threads can be found by search`);

    for (const index of sample) {
      const title = titleFor(PAYLOADS[index], index);
      await part(page, 'search').fill(queryFor(index));
      await eventually(`payload ${index} in the search results`, async () =>
        (await deepTexts(page, STORED_THREAD, '.title')).includes(title), 5000);
      const titles = await deepTexts(page, STORED_THREAD, '.title');
      await page.locator('osg-konsultasi [part~="thread"]:not([part~="pending"])').nth(titles.indexOf(title)).locator('button').click();
      await part(page, 'compose').waitFor();
      await eventually(`payload ${index} opened`, async () =>
        (await deepTexts(page, '[part~="question"] [part~="heading"]'))[0] === title, 5000);
      const [body] = await deepTexts(page, '[part~="question"]', '.text');
      assert.equal(body, normalise(bodyFor(PAYLOADS[index], index)), `question of payload ${index}`);
      await assertNoForeignMarkup();
      await part(page, 'back').click();
      await part(page, 'thread-list').waitFor();
    }
    await assertNothingRan();
  });
});
