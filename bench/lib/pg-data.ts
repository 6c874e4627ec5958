/**
 * Bulk loading for the PostgreSQL benchmark: the data set of store-data.ts written straight into a
 * store's tables with INSERT … SELECT FROM generate_series (one statement per table, not one insert
 * per row), with the seqs, client keys, counters and retained events the store itself would write.
 */
import type { Queryable } from '../../server/store/pg/db.js';

const SITES = `ARRAY['kanreg-1', 'kanreg-2', 'kanreg-3', 'kanreg-5']`;
const TOPICS = `ARRAY['kenaikan pangkat', 'mutasi', 'pensiun', 'cuti besar', 'gaji PPPK', 'SIASN', 'CPNS', 'tunjangan']`;
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

const THREAD_JSON = `jsonb_build_object('id', id, 'site', site, 'seq', seq, 'title', title, 'body', body, 'category', category,
  'authorId', author_id, 'authorName', author_name, 'clientId', client_id, 'createdAt', created_at,
  'lastActivityAt', last_activity_at, 'answerCount', answer_count)`;

/** Threads t0 … t{count-1} exactly as bench/lib/store-data.ts `thread(i)` makes them, seqs 1… per site. */
export async function loadThreads(db: Queryable, count: number, retention: number): Promise<void> {
  await db.query(`
    INSERT INTO threads (id, site, seq, title, body, category, author_id, author_name, client_id, created_at, last_activity_at, answer_count)
    SELECT 't' || i, (${SITES})[i % 4 + 1], i / 4 + 1,
           'Pertanyaan ' || i || ' tentang ' || topic,
           'Selamat siang, saya ASN di instansi daerah. Bagaimana prosedur ' || topic ||
             ' bila berkas saya sudah diunggah ke SIASN tetapi belum diverifikasi? Mohon penjelasan, terima kasih. (' || i || ')',
           split_part(topic, ' ', 1), 'v' || (i % 5000), 'Pengunjung ' || (i % 5000), 'seed-' || i, at, at, 0
    FROM generate_series(0, $1::int - 1) i,
         LATERAL (SELECT (${TOPICS})[i % 8 + 1] AS topic, to_char(timestamp '2025-01-01' + i * interval '1 minute', ${ISO}) AS at) x`,
  [count]);
  await db.query(`INSERT INTO client_keys (author_id, client_id, thread_id) SELECT author_id, client_id, id FROM threads`);
  await db.query(`INSERT INTO site_seq (site, seq) SELECT site, max(seq) FROM threads GROUP BY site`);
  await db.query(
    `INSERT INTO events (site, seq, at, change)
     SELECT site, seq, created_at, jsonb_build_object('kind', 'thread.created', 'thread', ${THREAD_JSON})
     FROM threads t WHERE seq > (SELECT seq FROM site_seq s WHERE s.site = t.site) - $1`,
    [retention],
  );
  await db.query('ANALYZE');
}

/**
 * `count` more answers spread evenly over the `threads` threads (count a multiple of threads, threads of
 * 4), continuing each site's seqs; answer counts, activity times, keys and retained events follow.
 */
export async function loadPosts(db: Queryable, count: number, threads: number, retention: number): Promise<void> {
  const perThread = count / threads;
  await db.query(`
    INSERT INTO posts (id, thread_id, site, seq, body, author_id, author_name, client_id, created_at)
    SELECT 'bulk-' || i, 't' || (i % $2::int), s.site, s.seq + i / 4 + 1,
           'Jawaban ' || i || ': silakan cek status usulan di SIASN dan hubungi BKD bila belum berubah dalam 5 hari kerja.',
           'officer' || (i % 20), 'Petugas', 'bulk-' || i, to_char(timestamp '2025-06-01' + i * interval '1 second', ${ISO})
    FROM generate_series(0, $1::int - 1) i JOIN site_seq s ON s.site = (${SITES})[i % 4 + 1]`,
  [count, threads]);
  await db.query(`INSERT INTO client_keys (author_id, client_id, post_id) SELECT author_id, client_id, id FROM posts WHERE id LIKE 'bulk-%'`);
  await db.query(
    `UPDATE threads t SET answer_count = answer_count + $1, last_activity_at = p.at
     FROM (SELECT thread_id, max(created_at) AS at FROM posts WHERE id LIKE 'bulk-%' GROUP BY thread_id) p WHERE p.thread_id = t.id`,
    [perThread],
  );
  await db.query(`UPDATE site_seq s SET seq = m.seq FROM (SELECT site, max(seq) AS seq FROM posts GROUP BY site) m WHERE m.site = s.site AND m.seq > s.seq`);
  await db.query(`DELETE FROM events e USING site_seq s WHERE e.site = s.site AND e.seq <= s.seq - $1`, [retention]);
  await db.query(
    `INSERT INTO events (site, seq, at, change)
     SELECT p.site, p.seq, p.created_at, jsonb_build_object('kind', 'post.created',
       'post', jsonb_build_object('id', p.id, 'threadId', p.thread_id, 'site', p.site, 'seq', p.seq, 'body', p.body, 'authorId', p.author_id,
                                  'authorName', p.author_name, 'clientId', p.client_id, 'createdAt', p.created_at),
       'answerCount', t.answer_count, 'lastActivityAt', t.last_activity_at)
     FROM posts p JOIN threads t ON t.id = p.thread_id JOIN site_seq s ON s.site = p.site
     WHERE p.id LIKE 'bulk-%' AND p.seq > s.seq - $1`,
    [retention],
  );
  await db.query('ANALYZE');
}
