/**
 * Every word the widget shows, in Bahasa Indonesia; the English catalogues of the same shape are in
 * i18n-en.ts. Templates never hold user-facing text; they read it from the catalogue the host passes down as `t`.
 */
import type { ErrorCode, FollowUpStatus, LevelId, MyVerificationView } from '../server/protocol.js';
import { profileEn } from './i18n-en.js';

export type Locale = 'id' | 'en';
export type ConnectionState = 'connecting' | 'online' | 'offline' | 'unavailable' | 'stopped';
/** Server codes plus `network`: the widget's own code for "no answer from the server at all". */
export type ShownErrorCode = ErrorCode | 'network' | 'offline';
export interface ShownError {
  code: ShownErrorCode;
  field?: string;
  limit?: number;
  retryAfterMs?: number;
}

const id = {
  locale: 'id' as Locale,
  heading: 'Konsultasi Kepegawaian',
  status: {
    connecting: 'Menghubungkan…',
    online: 'Tersambung',
    offline: 'Offline — pesan akan dikirim saat tersambung kembali',
    unavailable: 'Server sedang tidak tersedia — mencoba lagi…',
    stopped: 'Tidak tersambung',
  } as Record<ConnectionState, string>,
  search: 'Cari pertanyaan',
  searchPlaceholder: 'Cari kata di judul atau isi…',
  filterLabel: 'Tampilkan',
  filterLatest: 'Terbaru',
  filterUnanswered: 'Belum dijawab',
  ask: 'Ajukan pertanyaan',
  loadMore: 'Muat lebih banyak',
  loading: 'Memuat…',
  retry: 'Coba lagi',
  emptyList: 'Belum ada pertanyaan. Jadilah yang pertama bertanya!',
  emptySearch: 'Tidak ada pertanyaan yang cocok dengan pencarian.',
  threadsLabel: 'Daftar pertanyaan',
  answers: (n: number) => (n === 0 ? 'Belum dijawab' : `${n} jawaban`),
  by: 'oleh',
  askHeading: 'Pertanyaan baru',
  titleLabel: 'Judul',
  categoryLabel: 'Topik',
  bodyLabel: 'Pertanyaan',
  limitHint: (min: number, max: number) => `${min}–${max} karakter`,
  maxHint: (max: number) => `maks. ${max} karakter`,
  send: 'Kirim',
  cancel: 'Batal',
  back: 'Kembali ke daftar',
  answersHeading: 'Jawaban',
  noAnswers: 'Belum ada jawaban. Bantu jawab jika Anda tahu.',
  answerLabel: 'Jawaban Anda',
  sendAnswer: 'Kirim jawaban',
  viewers: (n: number) => `${n} orang melihat`,
  sending: 'Mengirim…',
  waiting: 'Menunggu koneksi',
  nameLabel: 'Nama tampilan',
  changeName: 'Ubah',
  newThread: (title: string) => `Pertanyaan baru: ${title}`,
  newAnswer: (name: string) => `Jawaban baru dari ${name}`,
  you: 'Anda',
  levels: { baru: 'Baru', anggota: 'Anggota', aktif: 'Aktif', terpercaya: 'Terpercaya' } as Record<LevelId, string>,
  levelTitle: (level: string, reputation: number) => `Level ${level} · reputasi ${reputation}`,
  officer: 'Petugas BKN',
  verified: 'Terverifikasi',
  verifiedOn: (date: string) => `Diverifikasi petugas pada ${date}`,
  myProfile: 'Profil saya',
  helpful: 'Membantu',
  unhelpful: 'Tidak membantu',
  rating: 'Nilai jawaban ini',
  score: (score: number, up: number, down: number) => `Skor ${score}: ${up} membantu, ${down} tidak membantu`,
  ownAnswer: 'Anda tidak dapat menilai jawaban sendiri.',
  accepted: 'Jawaban terbaik',
  markAccepted: 'Tandai sebagai jawaban terbaik',
  official: 'Jawaban resmi petugas',
  endorsed: 'Dibenarkan petugas',
  report: 'Laporkan',
  reported: 'Dilaporkan',
  reasons: { salah_informasi: 'Salah informasi', spam: 'Spam', tidak_pantas: 'Tidak pantas' } as Record<string, string>,
  hiddenPending: 'Jawaban disembunyikan sementara, menunggu tinjauan petugas.',
  hiddenRemoved: 'Jawaban dihapus petugas.',
  hiddenOwn: (reason: string, removed: boolean) =>
    removed
      ? `Jawaban Anda dihapus petugas karena dilaporkan sebagai ${reason}.`
      : `Jawaban Anda disembunyikan karena dilaporkan sebagai ${reason}; menunggu tinjauan petugas.`,
  edit: 'Sunting',
  edited: '(disunting)',
  followUpHandled: 'Ditangani petugas',
  followUpDone: 'Selesai',
  // The fields and error codes only the on-demand module's actions meet are in ACTION_WORDS_ID below.
  fields: { title: 'Judul', body: 'Isi', name: 'Nama', category: 'Topik', q: 'Pencarian' } as Record<string, string>,
  // {field} {limit} {seconds} are filled in by errorMessage().
  errors: {
    bad_request: 'Permintaan tidak valid.',
    too_short: '{field} terlalu pendek (min. {limit} karakter)',
    too_long: '{field} terlalu panjang (maks. {limit} karakter)',
    invalid_text: '{field} berisi karakter yang tidak diizinkan.',
    invalid_category: 'Pilih topik dari daftar.',
    unknown_site: 'Situs ini belum terdaftar di layanan konsultasi.',
    thread_not_found: 'Pertanyaan tidak ditemukan.',
    origin_not_allowed: 'Situs ini tidak diizinkan memakai layanan konsultasi.',
    rate_limited: 'Terlalu banyak permintaan; coba lagi dalam {seconds} detik.',
    unsupported_version: 'Versi widget sudah usang; silakan muat ulang halaman.',
    unavailable: 'Server sedang tidak tersedia; silakan coba lagi nanti.',
    internal: 'Terjadi kesalahan di server; silakan coba lagi.',
    network: 'Tidak dapat menghubungi server.',
    offline: 'Anda sedang offline; coba lagi saat tersambung.',
  } as Partial<Record<ShownErrorCode, string>>,
};
export type Messages = typeof id;
export type ActionWords = Pick<Messages, 'fields' | 'errors'>;

/**
 * Bahasa Indonesia that only the on-demand module's actions need: the error codes only they meet (votes, best
 * answers, reports and edits, the profile and verification forms, the officers' sign-in and decisions) and the
 * profile's field names. The main bundle never references it: loadOnDemandModule() adds it to the built-in
 * catalogue (addActionWords) before any such action can be refused. English has all of it in its catalogue,
 * which comes with that module anyway.
 */
export const ACTION_WORDS_ID: ActionWords = {
  fields: { instansi: 'Instansi', jabatan: 'Jabatan', bidang: 'Bidang keahlian', nip: 'NIP', note: 'Catatan' },
  errors: {
    // Never shown by what the main script does (its posts retry on these), only by the module's actions.
    visitor_not_found: 'Identitas Anda tidak ditemukan; silakan muat ulang halaman.',
    not_found: 'Tidak ditemukan.',
    unauthorized: 'Sesi Anda tidak valid; silakan coba lagi.',
    token_expired: 'Sesi Anda telah berakhir; silakan coba lagi.',
    not_subscribed: 'Koneksi belum siap; silakan coba lagi.',
    payload_too_large: 'Pesan terlalu besar.',
    post_not_found: 'Jawaban tidak ditemukan.',
    forbidden: 'Anda tidak berhak melakukan ini.',
    self_vote: 'Anda tidak dapat menilai jawaban sendiri.',
    already_voted: 'Anda sudah memberi nilai ini; ubah atau tarik nilai Anda.',
    vote_locked: 'Nilai Anda terkunci 5 menit setelah diberikan, kecuali jawabannya disunting.',
    not_asker: 'Hanya penanya yang dapat memilih jawaban terbaik.',
    not_an_answer: 'Itu bukan jawaban dari pertanyaan ini.',
    already_flagged: 'Anda sudah melaporkan jawaban ini.',
    answer_hidden: 'Jawaban ini sedang disembunyikan, menunggu tinjauan petugas.',
    invalid_nip: 'NIP tidak valid.',
    verification_pending: 'Permintaan verifikasi Anda masih menunggu petugas.',
    already_verified: 'Akun Anda sudah terverifikasi.',
    request_not_found: 'Permintaan verifikasi tidak ditemukan.',
    request_decided: 'Permintaan ini sudah diputuskan petugas.',
    not_verified: 'Akun ini belum terverifikasi.',
    bad_credentials: 'Nama pengguna atau kata sandi salah.',
    invalid_transition: 'Status tindak lanjut tidak dapat diubah seperti itu.',
    stale_view: 'Tindak lanjut ini baru saja diubah orang lain; muat ulang lalu coba lagi.',
    follow_up_not_found: 'Pertanyaan ini belum ditindaklanjuti petugas.',
    name_reserved: 'Nama ini milik petugas BKN atau memakai sebutan petugas atau lencana; pilih nama lain.',
    session_ended: 'Sesi petugas berakhir; silakan masuk lagi.',
    login_locked: 'Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini; coba lagi nanti.',
  },
};

// Bahasa Indonesia is built in; English arrives with the on-demand module (addCatalogue), so that only
// pages with lang="en" download it.
const catalogues: Partial<Record<Locale, Messages>> = { id };
const LOCALES: readonly string[] = ['id', 'en'] satisfies Locale[];

function localeOf(lang: string | null | undefined): Locale | undefined {
  const locale = (lang ?? '').toLowerCase().split('-')[0];
  return LOCALES.includes(locale) ? (locale as Locale) : undefined;
}

/**
 * The catalogue for a `lang` attribute value; anything unknown falls back to Bahasa Indonesia, and so does
 * a known language whose catalogue has not arrived yet (see missingCatalogue()).
 */
export function messages(lang: string | null | undefined): Messages {
  return catalogues[localeOf(lang)!] ?? id;
}

/** True when `lang` names a language the widget speaks but whose words are not loaded yet. */
export function missingCatalogue(lang: string | null | undefined): boolean {
  const locale = localeOf(lang);
  return !!locale && !catalogues[locale];
}

/** Makes a catalogue from the on-demand module available to messages(). */
export function addCatalogue(t: Messages): void {
  catalogues[t.locale] = t;
}

/** Completes the built-in Bahasa Indonesia with ACTION_WORDS_ID, which the on-demand module brings. */
export function addActionWords(words: ActionWords): void {
  Object.assign(id.fields, words.fields);
  Object.assign(id.errors, words.errors);
}

/** What errorMessage needs of a catalogue; the officers' page (widget/admin/i18n.ts) has the same shape. */
export interface ErrorWords {
  errors: Partial<Record<string, string>>;
  fields: Record<string, string>;
}

/**
 * Words for an error code, with its field, limit and wait filled in. `label` names the field as the form shown
 * beside it labels it ("Pertanyaan", "Jawaban Anda"): the server's field names are generic ("body").
 */
export function errorMessage(t: ErrorWords, error: ShownError, label?: string): string {
  const template = t.errors[error.code] ?? t.errors.internal!;
  const field = label || (error.field && t.fields[error.field]) || t.fields.body;
  return template
    .replace('{field}', field)
    .replace('{limit}', String(error.limit ?? ''))
    .replace('{seconds}', String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000))));
}

/** "5 menit yang lalu" / "5 minutes ago". */
export function relativeTime(t: Messages, iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(t.locale, { numeric: 'auto' });
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity],
  ];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) {
      // "sekarang" reads better than "12 detik yang lalu" for something just posted.
      return unit === 'second' && Math.abs(value) < 45 ? format.format(0, 'second') : format.format(value, unit);
    }
    value = Math.round(value / size);
  }
  return iso;
}

// Words of what only the on-demand module shows: the profile card, "Profil saya", the verification form, the
// name form and the answer edit form and report menu. The main bundle never references them.
const profileId = {
  save: 'Simpan',
  yourName: 'Nama Anda',
  profileOf: (name: string) => `Profil ${name}`,
  reportLabel: 'Alasan melaporkan jawaban ini',
  editLabel: 'Sunting jawaban Anda',
  editClearsMarks: (marks: string[]) =>
    `Jika isinya diubah, tanda ${marks.map((m) => `"${m}"`).join(' dan ')} dicabut beserta reputasinya; petugas atau penanya dapat memberikannya lagi.`,
  close: 'Tutup',
  reputation: 'Reputasi',
  level: 'Level',
  selfDeclared: 'menurut pengakuan sendiri',
  verifiedWhat: (jabatan: string, instansi: string, date: string) =>
    `Jabatan ${jabatan} di ${instansi} diverifikasi petugas BKN pada ${date}.`,
  officerNote: 'Akun petugas BKN.',
  instansi: 'Instansi',
  jabatan: 'Jabatan',
  bidang: 'Bidang keahlian',
  years: 'Lama pengalaman (tahun)',
  yearsValue: (n: number) => `${n} tahun`,
  stats: 'Aktivitas',
  questions: 'Pertanyaan',
  answers: 'Jawaban',
  helpfulAnswers: 'Jawaban membantu',
  acceptedAnswers: 'Jawaban terbaik',
  endorsedAnswers: 'Dibenarkan petugas',
  memberSince: 'Anggota sejak',
  lastActive: 'Terakhir aktif',
  activity: (n: number) => `Aktif ${n} dari 100 hari terakhir`,
  editProfile: 'Ubah profil',
  profileHint: 'Instansi, jabatan, bidang dan pengalaman tampil sebagai pengakuan sendiri sampai diverifikasi petugas.',
  displayName: 'Nama tampilan',
  saved: 'Tersimpan.',
  verification: 'Ajukan verifikasi',
  verificationHint:
    'Petugas BKN memeriksa NIP, instansi dan jabatan Anda. NIP hanya dilihat petugas, tidak pernah ditampilkan kepada publik.',
  nip: 'NIP (18 angka)',
  note: 'Catatan untuk petugas (opsional)',
  submitVerification: 'Kirim permintaan',
  status: {
    none: 'Belum pernah mengajukan verifikasi.',
    pending: 'Permintaan verifikasi Anda menunggu tinjauan petugas.',
    approved: 'Akun Anda terverifikasi.',
    rejected: 'Permintaan verifikasi Anda ditolak petugas.',
    revoked: 'Verifikasi akun Anda dicabut petugas. Anda dapat mengajukan lagi.',
  } as Record<MyVerificationView['status'], string>,
  decisionNote: 'Catatan petugas',
  nipErrors: {
    length: 'NIP harus 18 angka.',
    birth: 'Angka 1–8 NIP harus tanggal lahir yang valid (TTTTBBHH), tahun 1930 sampai 15 tahun lalu.',
    start: 'Angka 9–14 NIP harus bulan TMT CPNS yang valid (TTTTBB, bulan 01–12), paling cepat pada usia 15 tahun.',
    gender: 'Angka ke-15 NIP harus 1 (pria) atau 2 (wanita).',
    sequence: 'Angka 16–18 NIP (nomor urut) tidak boleh 000.',
  } as Record<'length' | 'birth' | 'start' | 'gender' | 'sequence', string>,
  required: (field: string) => `${field} wajib diisi.`,
  followUp: {
    request: 'Minta jawaban petugas',
    requestHint: 'Petugas BKN akan menindaklanjuti pertanyaan Anda dan menjawab di sini. Anda mendapat nomor tiket untuk memantaunya.',
    sending: 'Mengirim permintaan…',
    label: 'Tindak lanjut petugas',
    tracking: 'Nomor tiket',
    statuses: {
      baru: 'Baru',
      diproses: 'Diproses',
      menunggu_penanya: 'Menunggu jawaban Anda',
      selesai: 'Selesai',
      ditutup: 'Ditutup',
    } as Record<FollowUpStatus, string>,
    explain: {
      baru: 'Menunggu petugas BKN.',
      diproses: 'Petugas BKN sedang menanganinya.',
      menunggu_penanya: 'Petugas menunggu balasan Anda di utas ini.',
      selesai: 'Petugas menyatakan selesai. Balas di utas ini jika belum terjawab; tanpa balasan, tiket ditutup otomatis.',
      ditutup: 'Tiket ditutup.',
    } as Record<FollowUpStatus, string>,
    changed: (tracking: string, status: string) => `Tiket ${tracking}: ${status}`,
    notAsker: 'Hanya penanya yang dapat meminta jawaban petugas.',
  },
};
export type ProfileMessages = typeof profileId;

/** The profile module's words for a `lang` value, falling back to Bahasa Indonesia like messages(). */
export function profileMessages(lang: string | null | undefined): ProfileMessages {
  return (lang ?? '').toLowerCase().startsWith('en') ? profileEn : profileId;
}

/** "12 Januari 2026" / "12 January 2026". */
export function formatDate(t: Messages, iso: string): string {
  return new Date(iso).toLocaleDateString(t.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' });
}
