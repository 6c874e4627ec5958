/** Which part of an NIP is wrong; the words are in i18n.ts (profileMessages().nipErrors). */
export type NipProblem = 'length' | 'birth' | 'start' | 'gender' | 'sequence';

/**
 * The server's NIP rule (server/domain/nip.ts) repeated in the browser, so the visitor learns which part is
 * wrong before sending: 18 digits = birth date YYYYMMDD, start (TMT CPNS) YYYYMM, gender 1 or 2, sequence.
 * Spaces and dots are ignored, as there.
 */
export function checkNip(raw: string, now = new Date()): NipProblem | undefined {
  const nip = raw.replace(/[\s.]/g, '');
  if (!/^\d{18}$/.test(nip)) return 'length';
  const [y, m, d, ty, tm] = [[0, 4], [4, 6], [6, 8], [8, 12], [12, 14]].map(([a, b]) => Number(nip.slice(a, b)));
  const birth = new Date(Date.UTC(y, m - 1, d));
  const thisYear = now.getUTCFullYear();
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return 'birth';
  if (y < 1930 || y > thisYear - 15) return 'birth';
  if (tm < 1 || tm > 12 || ty < y + 15 || ty > thisYear + 1) return 'start';
  if (nip[14] !== '1' && nip[14] !== '2') return 'gender';
  if (nip.endsWith('000')) return 'sequence';
  return undefined;
}

/** The part the server named in an `invalid_nip` message, if it is one we know. */
export function problemOf(message = ''): NipProblem {
  return /birth/i.test(message) ? 'birth' : /start/i.test(message) ? 'start' : /gender/i.test(message) ? 'gender'
    : /sequence/i.test(message) ? 'sequence' : 'length';
}
