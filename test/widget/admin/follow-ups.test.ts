import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { OfficerAnswerResponse, OfficerThreadView } from '../../../server/protocol.js';
import type { OsgAdminFollowUps } from '../../../widget/admin/components/followups/followups.js';
import { officerToken, restAs, SERVER, waitFor } from '../support/helpers.js';
import { cleanupAdmin, deep, deepActiveElement, deepAll, mountAdmin, typeInto } from './support/admin-helpers.js';
import { inboxRow, requestFollowUp, searchWords, signInConsole, uniqueWord } from './support/follow-ups.js';
import { TEST_API_OFFICER, TEST_OFFICER } from './support/test-officer.mjs';

function countButton(admin: HTMLElement, key: string): HTMLButtonElement {
  return deep<HTMLButtonElement>(admin, `button.count[data-count="${key}"]`)!;
}

function countOf(admin: HTMLElement, key: string): number {
  return Number(countButton(admin, key).querySelector('strong')!.textContent);
}

describe('the follow-up inbox', () => {
  afterEach(cleanupAdmin);

  it('is where an officer lands, with counts per status and SLA state that filter when pressed', async () => {
    const word = uniqueWord('pangkat');
    const { tracking } = await requestFollowUp(`Berkas ${word} periode April`);
    const admin = mountAdmin(SERVER);
    await signInConsole(admin, TEST_OFFICER);
    await waitFor(() => deepActiveElement()?.id === 'followups-heading', 'focus on "Tindak lanjut"');
    // Found by its words: follow-ups other tests left on the shared server may fill the first page.
    await searchWords(admin, word);
    const row = await waitFor(() => inboxRow(admin, tracking), 'the follow-up row');
    expect(row.textContent).to.include(`Berkas ${word} periode April`);
    expect(row.querySelector('[data-status]')!.textContent!.trim()).to.equal('Baru');
    expect(row.querySelector('.chip.sla')!.textContent).to.match(/sisa \d+ (jam|menit) kerja|Tepat waktu|Hampir lewat|Lewat batas/);
    expect(countOf(admin, 'baru')).to.be.greaterThan(0);

    countButton(admin, 'baru').click();
    await waitFor(() => countButton(admin, 'baru').getAttribute('aria-pressed') === 'true', 'the pressed count');
    await waitFor(() => deep<HTMLSelectElement>(admin, '#fu-status')!.value === 'baru', 'the status filter set');
    await waitFor(() => inboxRow(admin, tracking), 'the row under "Baru"');
    expect(deepAll(admin, '[part~="queue-row"] [data-status]').every((chip) => chip.dataset.status === 'baru')).to.equal(true);

    // Another status hides it; the words filter finds it by tracking number.
    countButton(admin, 'selesai').click();
    await waitFor(() => !inboxRow(admin, tracking), 'the row gone under "Selesai"');
    countButton(admin, 'selesai').click();
    await searchWords(admin, tracking);
    await waitFor(() => deepAll(admin, '[part~="queue-row"]').length === 1 && inboxRow(admin, tracking), 'exactly the tracked row');
  });

  it('pages with "Muat lagi" and moves the focus to the first new row', async function () {
    this.timeout(60_000);
    const word = uniqueWord('halaman');
    const made: string[] = [];
    for (let i = 0; i < 21; i++) made.push((await requestFollowUp(`Mutasi ${word} nomor ${i}`)).tracking);
    const admin = mountAdmin(SERVER);
    await signInConsole(admin, TEST_OFFICER);
    await searchWords(admin, word);
    await waitFor(() => deepAll(admin, '[part~="queue-row"]').length === 20, 'the first page of 20');
    const more = await waitFor(() => deep<HTMLButtonElement>(admin, '[part="load-more"]'), '"Muat lagi"');
    expect(more.textContent!.trim()).to.equal('Muat lagi');
    more.click();
    await waitFor(() => deepAll(admin, '[part~="queue-row"]').length === 21, 'all 21');
    expect(deep(admin, '[part="load-more"]'), 'no more pages').to.equal(undefined);
    const shown = deepAll(admin, '[part~="queue-row"]').map((row) => row.dataset.tracking);
    expect([...shown].sort()).to.deep.equal([...made].sort());
    const last = deepAll(admin, '[part~="queue-row"]')[20]!;
    await waitFor(() => deepActiveElement() === last.querySelector('button.thread-title'), 'focus on the first new row');
  });

  it('shows a follow-up requested while the console is open, live, and counts it in the page title', async () => {
    const admin = mountAdmin(SERVER);
    await signInConsole(admin, TEST_OFFICER);
    await waitFor(() => deep(admin, 'button.count[data-count="baru"]'), 'the counts');
    const before = countOf(admin, 'baru');
    const title = `Cuti besar ${uniqueWord('live')}`;
    const { tracking } = await requestFollowUp(title);
    const row = await waitFor(() => inboxRow(admin, tracking), 'the live row');
    expect(row.textContent).to.include(title);
    expect(row.classList.contains('unread')).to.equal(true);
    await waitFor(() => /^\(\d+\) Tindak lanjut — OSG$/.test(document.title), 'the unread count in the title');
    await waitFor(() => countOf(admin, 'baru') === before + 1, 'the count of "Baru" up by one');
    await waitFor(() => deep(admin, '[part="announcement"]')?.textContent?.includes(tracking), 'the arrival read out');

    // Opening it reads it.
    const unread = Number(/^\((\d+)\)/.exec(document.title)![1]);
    (row.querySelector('button.thread-title') as HTMLButtonElement).click();
    await waitFor(() => deep(admin, '[part="follow-up-panel"]'), 'the thread');
    expect(document.title).to.equal(unread > 1 ? `(${unread - 1}) Tindak lanjut — OSG` : 'Tindak lanjut — OSG');
  });
});

describe('the console in English', () => {
  afterEach(cleanupAdmin);

  it('speaks English with lang="en": section, filters, counts, statuses and due times', async () => {
    const { tracking } = await requestFollowUp(`Rank promotion ${uniqueWord('en')}`);
    const admin = mountAdmin(SERVER, 'en');
    await signInConsole(admin, TEST_OFFICER);
    expect(deep(admin, '#followups-heading')!.textContent).to.equal('Follow-ups');
    expect(deep(admin, 'label[for="fu-words"]')!.textContent).to.equal('Words or tracking number');
    // Found by its tracking number: follow-ups other tests left on the shared server may fill the first page.
    await searchWords(admin, tracking);
    const row = await waitFor(() => inboxRow(admin, tracking), 'the row');
    expect(row.querySelector('[data-status]')!.textContent!.trim()).to.equal('New');
    expect(row.querySelector('.chip.sla')!.textContent).to.match(/On time|Nearly due|Overdue/);
    expect(countButton(admin, 'baru').textContent).to.include('New');
    expect(document.title).to.match(/Follow-ups — OSG$/);
  });
});

describe('working a follow-up', () => {
  afterEach(cleanupAdmin);

  it('shows what changed on stale_view, keeps the draft, and sends again only when asked', async () => {
    const { thread, tracking } = await requestFollowUp(`Pensiun dini ${uniqueWord('stale')}`, 'Agus Prasetyo');
    const admin = mountAdmin(SERVER);
    await signInConsole(admin, TEST_OFFICER);
    await searchWords(admin, tracking);
    (await waitFor(() => inboxRow(admin, tracking)?.querySelector<HTMLButtonElement>('button.thread-title'), 'the row')).click();
    await waitFor(() => deep(admin, '[part="follow-up-panel"]'), 'the panel');
    // The live link down (as on a bad network): the page cannot have heard of the other officer's answer.
    deep<OsgAdminFollowUps>(admin, 'osg-admin-followups')!.live.stop();
    const other = await officerToken(TEST_API_OFFICER);
    const view = await restAs<OfficerThreadView>(other, `/api/officer/threads/${thread.id}`);
    await restAs<OfficerAnswerResponse>(other, `/api/officer/threads/${thread.id}/answers`, 'POST', {
      body: 'Sudah kami jawab: silakan unggah SK terakhir.',
      clientId: `other-${Date.now().toString(36)}`,
      followUpVersion: view.followUp!.version,
    });

    typeInto(deep(admin, '#reply'), 'Draf jawaban saya.');
    deep<HTMLFormElement>(admin, 'form.reply')!.requestSubmit();
    const notice = await waitFor(() => deep(admin, '[part="stale"]'), 'the changes notice');
    expect(notice.getAttribute('role')).to.equal('alert');
    const changes = notice.querySelector('.stale-changes')!.textContent!;
    expect(changes).to.include(`${TEST_API_OFFICER.name} menjawab baru saja`);
    expect(changes).to.include('status kini Diproses');
    expect(deep<HTMLTextAreaElement>(admin, '#reply')!.value, 'the draft kept').to.equal('Draf jawaban saya.');
    await waitFor(() => deepAll(admin, '[part="post"]').some((post) => post.textContent!.includes('silakan unggah SK terakhir')), 'the other answer shown');
    const send = deep<HTMLButtonElement>(admin, '[part="send"]')!;
    expect(send.textContent!.trim()).to.equal('Kirim tetap');
    expect(deepAll(admin, '[part="post"]').some((post) => post.textContent!.includes('Draf jawaban saya.')), 'nothing posted').to.equal(false);

    send.click();
    await waitFor(() => deepAll(admin, '[part="post"]').some((post) => post.textContent!.includes('Draf jawaban saya.')), 'the answer sent deliberately');
    expect(deep(admin, '[part="stale"]')).to.equal(undefined);
    expect(deep<HTMLTextAreaElement>(admin, '#reply')!.value).to.equal('');
  });

  it('is worked by keyboard alone: row, thread, take, answer, back to the row', async function () {
    this.timeout(40_000);
    const word = uniqueWord('kunci');
    const { tracking } = await requestFollowUp(`Gaji ${word} terlambat`);
    const admin = mountAdmin(SERVER);
    await signInConsole(admin, TEST_OFFICER);
    await searchWords(admin, tracking);
    await waitFor(() => deepAll(admin, '[part~="queue-row"]').length === 1 && inboxRow(admin, tracking), 'the one row');
    const rowButton = inboxRow(admin, tracking)!.querySelector('button.thread-title');
    const tabTo = async (target: () => Element | null | undefined, what: string, key = 'Tab') => {
      for (let i = 0; i < 60 && deepActiveElement() !== target(); i++) {
        if (key === 'Shift+Tab') await sendKeys({ down: 'Shift' });
        await sendKeys({ press: 'Tab' });
        if (key === 'Shift+Tab') await sendKeys({ up: 'Shift' });
      }
      expect(deepActiveElement(), what).to.equal(target());
    };
    (deep(admin, '#fu-words') as HTMLInputElement).focus();
    await tabTo(() => rowButton, 'the row title');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => deepActiveElement()?.id === 'fu-thread-heading', 'focus on the thread heading');
    await tabTo(() => deep(admin, '[part="take"]'), '"Ambil"');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => deep(admin, '.panel .assignee')?.textContent?.includes(TEST_OFFICER.name), 'taken');
    await tabTo(() => deep(admin, '#reply'), 'the reply box', 'Shift+Tab');
    await sendKeys({ type: 'Jawaban lewat papan ketik.' });
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(deep(admin, '[part="send"]'));
    await sendKeys({ press: 'Enter' });
    await waitFor(() => deepAll(admin, '[part="post"]').some((post) => post.textContent!.includes('Jawaban lewat papan ketik.')), 'the answer');
    await waitFor(() => deep(admin, '.panel [data-status]')?.textContent?.trim() === 'Diproses', 'status Diproses');
    await tabTo(() => deep(admin, 'button.back'), '"Kembali ke antrean"', 'Shift+Tab');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => deepActiveElement() === inboxRow(admin, tracking)?.querySelector('button.thread-title'), 'focus back on the row');
  });
});
