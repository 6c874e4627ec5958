/**
 * `npm run screenshots`: PNGs of the widget and of the officers' console for README.md, made with Debian's
 * Chromium (playwright-core) against a server of its own on a temporary data directory with demo data.
 * Needs `npm run build` first (the widget and the admin page are served from dist/).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import type { OfficerAnswerResponse, QueueItem } from '../../server/protocol.js';
import { askForFollowUp, officerToken, openConsole, queueRow, rest, writeConsoleOfficers } from '../../test/e2e/support/console.js';
import { clientId, listedThread, startServer, stopServer, waitOnline } from '../../test/e2e/support/harness.js';

const OUT = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

for (const file of ['dist/widget/osg-konsultasi.js', 'dist/admin/index.html']) {
  if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first.`);
}

const QUESTIONS = [
  { name: 'Sri Rahayu', category: 'kenaikan-pangkat', title: 'Kapan berkas kenaikan pangkat periode April harus masuk?', body: 'Saya PNS golongan III/b di Pemkab Sleman. Berkas KP periode April 2027 paling lambat diunggah kapan, dan lewat SIASN atau instansi?' },
  { name: 'Agus Prasetyo', category: 'pensiun', title: 'Pensiun janda: dokumen apa saja yang perlu disiapkan?', body: 'Suami saya PNS dan meninggal bulan lalu. Dokumen apa yang harus dilengkapi untuk pensiun janda?' },
  { name: 'Dewi Lestari', category: 'data-asn', title: 'Nama di SIASN salah ejaan, bagaimana memperbaikinya?', body: 'Nama saya di SIASN tertulis "Dewi Lestary". Ke mana saya mengajukan perbaikan data?' },
  { name: 'Yusuf Hidayat', category: 'cuti', title: 'Cuti besar setelah 5 tahun: apakah bisa dipecah?', body: 'Apakah cuti besar 3 bulan boleh diambil dalam dua bagian?' },
  { name: 'Maria Ulfa', category: 'mutasi', title: 'Mutasi antar kabupaten untuk ikut suami', body: 'Saya PPPK guru. Apakah PPPK bisa mutasi antar kabupaten?' },
];

async function shoot(page: Page, name: string): Promise<void> {
  // Let fonts and live frames settle into the layout before the picture.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(OUT, name), fullPage: true });
  console.log(`docs/screenshots/${name}`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'osg-screenshots-'));
await writeConsoleOfficers(dataDir);
const server = await startServer(dataDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--hide-scrollbars'],
});
try {
  const base = server.url;
  const api = await officerToken(base, 'api');
  const asked = [];
  for (const question of QUESTIONS) asked.push(await askForFollowUp(base, question));
  const [first, second, third, fourth] = asked;
  // A member's answer and an official one on the first; the third waits for its asker; the fourth is taken by Ani.
  const member = await rest<{ token: string }>(base, 'POST', '/api/visitors', { name: 'Hendra Wijaya' });
  await rest(base, 'POST', `/api/threads/${first!.thread.id}/posts`, { body: 'Setahu saya akhir Januari, tapi sebaiknya tanya BKD.', clientId: clientId('a') }, member.token);
  await rest<OfficerAnswerResponse>(base, 'POST', `/api/officer/threads/${first!.thread.id}/answers`, {
    body: 'Untuk periode April 2027, usul KP diunggah instansi melalui SIASN paling lambat 31 Januari 2027. Silakan pastikan SKP dua tahun terakhir sudah lengkap.',
    clientId: clientId('o'),
    followUpVersion: 1,
  }, api);
  const waiting = await rest<OfficerAnswerResponse>(base, 'POST', `/api/officer/threads/${third!.thread.id}/answers`, {
    body: 'Mohon kirimkan foto SK CPNS dan KTP agar kami dapat mencocokkan data.',
    clientId: clientId('o'),
    followUpVersion: 1,
  }, api);
  await rest<QueueItem>(base, 'POST', `/api/officer/threads/${third!.thread.id}/status`, { status: 'menunggu_penanya', version: waiting.followUp!.version }, api);
  // A supervisor assigns another officer.
  await rest<QueueItem>(base, 'POST', `/api/officer/threads/${fourth!.thread.id}/assign`, { officerId: 'officer-ani', version: 1 }, await officerToken(base, 'rina'));
  void second;

  // The widget, as the first asker sees it: their identity where the widget keeps it (so the thread shows their
  // tracking number and status).
  const visitor = await browser.newPage({ viewport: { width: 480, height: 900 } });
  await visitor.addInitScript(([key, identity]) => localStorage.setItem(key, identity), [`osg-konsultasi:v1:${new URL(base).origin}`, JSON.stringify(first!.identity)] as const);
  await visitor.goto(`${base}/demo/`);
  await waitOnline(visitor);
  await listedThread(visitor, first!.thread.title).waitFor();
  await shoot(visitor, 'widget-threads.png');
  await listedThread(visitor, first!.thread.title).locator('button').first().click();
  await visitor.locator('osg-konsultasi [part~="question"]').filter({ hasText: first!.thread.title }).waitFor();
  await visitor.locator('osg-konsultasi [part~="answer"]').filter({ hasText: 'SIASN paling lambat' }).waitFor();
  await visitor.locator('osg-konsultasi [part~="follow-up-status"]').filter({ hasText: first!.tracking }).waitFor();
  await shoot(visitor, 'widget-thread-officer-answer.png');

  // The console: Budi has the first follow-up open, so Ani sees "Budi sedang melihat".
  const budi = await openConsole(browser, base, 'budi');
  await queueRow(budi, first!.tracking).locator('button.thread-title').click();
  await budi.locator('osg-admin [part="follow-up-panel"]').waitFor();
  for (const [name, viewport] of [['', { width: 1280, height: 900 }], ['-390', { width: 390, height: 844 }]] as const) {
    const ani = await openConsole(browser, base, 'ani', viewport);
    await queueRow(ani, first!.tracking).waitFor();
    await shoot(ani, `console-inbox${name}.png`);
    await queueRow(ani, first!.tracking).locator('button.thread-title').click();
    await ani.locator('osg-admin [part="presence"]').filter({ hasText: 'Budi Santoso sedang melihat' }).waitFor();
    await ani.locator('osg-admin #reply').fill('Terima kasih, Bu Sri. Kami tambahkan: ');
    await shoot(ani, `console-thread${name}.png`);
    await ani.context().close();
  }
} finally {
  await browser.close();
  await stopServer(server);
  rmSync(dataDir, { recursive: true, force: true });
}
