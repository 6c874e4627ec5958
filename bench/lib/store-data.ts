/** The data set of the storage benchmarks: 100,000 threads over 4 sites, and answers to them. */
import type { NewPost, NewThread } from '../../server/domain/model.js';

export const THREADS = 100_000;
const SITES = ['kanreg-1', 'kanreg-2', 'kanreg-3', 'kanreg-5'];
const TOPICS = ['kenaikan pangkat', 'mutasi', 'pensiun', 'cuti besar', 'gaji PPPK', 'SIASN', 'CPNS', 'tunjangan'];

export function thread(i: number): NewThread {
  const topic = TOPICS[i % TOPICS.length];
  const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
  return {
    id: `t${i}`,
    site: SITES[i % SITES.length],
    title: `Pertanyaan ${i} tentang ${topic}`,
    body: `Selamat siang, saya ASN di instansi daerah. Bagaimana prosedur ${topic} bila berkas saya sudah diunggah ke SIASN tetapi belum diverifikasi? Mohon penjelasan, terima kasih. (${i})`,
    category: topic.split(' ')[0],
    authorId: `v${i % 5000}`,
    authorName: `Pengunjung ${i % 5000}`,
    clientId: `seed-${i}`,
    createdAt: at,
    lastActivityAt: at,
    answerCount: 0,
  };
}

export function post(i: number): NewPost {
  const t = (i * 7919) % THREADS;
  return {
    id: `p${i}`,
    threadId: `t${t}`,
    site: SITES[t % SITES.length],
    body: `Jawaban ${i}: silakan cek status usulan di SIASN dan hubungi BKD bila belum berubah dalam 5 hari kerja.`,
    authorId: `officer${i % 20}`,
    authorName: 'Petugas',
    clientId: `bench-${i}`,
    createdAt: new Date().toISOString(),
  };
}

/** Runs `count` operations with `inFlight` workers; returns elapsed ms and each op's latency, sorted. */
export async function load(count: number, inFlight: number, op: (i: number) => Promise<unknown>): Promise<{ ms: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { ms: performance.now() - started, latencies: latencies.sort((a, b) => a - b) };
}
