import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { MemberSummary, PostView } from '../../../server/protocol.js';
import { TEST_OFFICER } from '../admin/support/test-officer.mjs';
import { cleanup, mount, officerToken, part, parts, question, RawClient, restAs, SERVER, waitFor } from '../support/helpers.js';

const unique = (text: string) => `${text} ${Math.random().toString(36).slice(2, 8)}`;

const rest = <T>(path: string, token: string, method = 'GET', body?: unknown) => restAs<T>(token, path, method, body);

/** A thread asked and answered by a second real client; the widget opens it. */
async function answeredThread(answerer = 'Budi Santoso') {
  const author = await RawClient.connect();
  await rest('/api/visitors/me', author.token, 'PATCH', { name: answerer });
  const title = unique('Berapa lama proses kenaikan pangkat?');
  const { thread } = await author.post(question(title));
  const { post } = await author.post({ type: 'answer', threadId: thread!.id, body: 'Sekitar dua bulan setelah berkas lengkap.' });
  const widget = mount({ site: 'kanreg1', server: SERVER });
  await waitFor(() => part(widget, 'status')?.textContent!.includes('Tersambung'), 'Tersambung', 10_000);
  const item = await waitFor(() => parts(widget, 'thread').find((element) => element.textContent!.includes(title)), title);
  item.querySelector('button')!.click();
  await waitFor(() => part(widget, 'rating-up'), 'the rating buttons');
  return { author, widget, thread: thread!, post: post! };
}

describe('trust signals on answers', () => {
  afterEach(cleanup);

  it('shows level chips, rating buttons and the score, and takes a vote from another client live', async () => {
    const { author, widget, post } = await answeredThread();
    expect(parts(widget, 'level').map((chip) => chip.textContent!.trim())).to.include('Baru');
    expect(part(widget, 'rating-up')!.textContent).to.contain('Membantu');
    expect(part(widget, 'rating-down')!.textContent).to.contain('Tidak membantu');
    expect(part(widget, 'score')!.textContent).to.equal('0');

    part(widget, 'rating-up')!.click();
    await waitFor(() => part(widget, 'rating-up')!.getAttribute('aria-pressed') === 'true', 'the vote pressed');
    await waitFor(() => part(widget, 'score')!.textContent === '1', 'score 1');

    const other = await RawClient.connect();
    other.send({ type: 'vote', postId: post.id, value: -1 });
    await waitFor(() => part(widget, 'score')!.textContent === '0', 'score 0 after the other vote, live');
    // Pressing again withdraws.
    part(widget, 'rating-up')!.click();
    await waitFor(() => part(widget, 'score')!.textContent === '-1', 'score -1 after withdrawing');
    expect(part(widget, 'rating-up')!.getAttribute('aria-pressed')).to.equal('false');
    author.close();
    other.close();
  });

  it('refuses a vote on one\'s own answer in words, and the author cannot press it', async () => {
    const author = await RawClient.connect();
    const title = unique('Apakah cuti besar bisa diambil sebagian?');
    const { thread } = await author.post(question(title));
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await waitFor(() => part(widget, 'status')?.textContent!.includes('Tersambung'), 'Tersambung', 10_000);
    (await waitFor(() => parts(widget, 'thread').find((element) => element.textContent!.includes(title)), title)).querySelector('button')!.click();
    const compose = await waitFor(() => part(widget, 'compose') as HTMLTextAreaElement, 'the answer box');
    compose.value = 'Bisa, sesuai Peraturan BKN tentang cuti.';
    compose.dispatchEvent(new InputEvent('input'));
    part(widget, 'submit')!.click();
    await waitFor(() => part(widget, 'rating-up'), 'the own answer');
    expect((part(widget, 'rating-up') as HTMLButtonElement).disabled).to.equal(true);
    expect(part(widget, 'edit')).to.exist;
    expect(part(widget, 'flag')).to.equal(undefined);
    // The asker's control, here visible to the asker only.
    expect(part(widget, 'accept')).to.equal(undefined);
    author.send({ type: 'watch', threadId: thread!.id });
    author.close();
  });

  it('labels the best answer when the asker marks it, live', async () => {
    const { author, widget, thread, post } = await answeredThread();
    author.send({ type: 'accept', threadId: thread.id, postId: post.id });
    await waitFor(() => part(widget, 'accepted')?.textContent!.includes('Jawaban terbaik'), 'Jawaban terbaik');
    author.close();
  });

  it('shows the verified badge as soon as an officer verifies the author, without a reload', async () => {
    const { author, widget } = await answeredThread('Sri Wahyuni');
    expect(part(widget, 'badge-verified')).to.equal(undefined);
    await rest('/api/visitors/me/verification', author.token, 'POST', {
      nip: '198503302010122002',
      instansi: 'BKD Kab. Sleman',
      jabatan: 'Analis Kepegawaian',
    });
    const token = await officerToken(TEST_OFFICER);
    const { requests } = await rest<{ requests: Array<{ id: string; member: MemberSummary }> }>(
      '/api/officer/verification-requests?status=pending', token);
    const request = requests.find((each) => each.member.name === 'Sri Wahyuni')!;
    await rest(`/api/officer/verification-requests/${request.id}/approve`, token, 'POST', {});
    const badge = await waitFor(() => part(widget, 'badge-verified'), 'the verified badge, live');
    expect(badge.textContent).to.contain('Terverifikasi · Analis Kepegawaian · BKD Kab. Sleman');
    expect(badge.title).to.match(/^Diverifikasi petugas pada \d+ \w+ \d{4}$/);
    author.close();
  });
});

describe('an officer next to their answer', () => {
  afterEach(cleanup);

  it('shows the "Petugas BKN" badge and no level chip: levels are for members', async () => {
    const { author, widget, thread } = await answeredThread();
    author.close();
    const token = await officerToken(TEST_OFFICER);
    await rest(`/api/threads/${thread.id}/posts`, token, 'POST', { body: 'Jawaban resmi: dua bulan sejak berkas lengkap.', clientId: `officer-${Date.now()}` });
    const answer = await waitFor(() => parts(widget, 'answer').find((element) => element.textContent!.includes('Jawaban resmi: dua bulan')), 'the official answer');
    const within = (item: Element, name: string) => parts(item.querySelector('osg-answer')!, name).length;
    expect(within(answer, 'badge-officer')).to.equal(1);
    expect(within(answer, 'level')).to.equal(0);
    // A member's answer in the same thread keeps its chip.
    const member = parts(widget, 'answer').find((element) => element !== answer)!;
    expect(within(member, 'level')).to.equal(1);
  });
});

describe('the profile card', () => {
  afterEach(cleanup);

  it('opens from a name, shows reputation, counts and activity, closes with Esc and gives focus back', async () => {
    const { author, widget, post } = await answeredThread('Dewi Lestari');
    await rest('/api/visitors/me', author.token, 'PATCH', { instansi: 'Dinas Pendidikan', yearsExperience: 7 });
    const answer = parts(widget, 'answer').find((element) => element.dataset.postId === post.id)!;
    const name = answer.querySelector('osg-answer')!.shadowRoot!.querySelector<HTMLButtonElement>('button.name')!;
    expect(name.textContent).to.equal('Dewi Lestari');
    name.focus();
    name.click();
    const card = await waitFor(() => part(widget, 'profile') as HTMLDialogElement, 'the profile card', 10_000);
    await waitFor(() => card.textContent!.includes('Reputasi'), 'the profile');
    expect(card.open).to.equal(true);
    expect(card.textContent).to.contain('Profil Dewi Lestari');
    expect(card.textContent).to.contain('Dinas Pendidikan');
    expect(card.textContent).to.contain('menurut pengakuan sendiri');
    expect(card.textContent).to.contain('7 tahun');
    expect(card.textContent).to.match(/Jawaban\s*1/);
    expect(card.textContent).to.match(/Aktif 1 dari 100 hari terakhir/);
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !part(widget, 'profile'), 'the card closed');
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    expect(active).to.equal(name);
    author.close();
  });
});

describe('a stale member summary', () => {
  afterEach(cleanup);

  it('is replaced by what the profile card loads, next to every answer too', async () => {
    const { author, widget, post } = await answeredThread('Rina Marlina');
    const answer = () => parts(widget, 'answer').find((element) => element.dataset.postId === post.id)!.querySelector('osg-answer')!.shadowRoot!;
    await waitFor(() => answer().querySelector('[part="level"]'), 'the level chip');
    // A summary the widget kept from before a change it never heard of (no frame comes when a level drops
    // with time): stand it in through the controller, as a missed frame would have left it.
    const forum = (widget as unknown as { forum: { learn(member: MemberSummary): void; members: ReadonlyMap<string, MemberSummary> } }).forum;
    const current = forum.members.get(post.authorId)!;
    forum.learn({ ...current, name: 'Nama Lama', level: 'terpercaya', reputation: 999 });
    await waitFor(() => answer().querySelector('button.name')?.textContent === 'Nama Lama', 'the stale name shown');
    answer().querySelector<HTMLButtonElement>('button.name')!.click();
    const card = await waitFor(() => part(widget, 'profile') as HTMLDialogElement, 'the profile card', 10_000);
    await waitFor(() => card.textContent!.includes('Reputasi'), 'the profile');
    await waitFor(() => card.textContent!.includes('Profil Rina Marlina'), 'the current name in the card');
    expect(card.textContent).not.to.contain('999');
    await waitFor(() => answer().querySelector('button.name')?.textContent === 'Rina Marlina', 'the current name next to the answer');
    expect(answer().querySelector('[part="level"]')!.textContent!.trim()).to.equal('Baru');
    author.close();
  });
});

describe('member text from the XSS corpus', () => {
  afterEach(cleanup);

  it('renders display names and profile fields as text', async () => {
    const corpus = (await (await fetch('/__corpora/xss-payload-list.txt')).text()).split('\n').filter((line) => line.trim());
    const names = corpus.filter((line) => [...line.trim()].length <= 40 && [...line.trim()].length >= 3).slice(0, 25);
    const author = await RawClient.connect();
    const title = unique('Payload');
    const { thread } = await author.post(question(title));
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await waitFor(() => part(widget, 'status')?.textContent!.includes('Tersambung'), 'Tersambung', 10_000);
    const shown: string[] = [];
    for (const name of names) {
      const client = await RawClient.connect();
      try {
        await rest('/api/visitors/me', client.token, 'PATCH', { name, instansi: corpus.slice(0, 5).join(' ').slice(0, 400) });
        shown.push(name);
      } catch {
        // The server refuses some payloads (control characters): not the widget's concern.
      }
      await client.post({ type: 'answer', threadId: thread!.id, body: 'Jawaban uji.' }).catch(() => undefined);
      client.close();
    }
    (await waitFor(() => parts(widget, 'thread').find((element) => element.textContent!.includes(title)), title)).querySelector('button')!.click();
    await waitFor(() => parts(widget, 'answer').length >= shown.length, 'every answer');
    const posts: PostView[] = (await (await fetch(`${SERVER}/api/threads/${thread!.id}`)).json()).posts;
    const names$ = parts(widget, 'answer').map((element) =>
      element.querySelector('osg-answer')!.shadowRoot!.querySelector('button.name')!.textContent);
    expect(names$.sort()).to.deep.equal(posts.map((post) => post.author?.name ?? post.authorName).sort());
    for (const element of parts(widget, 'answer')) {
      expect(element.querySelector('osg-answer')!.shadowRoot!.querySelectorAll('img, script, svg, iframe, a, video, audio').length).to.equal(0);
    }
    // And in the profile card.
    const first = parts(widget, 'answer')[0].querySelector('osg-answer')!.shadowRoot!.querySelector<HTMLButtonElement>('button.name')!;
    first.click();
    const card = await waitFor(() => part(widget, 'profile'), 'the profile card', 10_000);
    await waitFor(() => card.textContent!.includes('Reputasi'), 'the profile');
    expect(card.querySelectorAll('img, script, svg, iframe, a, video, audio').length).to.equal(0);
    expect(card.textContent).to.contain(first.textContent!);
    expect((window as { __xss?: unknown }).__xss).to.equal(undefined);
    author.close();
  });
});

describe('editing one\'s endorsed answer', () => {
  afterEach(cleanup);

  it('says before saving that a changed text loses "Dibenarkan petugas", and the label goes once saved', async () => {
    const author = await RawClient.connect();
    const title = unique('Apakah SK kenaikan pangkat bisa diunduh?');
    const { thread } = await author.post(question(title));
    const widget = mount({ site: 'kanreg1', server: SERVER });
    await waitFor(() => part(widget, 'status')?.textContent!.includes('Tersambung'), 'Tersambung', 10_000);
    (await waitFor(() => parts(widget, 'thread').find((element) => element.textContent!.includes(title)), title)).querySelector('button')!.click();
    const compose = await waitFor(() => part(widget, 'compose') as HTMLTextAreaElement, 'the answer box');
    compose.value = 'Bisa, lewat akun MySAPK.';
    compose.dispatchEvent(new InputEvent('input'));
    part(widget, 'submit')!.click();
    await waitFor(() => part(widget, 'edit'), 'the own answer');
    const [post] = (await (await fetch(`${SERVER}/api/threads/${thread!.id}`)).json()).posts as PostView[];
    await rest(`/api/officer/posts/${post!.id}/endorsement`, await officerToken(TEST_OFFICER), 'PUT', { endorsed: true });
    await waitFor(() => part(widget, 'endorsed'), '"Dibenarkan petugas", live');

    part(widget, 'edit')!.click();
    const answer = parts(widget, 'answer').find((element) => element.dataset.postId === post!.id)!.querySelector('osg-answer')!.shadowRoot!;
    const textarea = await waitFor(() => answer.querySelector('textarea'), 'the edit form', 10_000);
    const warning = answer.getElementById(textarea.getAttribute('aria-describedby')!)!;
    expect(warning.textContent).to.contain('"Dibenarkan petugas" dicabut');
    textarea.value = 'Bisa, lewat akun MySAPK atau SIASN.';
    answer.querySelector<HTMLButtonElement>('form.edit button[type=submit]')!.click();
    await waitFor(() => !part(widget, 'endorsed') && part(widget, 'edited'), 'the label gone and "(disunting)"');
    author.close();
  });
});

describe('"Profil saya" after an officer revokes the badge', () => {
  afterEach(cleanup);


  /** The widget's own identity gets verified, then revoked; "Profil saya" is opened afterwards. */
  async function revokedWidget(lang: string, nip: string) {
    const widget = mount({ site: 'kanreg1', server: SERVER, lang });
    const open = await waitFor(() => {
      const button = part(widget, 'my-profile-open') as HTMLButtonElement | undefined;
      return button?.disabled === false ? button : undefined;
    }, 'the "Profil saya" button', 10_000);
    const key = Object.keys(localStorage).find((each) => each.startsWith('osg-konsultasi:v1:'))!;
    const { token, visitor } = JSON.parse(localStorage.getItem(key)!) as { token: string; visitor: { id: string } };
    await rest('/api/visitors/me/verification', token, 'POST', { nip, instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' });
    const officer = await officerToken(TEST_OFFICER);
    const { requests } = await rest<{ requests: Array<{ id: string; member: MemberSummary }> }>('/api/officer/verification-requests?status=pending', officer);
    await rest(`/api/officer/verification-requests/${requests.find((r) => r.member.id === visitor.id)!.id}/approve`, officer, 'POST', { note: 'Sesuai SIASN' });
    expect((await rest<{ status: string }>('/api/visitors/me/verification', token)).status).to.equal('approved');
    await rest(`/api/officer/members/${visitor.id}/revoke-verification`, officer, 'POST', { note: 'Pindah instansi' });
    expect((await rest<{ status: string }>('/api/visitors/me/verification', token)).status).to.equal('revoked');
    open.click();
    const status = await waitFor(() => part(widget, 'verification-status'), 'the verification status', 10_000);
    await waitFor(() => !status.textContent!.includes('…'), 'the status loaded');
    return { widget, status };
  }

  it('says the verification was revoked, with the officer\'s note, and offers to ask again', async () => {
    const { widget, status } = await revokedWidget('id', '198503122010011003');
    expect(status.textContent).to.contain('Verifikasi akun Anda dicabut petugas');
    expect(status.textContent).not.to.contain('terverifikasi');
    const section = part(widget, 'verification')!;
    expect(section.textContent).to.contain('Catatan petugas: Pindah instansi');
    expect(section.textContent).not.to.contain('Sesuai SIASN');
    expect(part(widget, 'nip'), 'the request form is offered again').to.exist;
  });

  it('says so in English too', async () => {
    const { widget, status } = await revokedWidget('en', '199001152015031002');
    await waitFor(() => status.textContent!.includes('An officer revoked your verification'), 'the English status');
    expect(status.textContent).not.to.contain('Your account is verified');
    expect(part(widget, 'verification')!.textContent).to.contain("Officer's note: Pindah instansi");
  });
});
