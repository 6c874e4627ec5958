import { DomainError } from './errors.js';

/** What an NIP (Nomor Induk Pegawai) encodes. Personal data: officers only. */
export interface NipInfo {
  birthDate: string; // YYYY-MM-DD
  startMonth: string; // YYYY-MM, TMT CPNS
  gender: 'pria' | 'wanita';
  sequence: string;
}

const bad = (message: string) => new DomainError('invalid_nip', message, { field: 'nip' });

/**
 * Checks an NIP: 18 digits = birth date YYYYMMDD, civil-service start YYYYMM, gender digit (1 man,
 * 2 woman), 3-digit sequence. Spaces and dots that people type are ignored.
 */
export function parseNip(raw: string, now: Date = new Date()): { nip: string; info: NipInfo } {
  const nip = raw.replace(/[\s.]/g, '');
  if (!/^\d{18}$/.test(nip)) throw bad('NIP must be 18 digits');
  const y = Number(nip.slice(0, 4));
  const m = Number(nip.slice(4, 6));
  const d = Number(nip.slice(6, 8));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) {
    throw bad('NIP digits 1-8 are not a valid birth date (YYYYMMDD)');
  }
  const thisYear = now.getUTCFullYear();
  if (y < 1930 || y > thisYear - 15) throw bad('NIP birth year is out of range');
  const ty = Number(nip.slice(8, 12));
  const tm = Number(nip.slice(12, 14));
  if (tm < 1 || tm > 12) throw bad('NIP digits 9-14 are not a valid start month (YYYYMM)');
  if (ty < y + 15 || ty > thisYear + 1) throw bad('NIP start year does not fit the birth year');
  const g = nip[14];
  if (g !== '1' && g !== '2') throw bad('NIP digit 15 (gender) must be 1 or 2');
  const sequence = nip.slice(15);
  if (sequence === '000') throw bad('NIP sequence (digits 16-18) cannot be 000');
  return {
    nip,
    info: {
      birthDate: `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`,
      startMonth: `${nip.slice(8, 12)}-${nip.slice(12, 14)}`,
      gender: g === '1' ? 'pria' : 'wanita',
      sequence,
    },
  };
}

/** Shown to the member themself: enough to recognise it, not enough to reuse it. */
export function maskNip(nip: string): string {
  return `${'•'.repeat(nip.length - 4)}${nip.slice(-4)}`;
}
