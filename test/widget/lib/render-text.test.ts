import { expect } from '@esm-bundle/chai';
import { html, render } from 'lit';
import { renderText } from '../../../widget/lib/render-text.js';

function rendered(text: string): HTMLElement {
  const container = document.createElement('p');
  render(html`${renderText(text)}`, container);
  return container;
}

describe('renderText: user text is shown as text, with only http(s) links', () => {
  it('makes a link of an https URL, with rel="nofollow noopener ugc" and a new tab', () => {
    const container = rendered('Lihat https://www.bkn.go.id/layanan untuk info.');
    const links = container.querySelectorAll('a');
    expect(links).to.have.length(1);
    expect(links[0].getAttribute('href')).to.equal('https://www.bkn.go.id/layanan');
    expect(links[0].getAttribute('rel')).to.equal('nofollow noopener ugc');
    expect(links[0].getAttribute('target')).to.equal('_blank');
    expect(container.textContent).to.equal('Lihat https://www.bkn.go.id/layanan untuk info.');
  });

  it('makes links of http URLs too, and leaves sentence punctuation outside', () => {
    const container = rendered('Buka http://kanreg1.bkn.go.id. Atau (https://bkn.go.id/faq), ya?');
    const hrefs = [...container.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).to.deep.equal(['http://kanreg1.bkn.go.id', 'https://bkn.go.id/faq']);
  });

  it('never links other schemes: javascript:, data:, vbscript:, ftp:, mailto:, protocol-relative', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'ftp://files.example.com/x',
      'mailto:admin@bkn.go.id',
      '//evil.example.com/x',
      'javascript:http://example.com',
    ]) {
      const container = rendered(text);
      const hrefs = [...container.querySelectorAll('a')].map((a) => a.getAttribute('href'));
      expect(hrefs.every((href) => /^https?:\/\//.test(href!)), text).to.equal(true);
      expect(container.textContent, text).to.equal(text);
    }
  });

  it('keeps line breaks in the text', () => {
    const container = rendered('Baris satu\nBaris dua\n\nhttps://bkn.go.id\nakhir');
    expect(container.textContent).to.equal('Baris satu\nBaris dua\n\nhttps://bkn.go.id\nakhir');
    expect(container.querySelectorAll('a')).to.have.length(1);
  });

  it('renders markup as text: no element but the link is ever created', () => {
    const container = rendered('<b>tebal</b> <img src=x onerror=alert(1)> https://a.example/<script>');
    expect(container.querySelectorAll('*:not(a)')).to.have.length(0);
    expect(container.textContent).to.equal('<b>tebal</b> <img src=x onerror=alert(1)> https://a.example/<script>');
  });
});

describe('renderText against the XSS payload corpus (6,613 lines)', () => {
  let payloads: string[] = [];
  const ran: string[] = [];
  const saved = { alert: window.alert, prompt: window.prompt, confirm: window.confirm, print: window.print };

  before(async () => {
    const response = await fetch('/__corpora/xss-payload-list.txt');
    expect(response.ok, 'corpus is served by the test runner').to.equal(true);
    payloads = (await response.text()).split('\n').filter((line) => line.length > 0);
    // Anything that runs would call one of these; they record instead of blocking the page.
    const trap = (name: string) => (...args: unknown[]) => void ran.push(`${name}(${args.join(',')})`);
    Object.assign(window, { alert: trap('alert'), prompt: trap('prompt'), confirm: trap('confirm'), print: trap('print') });
  });

  after(() => Object.assign(window, saved));

  it('holds all the payloads', () => {
    expect(payloads.length).to.be.greaterThan(6500);
  });

  it('renders every payload as its own text, with no element but http(s) links, and runs none of them', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const failures: string[] = [];
    try {
      for (const payload of payloads) {
        render(html`<p class="text">${renderText(payload)}</p>`, container);
        const paragraph = container.firstElementChild!;
        const elements = [...paragraph.querySelectorAll('*')];
        const safe = elements.every(
          (element) =>
            element.localName === 'a' &&
            /^https?:\/\//i.test(element.getAttribute('href') ?? '') &&
            [...element.attributes].every((attribute) => ['href', 'rel', 'target'].includes(attribute.name)),
        );
        if (paragraph.textContent !== payload || !safe) failures.push(payload);
      }
      // Event handlers and timers a payload might have planted get a chance to fire.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      container.remove();
    }
    expect(failures, 'payloads not rendered as plain text').to.deep.equal([]);
    expect(ran, 'payload code that ran').to.deep.equal([]);
  });
});
