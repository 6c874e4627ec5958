/**
 * Every word the officers' admin page shows, Bahasa Indonesia first, English second. Templates read them from
 * the catalogue the host passes down as `t`; error codes are mapped here once.
 */
import type { ErrorCode, FollowUpReason, FollowUpStatus, QueueItem, SessionEndReason, SlaState } from '../../server/protocol.js';
import { errorMessage as widgetErrorMessage } from '../i18n.js';
import { en } from './i18n-en.js';

export type AdminLocale = 'id' | 'en';
export type SectionId = 'followups' | 'requests' | 'member' | 'flagged' | 'answer' | 'audit';
export type RequestStatus = 'pending' | 'approved' | 'rejected';
export type FlagStatus = 'pending' | 'removed';
/** Server codes plus `network`: no answer from the server at all. */
export type AdminErrorCode = ErrorCode | 'network';
export interface AdminError {
  code: AdminErrorCode;
  field?: string;
  limit?: number;
  retryAfterMs?: number;
  reason?: SessionEndReason;
  /** For `stale_view`: the thread and follow-up as they are now. */
  current?: QueueItem;
}
/** Why the page went back to the sign-in form: a `session_ended` reason, the token's end, or a bad token. */
export type SessionEnd = SessionEndReason | 'expired' | 'invalid';

const id = {
  locale: 'id' as AdminLocale,
  title: 'Konsol Petugas — Konsultasi Kepegawaian',
  skipToContent: 'Lompat ke isi',
  // sign-in
  signInHeading: 'Masuk sebagai petugas',
  username: 'Nama pengguna',
  password: 'Kata sandi',
  signIn: 'Masuk',
  signingIn: 'Sedang masuk…',
  signOut: 'Keluar',
  signedInAs: (name: string) => `Masuk sebagai ${name}`,
  signedOut: 'Anda telah keluar.',
  signingOut: 'Sedang keluar…',
  signedOutOffline: 'Anda telah keluar dari halaman ini, tetapi server tidak dapat dihubungi; sesi di server berakhir sendiri bila tidak aktif.',
  sessionEnded: 'Sesi petugas berakhir; silakan masuk lagi.',
  sessionEndedBecause: {
    logout: 'Sesi ini sudah diakhiri dengan tombol Keluar (mungkin di tab lain); silakan masuk lagi.',
    replaced: 'Sesi ini berakhir karena akun Anda masuk di perangkat atau tab lain. Jika itu bukan Anda, segera minta kata sandi diganti.',
    idle: 'Sesi berakhir karena terlalu lama tidak ada aktivitas; silakan masuk lagi.',
    credentials_changed: 'Sesi berakhir karena kata sandi akun ini diubah; masuk dengan kata sandi yang baru.',
    account_removed: 'Sesi berakhir karena akun petugas ini dinonaktifkan.',
    expired: 'Sesi petugas sudah mencapai batas waktunya; silakan masuk lagi.',
    invalid: 'Sesi petugas tidak valid; silakan masuk lagi.',
  } as Record<SessionEnd, string>,
  sessionNote:
    'Sesi disimpan hanya di tab ini. Sesi berakhir saat tab ditutup, saat Anda menekan Keluar, bila lama tidak aktif, atau bila akun ini masuk di tempat lain.',
  // navigation
  nav: 'Menu petugas',
  sections: {
    followups: 'Tindak lanjut',
    requests: 'Permintaan verifikasi',
    member: 'Anggota',
    flagged: 'Laporan',
    answer: 'Jawab',
    audit: 'Log audit',
  } as Record<SectionId, string>,
  // shared
  loading: 'Memuat…',
  retry: 'Coba lagi',
  refresh: 'Muat ulang',
  show: 'Tampilkan',
  cancel: 'Batal',
  confirm: 'Ya, lanjutkan',
  note: 'Catatan (opsional)',
  openMember: 'Lihat anggota',
  memberId: 'ID anggota',
  reputation: (n: number) => `Reputasi ${n}`,
  levels: { baru: 'Baru', anggota: 'Anggota', aktif: 'Aktif', terpercaya: 'Terpercaya' } as Record<string, string>,
  officerBadge: 'Petugas BKN',
  verifiedBadge: (jabatan: string, instansi: string) => `Terverifikasi · ${jabatan} · ${instansi}`,
  // verification requests
  requestStatus: { pending: 'Menunggu', approved: 'Disetujui', rejected: 'Ditolak' } as Record<RequestStatus, string>,
  requestsEmpty: { pending: 'Tidak ada permintaan yang menunggu.', approved: 'Belum ada permintaan yang disetujui.', rejected: 'Belum ada permintaan yang ditolak.' } as Record<RequestStatus, string>,
  requestsCount: (n: number) => `${n} permintaan`,
  nip: 'NIP',
  nipInfo: 'Isi NIP',
  birthDate: 'Tanggal lahir',
  startMonth: 'TMT CPNS',
  gender: 'Jenis kelamin',
  genders: { pria: 'Pria', wanita: 'Wanita' } as Record<string, string>,
  instansi: 'Instansi',
  jabatan: 'Jabatan',
  requestNote: 'Catatan pemohon',
  createdAt: 'Diajukan',
  decidedAt: 'Diputuskan',
  decisionNote: 'Catatan petugas',
  approve: 'Setujui',
  reject: 'Tolak',
  approved: (name: string) => `Permintaan ${name} disetujui; anggota kini terverifikasi.`,
  rejected: (name: string) => `Permintaan ${name} ditolak.`,
  // member
  memberHeading: 'Cari anggota',
  lookUp: 'Cari',
  memberEmpty: 'Masukkan ID anggota dari permintaan, laporan atau log audit.',
  profile: 'Profil',
  selfDeclared: 'menurut pengakuan sendiri',
  bidang: 'Bidang keahlian',
  years: 'Pengalaman (tahun)',
  memberSince: 'Anggota sejak',
  lastActive: 'Terakhir aktif',
  activeDays: (n: number) => `Aktif ${n} dari 100 hari terakhir`,
  stats: 'Statistik',
  statNames: {
    questions: 'Pertanyaan',
    answers: 'Jawaban',
    helpfulAnswers: 'Jawaban membantu',
    acceptedAnswers: 'Jawaban terbaik',
    endorsedAnswers: 'Dibenarkan petugas',
  } as Record<string, string>,
  memberRequests: 'Permintaan verifikasi anggota',
  noRequests: 'Anggota ini belum pernah meminta verifikasi.',
  revoke: 'Cabut verifikasi',
  revoked: (name: string) => `Verifikasi ${name} dicabut.`,
  revokeConfirm: (name: string) =>
    `Lencana "Terverifikasi" ${name} akan dicabut dan tidak lagi tampil di samping namanya. Tindakan ini tercatat di log audit. Lanjutkan?`,
  reverseVotes: 'Batalkan semua suara anggota ini',
  reverseConfirm: (name: string) =>
    `Semua suara yang pernah diberikan ${name} akan dibatalkan dan reputasi penerimanya dihitung ulang. Tindakan ini tercatat di log audit. Lanjutkan?`,
  reversed: (n: number) => `${n} suara dibatalkan.`,
  // flagged
  flagStatus: { pending: 'Menunggu tinjauan', removed: 'Sudah dihapus' } as Record<FlagStatus, string>,
  flaggedEmpty: { pending: 'Tidak ada jawaban yang menunggu tinjauan.', removed: 'Belum ada jawaban yang dihapus.' } as Record<FlagStatus, string>,
  thread: 'Pertanyaan',
  answerText: 'Jawaban',
  author: 'Penulis',
  flags: 'Laporan',
  reasons: { salah_informasi: 'Salah informasi', spam: 'Spam', tidak_pantas: 'Tidak pantas' } as Record<string, string>,
  weight: (n: number) => `bobot ${n}`,
  restore: 'Pulihkan',
  remove: 'Hapus',
  restored: 'Jawaban dipulihkan dan tampil kembali.',
  removedDone: 'Jawaban dihapus dari tampilan publik.',
  // answer
  site: 'Situs',
  threadsHeading: 'Pertanyaan terbaru',
  threadsEmpty: 'Belum ada pertanyaan di situs ini.',
  unanswered: 'Belum dijawab',
  answerCount: (n: number) => (n === 0 ? 'Belum dijawab' : `${n} jawaban`),
  backToThreads: 'Kembali ke daftar',
  noAnswers: 'Belum ada jawaban.',
  official: 'Jawaban resmi',
  endorsed: 'Dibenarkan petugas',
  accepted: 'Jawaban terbaik',
  hidden: 'Disembunyikan',
  score: (n: number) => `Skor ${n}`,
  endorse: 'Benarkan',
  unendorse: 'Batalkan pembenaran',
  endorsedDone: 'Jawaban dibenarkan.',
  unendorsedDone: 'Pembenaran dibatalkan.',
  officialAnswer: 'Jawaban resmi petugas',
  sendAnswer: 'Kirim jawaban resmi',
  sending: 'Mengirim…',
  answerSent: 'Jawaban resmi terkirim.',
  /** The follow-up queue ("Tindak lanjut"): inbox, thread view, panel, reply box, presence, notifications. */
  fu: {
    documentTitle: (unread: number) => `${unread > 0 ? `(${unread}) ` : ''}Tindak lanjut — OSG`,
    statuses: { baru: 'Baru', diproses: 'Diproses', menunggu_penanya: 'Menunggu penanya', selesai: 'Selesai', ditutup: 'Ditutup' } as Record<FollowUpStatus, string>,
    sla: { ok: 'Tepat waktu', warning: 'Hampir lewat', breached: 'Lewat batas', paused: 'Dijeda', met: 'Terpenuhi' } as Record<SlaState, string>,
    reasons: {
      asker_request: 'Diminta penanya',
      unanswered: 'Belum ada jawaban',
      no_official_answer: 'Belum ada jawaban resmi',
      flagged: 'Jawaban dilaporkan',
      negative_score: 'Skor jawaban negatif',
    } as Record<FollowUpReason, string>,
    causes: { opened: 'masuk antrean', officer: 'diubah petugas', officer_answer: 'jawaban petugas', asker_reply: 'balasan penanya', auto_close: 'ditutup otomatis' } as Record<string, string>,
    filters: 'Saring antrean',
    site: 'Situs',
    anySite: 'Semua situs saya',
    category: 'Topik',
    anyCategory: 'Semua topik',
    status: 'Status',
    anyStatus: 'Semua status',
    assignee: 'Ditangani',
    anyAssignee: 'Siapa saja',
    me: 'Saya',
    none: 'Belum ada',
    slaFilter: 'Batas waktu',
    anySla: 'Semua',
    words: 'Kata atau nomor tiket',
    search: 'Cari',
    clear: 'Hapus saringan',
    byStatus: 'Jumlah menurut status',
    bySla: 'Jumlah menurut batas waktu',
    countChip: (label: string, n: number) => `${label} ${n}`,
    showOnly: (label: string) => `Tampilkan hanya: ${label}`,
    loadMore: 'Muat lagi',
    empty: 'Tidak ada tindak lanjut yang cocok dengan saringan ini.',
    shown: (n: number) => `${n} ditampilkan`,
    live: { connecting: 'Menghubungkan…', online: 'Langsung', offline: 'Terputus — mencoba lagi; daftar mungkin tidak terbaru.' } as Record<string, string>,
    arrived: (tracking: string, title: string) => `Tindak lanjut baru ${tracking}: ${title}`,
    tracking: 'Nomor tiket',
    reason: 'Sebab',
    due: 'Batas waktu',
    firstResponse: 'Tanggapan pertama',
    resolution: 'Penyelesaian',
    respondedAt: (when: string) => `ditanggapi ${when}`,
    resolvedAt: (when: string) => `diselesaikan ${when}`,
    autoCloseAt: 'Ditutup otomatis',
    left: (amount: string) => `sisa ${amount}`,
    late: (amount: string) => `lewat ${amount}`,
    workMinutes: (n: number) => `${n} menit kerja`,
    workHours: (n: number) => `${n} jam kerja`,
    unassigned: 'Belum ditugaskan',
    take: 'Ambil',
    release: 'Lepaskan',
    assignTo: 'Tugaskan ke',
    assign: 'Tugaskan',
    moveTo: 'Ubah status',
    noMoves: 'Tidak ada perubahan status yang tersedia.',
    history: 'Riwayat status',
    historyLine: (from: string, to: string, cause: string) => `${from} → ${to} (${cause})`,
    opened: 'Masuk antrean',
    back: 'Kembali ke antrean',
    conversation: 'Percakapan',
    asker: 'Penanya',
    officerAnswer: 'Jawaban petugas',
    panel: 'Tindak lanjut',
    reply: 'Jawaban petugas',
    replyHint: 'Tampil di widget dengan lencana "Petugas BKN".',
    send: 'Kirim jawaban',
    sendAnyway: 'Kirim tetap',
    sent: 'Jawaban terkirim.',
    statusChanged: (status: string) => `Status kini ${status}.`,
    assigned: (name: string) => `Kini ditangani ${name}.`,
    released: 'Tindak lanjut dilepaskan.',
    viewing: (name: string) => `${name} sedang melihat`,
    typing: (name: string) => `${name} sedang mengetik`,
    staleHeading: 'Tindak lanjut ini berubah sejak Anda membukanya',
    staleAnswered: (name: string, ago: string) => `${name} menjawab ${ago}`,
    staleStatus: (status: string) => `status kini ${status}`,
    staleAssignee: (name: string) => `kini ditangani ${name}`,
    staleUnassigned: 'kini tidak ditugaskan',
    staleOther: 'ada perubahan lain',
    staleKeep: 'Draf Anda tetap ada. Periksa perubahannya; kirim lagi hanya bila masih perlu.',
    ago: (minutes: number) => (minutes < 1 ? 'baru saja' : minutes < 60 ? `${minutes} menit lalu` : `${Math.round(minutes / 60)} jam lalu`),
    changedElsewhere: (tracking: string, status: string) => `${tracking} diubah: ${status}`,
    notifications: 'Pemberitahuan',
    unreadBadge: (n: number) => `${n} belum dibaca`,
    noNotifications: 'Tidak ada pemberitahuan.',
    breached: (tracking: string, target: string) => `${tracking} lewat batas ${target.toLowerCase()}`,
    markRead: 'Tandai sudah dibaca',
    markedRead: 'Pemberitahuan ditandai sudah dibaca.',
    open: 'Buka',
    changedMark: 'Berubah',
    dueOn: (when: string) => `batas ${when}`,
  },
  // audit
  auditFilter: 'Saring menurut ID anggota (opsional)',
  auditEmpty: 'Log audit kosong.',
  when: 'Waktu',
  officer: 'Petugas',
  action: 'Tindakan',
  target: 'Sasaran',
  details: 'Rincian',
  post: 'Jawaban',
  /** Audit actions in words; an action this page does not know shows as its code. */
  auditActions: {
    'verification.approve': 'Verifikasi disetujui',
    'verification.reject': 'Verifikasi ditolak',
    'verification.revoke': 'Verifikasi dicabut',
    'post.endorse': 'Jawaban dibenarkan',
    'post.unendorse': 'Pembenaran dibatalkan',
    'post.restore': 'Jawaban dipulihkan',
    'post.remove': 'Jawaban dihapus',
    'votes.reverse': 'Suara anggota dibatalkan',
    'reputation.recompute': 'Reputasi dihitung ulang',
    'followup.status': 'Status tindak lanjut diubah',
    'followup.assign': 'Tindak lanjut ditugaskan',
    'followup.escalate': 'Lewat batas waktu, diteruskan ke supervisor',
  } as Record<string, string>,
  /** The keys of an audit entry's details, in words (`note` is the officer's approval, decision or revocation note). */
  auditDetails: {
    note: 'Catatan petugas',
    requestId: 'ID permintaan',
    reversed: 'Suara dibatalkan',
    members: 'Anggota dihitung',
    changed: 'Reputasi berubah',
  } as Record<string, string>,
  fields: { username: 'Nama pengguna', password: 'Kata sandi', note: 'Catatan', body: 'Jawaban', memberId: 'ID anggota' } as Record<string, string>,
  // {field} {limit} {seconds} are filled in by errorMessage().
  errors: {
    bad_request: 'Permintaan tidak valid.',
    too_short: '{field} terlalu pendek (min. {limit} karakter).',
    too_long: '{field} terlalu panjang (maks. {limit} karakter).',
    invalid_text: '{field} berisi karakter yang tidak diizinkan.',
    invalid_category: 'Topik tidak dikenal.',
    unknown_site: 'Situs ini tidak terdaftar.',
    thread_not_found: 'Pertanyaan tidak ditemukan.',
    visitor_not_found: 'Anggota tidak ditemukan.',
    not_found: 'Tidak ditemukan (fitur ini mungkin belum tersedia di server).',
    unauthorized: 'Sesi petugas tidak valid; silakan masuk lagi.',
    token_expired: 'Sesi petugas berakhir; silakan masuk lagi.',
    origin_not_allowed: 'Halaman ini tidak diizinkan memakai server ini.',
    not_subscribed: 'Koneksi belum siap.',
    rate_limited: 'Terlalu banyak percobaan; coba lagi dalam {seconds} detik.',
    payload_too_large: 'Isian terlalu besar.',
    unsupported_version: 'Versi halaman sudah usang; silakan muat ulang.',
    unavailable: 'Server sedang tidak tersedia; coba lagi nanti.',
    internal: 'Terjadi kesalahan di server; silakan coba lagi.',
    post_not_found: 'Jawaban tidak ditemukan.',
    forbidden: 'Tindakan ini hanya untuk petugas.',
    self_vote: 'Tidak dapat menilai jawaban sendiri.',
    already_voted: 'Suara sudah diberikan.',
    vote_locked: 'Suara sudah terkunci.',
    not_asker: 'Hanya penanya yang dapat memilih jawaban terbaik.',
    not_an_answer: 'Ini bukan jawaban dari pertanyaan tersebut.',
    already_flagged: 'Sudah dilaporkan.',
    answer_hidden: 'Jawaban sedang disembunyikan.',
    invalid_nip: 'NIP tidak valid.',
    verification_pending: 'Permintaan verifikasi anggota ini masih menunggu.',
    already_verified: 'Anggota ini sudah terverifikasi.',
    request_not_found: 'Permintaan verifikasi tidak ditemukan.',
    request_decided: 'Permintaan ini sudah diputuskan oleh petugas lain; daftar dimuat ulang.',
    not_verified: 'Anggota ini tidak terverifikasi.',
    bad_credentials: 'Nama pengguna atau kata sandi salah.',
    invalid_transition: 'Perubahan status ini tidak diizinkan untuk tindak lanjut tersebut.',
    stale_view: 'Tindak lanjut ini sudah diubah petugas lain sejak Anda membukanya; lihat perubahannya lalu kirim lagi.',
    follow_up_not_found: 'Pertanyaan ini tidak ada di antrean tindak lanjut.',
    name_reserved: 'Nama ini milik petugas atau memakai sebutan yang dicadangkan.',
    session_ended: 'Sesi petugas berakhir; silakan masuk lagi.',
    login_locked: 'Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini; coba lagi dalam {minutes} menit.',
    network: 'Tidak dapat menghubungi server.',
  } as Record<AdminErrorCode, string>,
};
export type AdminMessages = typeof id;

const catalogues: Record<AdminLocale, AdminMessages> = { id, en };

export function adminMessages(lang: string | null | undefined): AdminMessages {
  return catalogues[(lang ?? '').toLowerCase().split('-')[0] as AdminLocale] ?? id;
}

/**
 * Words for an error code, with its field, limit and wait filled in: the widget's templates ({field},
 * {limit}, {seconds}), plus {minutes} for the sign-in lockout, which only this page meets.
 */
export function errorMessage(t: AdminMessages, error: AdminError): string {
  const minutes = String(Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 60_000)));
  return widgetErrorMessage(t, error).replace('{minutes}', minutes);
}

/** Why a refused officer token ended the session, for the words shown above the sign-in form. */
export function sessionEnd(error: AdminError): SessionEnd {
  if (error.code === 'session_ended') return error.reason ?? 'invalid';
  return error.code === 'token_expired' ? 'expired' : 'invalid';
}

/** An officer reads exact times: "22 Mei 2026 14.05 WIB"-style, in the browser's zone. */
export function formatTime(t: AdminMessages, iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A plain date ("1985-03-12" → "12 Mar 1985"); NIP dates have no time. */
export function formatDate(t: AdminMessages, ymd: string): string {
  const date = new Date(`${ymd.length === 7 ? `${ymd}-01` : ymd}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return ymd;
  const options: Intl.DateTimeFormatOptions = ymd.length === 7 ? { year: 'numeric', month: 'long' } : { dateStyle: 'medium' };
  return new Intl.DateTimeFormat(t.locale, { ...options, timeZone: 'UTC' }).format(date);
}
