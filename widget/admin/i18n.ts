/**
 * Every word the officers' admin page shows, Bahasa Indonesia first, English second. Templates read them from
 * the catalogue the host passes down as `t`; error codes are mapped here once.
 */
import type { ErrorCode, SessionEndReason } from '../../server/protocol.js';
import { errorMessage as widgetErrorMessage } from '../i18n.js';

export type AdminLocale = 'id' | 'en';
export type SectionId = 'requests' | 'member' | 'flagged' | 'answer' | 'audit';
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
  site: 'ID situs',
  openSite: 'Buka',
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
  // audit
  auditFilter: 'Saring menurut ID anggota (opsional)',
  auditEmpty: 'Log audit kosong.',
  when: 'Waktu',
  officer: 'Petugas',
  action: 'Tindakan',
  target: 'Sasaran',
  details: 'Rincian',
  post: 'Jawaban',
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
    session_ended: 'Sesi petugas berakhir; silakan masuk lagi.',
    login_locked: 'Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini; coba lagi dalam {minutes} menit.',
    network: 'Tidak dapat menghubungi server.',
  } as Record<AdminErrorCode, string>,
};
export type AdminMessages = typeof id;

const en: AdminMessages = {
  locale: 'en',
  title: 'Officer Console — Civil-Service Consultation',
  skipToContent: 'Skip to content',
  signInHeading: 'Officer sign-in',
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signOut: 'Sign out',
  signedInAs: (name) => `Signed in as ${name}`,
  signedOut: 'You have signed out.',
  signingOut: 'Signing out…',
  signedOutOffline: 'You have signed out of this page, but the server could not be reached; the session on the server ends by itself when idle.',
  sessionEnded: 'Your officer session has ended; please sign in again.',
  sessionEndedBecause: {
    logout: 'This session was ended with Sign out (perhaps in another tab); please sign in again.',
    replaced: 'This session ended because your account signed in on another device or tab. If that was not you, have the password changed at once.',
    idle: 'The session ended after too long without activity; please sign in again.',
    credentials_changed: "The session ended because this account's password was changed; sign in with the new password.",
    account_removed: 'The session ended because this officer account was disabled.',
    expired: 'The officer session has reached its time limit; please sign in again.',
    invalid: 'Your officer session is not valid; please sign in again.',
  },
  sessionNote:
    'The session is kept in this tab only. It ends when the tab is closed, when you press Sign out, after a while without activity, or when this account signs in elsewhere.',
  nav: 'Officer menu',
  sections: {
    requests: 'Verification requests',
    member: 'Members',
    flagged: 'Reports',
    answer: 'Answer',
    audit: 'Audit log',
  },
  loading: 'Loading…',
  retry: 'Try again',
  refresh: 'Reload',
  show: 'Show',
  cancel: 'Cancel',
  confirm: 'Yes, continue',
  note: 'Note (optional)',
  openMember: 'View member',
  memberId: 'Member id',
  reputation: (n) => `Reputation ${n}`,
  levels: { baru: 'New', anggota: 'Member', aktif: 'Active', terpercaya: 'Trusted' },
  officerBadge: 'BKN officer',
  verifiedBadge: (jabatan, instansi) => `Verified · ${jabatan} · ${instansi}`,
  requestStatus: { pending: 'Pending', approved: 'Approved', rejected: 'Rejected' },
  requestsEmpty: { pending: 'No requests are waiting.', approved: 'No approved requests yet.', rejected: 'No rejected requests yet.' },
  requestsCount: (n) => (n === 1 ? '1 request' : `${n} requests`),
  nip: 'NIP',
  nipInfo: 'What the NIP encodes',
  birthDate: 'Birth date',
  startMonth: 'Civil-service start (TMT CPNS)',
  gender: 'Gender',
  genders: { pria: 'Male', wanita: 'Female' },
  instansi: 'Agency (instansi)',
  jabatan: 'Position (jabatan)',
  requestNote: "Applicant's note",
  createdAt: 'Submitted',
  decidedAt: 'Decided',
  decisionNote: "Officer's note",
  approve: 'Approve',
  reject: 'Reject',
  approved: (name) => `${name}'s request approved; the member is now verified.`,
  rejected: (name) => `${name}'s request rejected.`,
  memberHeading: 'Find a member',
  lookUp: 'Look up',
  memberEmpty: 'Enter a member id from a request, a report or the audit log.',
  profile: 'Profile',
  selfDeclared: 'self-declared',
  bidang: 'Area of expertise',
  years: 'Experience (years)',
  memberSince: 'Member since',
  lastActive: 'Last active',
  activeDays: (n) => `Active ${n} of the last 100 days`,
  stats: 'Statistics',
  statNames: {
    questions: 'Questions',
    answers: 'Answers',
    helpfulAnswers: 'Helpful answers',
    acceptedAnswers: 'Accepted answers',
    endorsedAnswers: 'Endorsed by officers',
  },
  memberRequests: "Member's verification requests",
  noRequests: 'This member has never asked to be verified.',
  revoke: 'Revoke verification',
  revoked: (name) => `${name}'s verification revoked.`,
  reverseVotes: "Reverse all of this member's votes",
  reverseConfirm: (name) =>
    `Every vote ${name} ever cast will be reversed and the recipients' reputation recomputed. This is recorded in the audit log. Continue?`,
  reversed: (n) => (n === 1 ? '1 vote reversed.' : `${n} votes reversed.`),
  flagStatus: { pending: 'Awaiting review', removed: 'Removed' },
  flaggedEmpty: { pending: 'No answers are awaiting review.', removed: 'No answers have been removed.' },
  thread: 'Question',
  answerText: 'Answer',
  author: 'Author',
  flags: 'Reports',
  reasons: { salah_informasi: 'Wrong information', spam: 'Spam', tidak_pantas: 'Inappropriate' },
  weight: (n) => `weight ${n}`,
  restore: 'Restore',
  remove: 'Remove',
  restored: 'Answer restored and visible again.',
  removedDone: 'Answer removed from public view.',
  site: 'Site id',
  openSite: 'Open',
  threadsHeading: 'Latest questions',
  threadsEmpty: 'No questions on this site yet.',
  unanswered: 'Unanswered',
  answerCount: (n) => (n === 0 ? 'Unanswered' : n === 1 ? '1 answer' : `${n} answers`),
  backToThreads: 'Back to the list',
  noAnswers: 'No answers yet.',
  official: 'Official answer',
  endorsed: 'Endorsed by an officer',
  accepted: 'Accepted answer',
  hidden: 'Hidden',
  score: (n) => `Score ${n}`,
  endorse: 'Endorse',
  unendorse: 'Withdraw endorsement',
  endorsedDone: 'Answer endorsed.',
  unendorsedDone: 'Endorsement withdrawn.',
  officialAnswer: "Officer's official answer",
  sendAnswer: 'Send official answer',
  sending: 'Sending…',
  answerSent: 'Official answer sent.',
  auditFilter: 'Filter by member id (optional)',
  auditEmpty: 'The audit log is empty.',
  when: 'When',
  officer: 'Officer',
  action: 'Action',
  target: 'Target',
  details: 'Details',
  post: 'Answer',
  fields: { username: 'Username', password: 'Password', note: 'Note', body: 'Answer', memberId: 'Member id' },
  errors: {
    bad_request: 'The request was not valid.',
    too_short: '{field} is too short (min. {limit} characters).',
    too_long: '{field} is too long (max. {limit} characters).',
    invalid_text: '{field} contains characters that are not allowed.',
    invalid_category: 'Unknown topic.',
    unknown_site: 'This site is not registered.',
    thread_not_found: 'Question not found.',
    visitor_not_found: 'Member not found.',
    not_found: 'Not found (the server may not offer this yet).',
    unauthorized: 'Your officer session is not valid; please sign in again.',
    token_expired: 'Your officer session has expired; please sign in again.',
    origin_not_allowed: 'This page may not use this server.',
    not_subscribed: 'The connection is not ready.',
    rate_limited: 'Too many attempts; try again in {seconds} seconds.',
    payload_too_large: 'The input is too large.',
    unsupported_version: 'This page is out of date; please reload.',
    unavailable: 'The server is unavailable; please try again later.',
    internal: 'Something went wrong on the server; please try again.',
    post_not_found: 'Answer not found.',
    forbidden: 'Only officers may do this.',
    self_vote: 'You cannot rate your own answer.',
    already_voted: 'Already voted.',
    vote_locked: 'The vote is locked.',
    not_asker: 'Only the asker can accept an answer.',
    not_an_answer: 'This is not an answer of that question.',
    already_flagged: 'Already reported.',
    answer_hidden: 'The answer is hidden.',
    invalid_nip: 'The NIP is not valid.',
    verification_pending: "This member's verification request is still pending.",
    already_verified: 'This member is already verified.',
    request_not_found: 'Verification request not found.',
    request_decided: 'Another officer already decided this request; the list was reloaded.',
    not_verified: 'This member is not verified.',
    bad_credentials: 'Wrong username or password.',
    session_ended: 'Your officer session has ended; please sign in again.',
    login_locked: 'Too many failed sign-ins for this username; try again in {minutes} minutes.',
    network: 'Cannot reach the server.',
  },
};

const catalogues: Record<AdminLocale, AdminMessages> = { id, en };

/** The catalogue for a `lang` value; anything unknown falls back to Bahasa Indonesia. */
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
