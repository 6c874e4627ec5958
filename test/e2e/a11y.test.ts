import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { eventually, listedThread, openOnlineDemos, openThread, part, RestVisitor, storedAnswers, useServerAndBrowser } from './support/harness.js';

/** The part names of the focused element, looking through shadow roots to the innermost one. */
function focusedPart(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.getAttribute('part') ?? null;
  });
}

/** Presses Tab until the focused element has the part; returns how many presses it took. */
async function tabTo(page: Page, name: string, most = 10): Promise<number> {
  for (let presses = 1; presses <= most; presses++) {
    await page.keyboard.press('Tab');
    if ((await focusedPart(page))?.split(/\s+/).includes(name)) return presses;
  }
  assert.fail(`${most} presses of Tab did not reach [part~="${name}"] (focus is on part "${await focusedPart(page)}")`);
}

describe('asking a question with the keyboard only', () => {
  const rig = useServerAndBrowser();
  let page: Page;

  before(async () => {
    [page] = await openOnlineDemos(rig, 1);
  });

  it('tells the connection state in a role="status" region', async () => {
    const status = page.getByRole('status');
    assert.equal(await status.count(), 1);
    assert.equal((await status.innerText()).trim(), 'Tersambung');
    assert.match((await status.getAttribute('part')) ?? '', /\bstatus\b/);
  });

  it('reaches the ask button with Tab and opens the form with Enter, moving focus into it', async () => {
    // From the top of the demo page: its two selects, maybe the name button, then the widget.
    await page.locator('body').focus();
    await tabTo(page, 'ask', 6);
    await page.keyboard.press('Enter');
    await part(page, 'title-input').waitFor();
    await page.waitForFunction(() => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element?.closest('[part~="ask-form"]') !== null && element?.localName === 'h2';
    });
  });

  it('names every field of the form by its visible label', async () => {
    const named = async (label: string) => (await page.getByLabel(label, { exact: true }).getAttribute('part')) ?? '';
    assert.match(await named('Judul'), /\btitle-input\b/);
    assert.match(await named('Topik'), /\bcategory\b/);
    assert.match(await named('Pertanyaan'), /\bcompose\b/);
    assert.equal(await page.getByRole('button', { name: 'Kirim', exact: true }).getAttribute('part'), 'submit');
  });

  it('sends the question typed and submitted with the keyboard', async () => {
    const title = 'Apakah cuti melahirkan memotong tunjangan?';
    const body = 'Saya PNS golongan III/a dan akan cuti melahirkan tiga bulan.';
    await tabTo(page, 'title-input', 2);
    await page.keyboard.type(title);
    await tabTo(page, 'category', 3);
    await page.keyboard.press('ArrowDown');
    const category = await part(page, 'category').inputValue();
    await tabTo(page, 'compose', 3);
    await page.keyboard.type(body);
    await tabTo(page, 'submit', 3);
    await page.keyboard.press('Enter');

    await listedThread(page, title).waitFor();
    const res = await fetch(`${rig.server.url}/api/sites/kanreg1/threads`);
    const { threads } = (await res.json()) as { threads: Array<{ title: string; body: string; category: string }> };
    assert.deepEqual(threads.map((t) => ({ title: t.title, body: t.body, category: t.category })), [{ title, body, category }]);
    // The demo preselects kenaikan-pangkat; ArrowDown moved to the next topic.
    assert.notEqual(category, 'kenaikan-pangkat');
  });
});

/** Where focus is: the innermost focused element's part, and the answer (post id) it belongs to, if any. */
function focusedControl(page: Page): Promise<{ part: string | null; postId: string | null }> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    const answer = (element?.getRootNode() as ShadowRoot | null)?.host;
    return { part: element?.getAttribute('part') ?? null, postId: answer?.closest('li')?.getAttribute('data-post-id') ?? null };
  });
}

describe('rating and accepting with the keyboard', () => {
  const rig = useServerAndBrowser();
  let asker: Page;
  let rater: Page;
  const title = 'Berapa lama proses kenaikan pangkat pilihan?';
  let first = '';
  let second = '';

  before(async () => {
    [asker, rater] = await openOnlineDemos(rig, 2);
    const token = await asker.evaluate((origin) => JSON.parse(localStorage.getItem(`osg-konsultasi:v1:${origin}`)!).token as string, rig.server.url);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const body = JSON.stringify({ title, body: 'Saya sudah mengusulkan sejak bulan lalu, kapan biasanya selesai?', category: 'kenaikan-pangkat', clientId: 'a11y-thread-1' });
    const thread = await (await fetch(`${rig.server.url}/api/sites/kanreg1/threads`, { method: 'POST', headers, body })).json();
    const answerers = [await RestVisitor.create(rig.server.url, 'Analis Sleman'), await RestVisitor.create(rig.server.url, 'Analis Bantul')];
    first = (await answerers[0]!.answer(thread.id, 'Biasanya satu sampai dua bulan.')).id;
    second = (await answerers[1]!.answer(thread.id, 'Tergantung kelengkapan berkas di SIASN.')).id;
    await openThread(rater, title);
    await openThread(asker, title);
  });

  it('keeps focus on "Membantu" of the rated answer after it moves up the list', async () => {
    const answer = rater.locator(`osg-konsultasi li[data-post-id="${second}"]`);
    // Same score, so by time: the second answer is below the first until it is rated.
    assert.deepEqual(await storedAnswers(rater).evaluateAll((items) => items.map((item) => item.getAttribute('data-post-id'))), [first, second]);
    await answer.locator('[part~="rating-up"]').focus();
    await rater.keyboard.press('Enter');
    await eventually('the rated answer first, its vote settled', async () =>
      (await storedAnswers(rater).first().getAttribute('data-post-id')) === second &&
      (await answer.locator('[part~="rating-up"]').getAttribute('aria-pressed')) === 'true' &&
      (await answer.locator('[part~="rating-up"]').getAttribute('aria-disabled')) === 'false');
    await eventually('focus on its "Membantu"', async () => {
      const focused = await focusedControl(rater);
      return focused.part === 'rating-up' && focused.postId === second;
    });
  });

  it('keeps focus on the best-answer toggle of the answer the asker marks', async () => {
    const answer = asker.locator(`osg-konsultasi li[data-post-id="${first}"]`);
    await eventually('the rated answer first for the asker too', async () => (await storedAnswers(asker).first().getAttribute('data-post-id')) === second);
    await answer.locator('[part~="accept"]').focus();
    await asker.keyboard.press('Enter');
    await eventually('the marked answer first, settled', async () =>
      (await storedAnswers(asker).first().getAttribute('data-post-id')) === first &&
      (await answer.locator('[part~="accept"]').getAttribute('aria-pressed')) === 'true' &&
      (await answer.locator('[part~="accept"]').getAttribute('aria-disabled')) === 'false');
    await eventually('focus on its toggle', async () => {
      const focused = await focusedControl(asker);
      return focused.part === 'accept' && focused.postId === first;
    });
  });

  it('names the rating buttons by their words only: the arrows are not read', async () => {
    const answer = rater.locator(`osg-konsultasi li[data-post-id="${first}"]`);
    assert.equal(await answer.getByRole('button', { name: 'Membantu', exact: true }).count(), 1);
    assert.equal(await answer.getByRole('button', { name: 'Tidak membantu', exact: true }).count(), 1);
    assert.equal(await rater.getByRole('button', { name: 'Kembali ke daftar', exact: true }).count(), 1);
  });
});

/**
 * In each shadow root of the widget: no id twice, every form control named by a label that points at it (or an
 * aria-label), and every aria-describedby naming an element that is there. Returns what is wrong.
 */
function idProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // tsx names inner functions with an `__name` helper that the page does not have.
    (globalThis as { __name?: unknown }).__name ??= (fn: unknown) => fn;
    const problems: string[] = [];
    const visit = (root: ShadowRoot, where: string) => {
      const ids = [...root.querySelectorAll('[id]')].map((element) => element.id);
      for (const id of new Set(ids)) if (ids.filter((other) => other === id).length > 1) problems.push(`${where}: id "${id}" twice`);
      for (const control of root.querySelectorAll<HTMLInputElement>('input, select, textarea')) {
        const name = control.getAttribute('name') ?? control.id;
        const labelled = [...(control.labels ?? [])].some((label) => label.textContent!.trim()) || control.getAttribute('aria-label');
        if (!labelled) problems.push(`${where}: ${control.localName} "${name}" has no label`);
        for (const id of (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)) {
          if (!root.getElementById(id)) problems.push(`${where}: ${control.localName} "${name}" described by missing "${id}"`);
        }
      }
      for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot, element.localName);
    };
    visit(document.querySelector('osg-konsultasi')!.shadowRoot!, 'osg-konsultasi');
    return problems;
  });
}

describe('ids, labels and descriptions', () => {
  const rig = useServerAndBrowser();
  let page: Page;

  before(async () => {
    [page] = await openOnlineDemos(rig, 1);
  });

  it('holds in the ask form', async () => {
    await part(page, 'ask').click();
    await part(page, 'title-input').waitFor();
    assert.deepEqual(await idProblems(page), []);
    // After a refused submit the topic's error describes the select.
    await part(page, 'category').selectOption('');
    await part(page, 'submit').click();
    await part(page, 'ask-form').locator('[part~="error"]').first().waitFor();
    assert.deepEqual(await idProblems(page), []);
    await part(page, 'cancel').click();
  });

  it('holds in "Profil saya", where the profile and the verification forms both ask for instansi and jabatan', async () => {
    await part(page, 'my-profile-open').click();
    await part(page, 'nip').waitFor();
    assert.deepEqual(await idProblems(page), []);
    for (const label of ['Instansi', 'Jabatan']) {
      const fields = page.getByLabel(label, { exact: true });
      assert.equal(await fields.count(), 2, label);
      assert.equal(await part(page, 'verification').getByLabel(label, { exact: true }).count(), 1, `${label} of the verification form`);
    }
  });
});
